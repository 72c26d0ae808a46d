import type { EntityManager } from 'typeorm';
import { detectLanguage, frontMatterImage, makeExcerpt, readingTimeMinutes, renderMarkdown, slugify } from '../../../content';
import type { Post } from '../../../entities';
import type { Clock } from '../../shared';
import { badInput, KijiError } from '../../shared';
import { PostInput, PostPatch, validatePostPatch } from './post-input';
import type { BodyBases } from '../../../content/types';
import { Actor, PostFields, PostStore } from './post-store';
import { postById, revisionOf } from './statements';
import { formerHolderOf } from './redirects';
import { requireEditor, Viewer } from '../../access';

/**
 * Editors' writes, through the one write path (post-store.ts). Each is one transaction (post,
 * links, search index, revision, related mark), then its related lists are settled; each checks the
 * version the editor read (a stale one is CONFLICT, with the current version, and changes
 * nothing), and is refused before any work for a caller who may not write.
 */
export class PostWriter {
  constructor(
    private readonly clock: Clock,
    private readonly store: PostStore,
    private readonly postUrl: (slug: string) => string,
    /** KIJI_SITE_URL and the asset base: relative links and images in bodies become absolute, as an import makes them. */
    private readonly bases: BodyBases = { siteUrl: null, assetUrl: null },
  ) {}

  /** A new draft; `publishPost` publishes it. */
  async create(viewer: Viewer, input: PostInput): Promise<Post> {
    requireEditor(viewer);
    validatePostPatch(input, true);
    return this.commit(viewer, async (manager) => {
      const wanted = input.slug ? slugify(input.slug) : slugify(input.title);
      const slug = input.slug ? await this.requireFreeSlug(manager, wanted, null) : await this.store.freeSlug(manager, wanted, null);
      return {
        ...this.rendered(input.title, input.bodyMarkdown, input.excerpt),
        slug,
        status: 'draft',
        publishedAt: input.publishedAt ?? null,
        deletedAt: null,
        frontMatter: {},
        contentIssues: [],
        sourcePath: null,
        sourceHash: null,
        seo: null,
        noindex: false,
        authors: [input.author],
        tags: input.tags,
        categories: input.categories,
      };
    });
  }

  async update(viewer: Viewer, id: number, expectedVersion: number, patch: PostPatch): Promise<Post> {
    requireEditor(viewer);
    validatePostPatch(patch, false);
    return this.write(viewer, id, expectedVersion, async (manager, post, current) => {
      const title = patch.title ?? post.title;
      const body = patch.bodyMarkdown ?? post.bodyMarkdown;
      const slug = patch.slug ? await this.requireFreeSlug(manager, slugify(patch.slug), post.id) : post.slug;
      const excerpt = patch.excerpt !== undefined ? patch.excerpt : patch.bodyMarkdown != null ? null : post.excerpt;
      return {
        ...current,
        ...this.rendered(title, body, excerpt, current),
        slug,
        publishedAt: patch.publishedAt !== undefined ? patch.publishedAt : post.publishedAt,
        authors: patch.author ? [patch.author, ...current.authors.slice(1)] : current.authors,
        tags: patch.tags ?? current.tags,
        categories: patch.categories ?? current.categories,
      };
    });
  }

  /** Publishes now, or schedules for `at` (visible from then on, by the clock at read time). */
  publish(viewer: Viewer, id: number, at: Date | null): Promise<Post> {
    requireEditor(viewer);
    return this.write(viewer, id, null, async (_m, post, current) => {
      if (post.deletedAt) throw new KijiError('CONFLICT', 'A deleted post cannot be published; restore it first', { currentVersion: post.version });
      return { ...current, status: 'published', publishedAt: at ?? this.clock.now() };
    });
  }

  unpublish(viewer: Viewer, id: number, expectedVersion: number): Promise<Post> {
    requireEditor(viewer);
    return this.write(viewer, id, expectedVersion, async (_m, _post, current) => ({ ...current, status: 'draft' }));
  }

  /** Soft delete: the post is kept, hidden from everyone but editors, and restorable. */
  delete(viewer: Viewer, id: number, expectedVersion: number): Promise<Post> {
    requireEditor(viewer);
    return this.write(viewer, id, expectedVersion, async (_m, post, current) => ({
      ...current,
      deletedAt: post.deletedAt ?? this.clock.now(),
    }));
  }

  restore(viewer: Viewer, id: number): Promise<Post> {
    requireEditor(viewer);
    return this.write(viewer, id, null, async (_m, _post, current) => ({ ...current, deletedAt: null }));
  }

  /** Makes the post's content what it was at a revision, as a new change (history is kept). */
  restoreRevision(viewer: Viewer, postId: number, revisionId: number, expectedVersion: number): Promise<Post> {
    requireEditor(viewer);
    return this.write(viewer, postId, expectedVersion, async (manager, post, current) => {
      const revision = await revisionOf(manager, postId, revisionId);
      if (!revision) throw new KijiError('NOT_FOUND', `Post ${post.slug} has no revision ${revisionId}`, { argument: 'revisionId' });
      const old = revision.snapshot;
      return {
        ...current,
        ...this.rendered(old.title, old.bodyMarkdown, old.excerpt, current),
        slug: await this.requireFreeSlug(manager, old.slug, post.id),
        publishedAt: old.publishedAt ? new Date(old.publishedAt) : null,
        authors: old.authors,
        tags: old.tags,
        categories: old.categories,
      };
    });
  }

  /**
   * Runs one write to an existing post: loads it (NOT_FOUND when absent), checks the expected
   * version, lets `change` decide the new fields from the current ones, and stores them.
   */
  private write(
    viewer: Viewer,
    id: number,
    expectedVersion: number | null,
    change: (manager: EntityManager, post: Post, current: PostFields) => Promise<PostFields>,
  ): Promise<Post> {
    return this.commit(viewer, async (manager) => {
      const post = await postById(manager, id);
      if (!post) throw new KijiError('NOT_FOUND', 'There is no such post', { argument: 'id' });
      if (expectedVersion !== null && expectedVersion !== post.version) {
        throw new KijiError('CONFLICT', `Post ${post.slug} is at version ${post.version}, not ${expectedVersion}`, {
          currentVersion: post.version,
        });
      }
      return { post, fields: await change(manager, post, await this.store.fieldsOf(manager, post)) };
    });
  }

  /** One transaction: the fields `decide` returns are stored with a revision; related lists follow. */
  private async commit(viewer: Viewer, decide: (manager: EntityManager) => Promise<PostFields | { post: Post; fields: PostFields }>): Promise<Post> {
    const actor: Actor = { keyId: viewer.keyId, name: viewer.keyName ?? viewer.role };
    const saved = await retryOnSlugRace(() =>
      this.store.transaction(async (manager) => {
        const decided = await decide(manager);
        return 'fields' in decided ? this.store.save(manager, decided.post, decided.fields, actor) : this.store.save(manager, null, decided, actor);
      }),
    );
    // Committed with its related mark: were this process to die here, the next start or write settles it.
    await this.store.settleRelated([saved.id]);
    // And what a killed import or write left behind, if any.
    await this.store.finishPending();
    return saved;
  }

  private rendered(title: string, bodyMarkdown: string, excerpt: string | null | undefined, current?: PostFields) {
    const { html, headings, firstImage } = renderMarkdown(bodyMarkdown, { postUrl: this.postUrl, ...this.bases });
    return {
      title: title.trim(),
      bodyMarkdown,
      bodyHtml: html,
      headings,
      excerpt: excerpt?.trim() || makeExcerpt(bodyMarkdown),
      readingTimeMinutes: readingTimeMinutes(bodyMarkdown),
      language: detectLanguage(`${title}\n${bodyMarkdown}`),
      // Editors write no front matter: an imported post keeps the cover its front matter names (and
      // the size the import read), any other post's cover is the body's first image.
      coverImage: current && frontMatterImage(current.frontMatter) ? current.coverImage : firstImage && { ...firstImage, width: null, height: null },
    };
  }

  /**
   * An editor's explicit slug must be free: silently renaming it would break their links. A slug
   * another post had is not free either: its old URL still redirects to that post.
   */
  private async requireFreeSlug(manager: EntityManager, slug: string, postId: number | null): Promise<string> {
    const free = await this.store.freeSlug(manager, slug, postId);
    if (free === slug) return slug;
    const former = await formerHolderOf(manager, slug);
    if (former && former.id !== postId) {
      throw badInput(`\`input.slug\` "${slug}" redirects to another post (now "${former.slug}"), which had it before; choose another slug`, {
        field: 'input.slug',
        redirectsTo: former.slug,
      });
    }
    throw badInput(`\`input.slug\` "${slug}" is already used by another post`, { field: 'input.slug' });
  }
}

/** How often a write is decided again after losing its slug to a concurrent writer. */
const SLUG_RACE_TRIES = 20;

/**
 * Kiji's own writers take turns (write-lock.ts), so between a write checking a slug and inserting
 * it only a writer outside Kiji (a script on the same database) can take it. Should that happen
 * the write is decided again, and sees it taken: an editor's own slug is BAD_USER_INPUT naming it,
 * a derived one moves on to `slug-N`.
 */
async function retryOnSlugRace<T>(write: () => Promise<T>): Promise<T> {
  for (let tries = 1; ; tries++) {
    try {
      return await write();
    } catch (error) {
      if (!isSlugTaken(error)) throw error;
      if (tries >= SLUG_RACE_TRIES) throw new KijiError('CONFLICT', 'Other posts took this slug meanwhile; send the write again', { field: 'input.slug' });
    }
  }
}

/** A unique violation on `posts.slug`, as PostgreSQL (23505, by constraint) or SQLite (by column) reports it. */
function isSlugTaken(error: unknown): boolean {
  const driver = (error as { driverError?: { code?: unknown; constraint?: unknown; message?: unknown } } | null)?.driverError;
  if (driver?.code === '23505') return driver.constraint === 'UQ_posts_slug';
  // SQLite names no constraint, only the columns: "UNIQUE constraint failed: posts.slug".
  return driver?.code === 'SQLITE_CONSTRAINT_UNIQUE' && typeof driver.message === 'string' && driver.message.endsWith(': posts.slug');
}
