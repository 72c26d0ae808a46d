import { EntityManager, EntityTarget, In } from 'typeorm';
import { slugify } from '../../../content';
import { tokenFrequencies } from '../../../content/searchTokens';
import { Author, Category, Post, PostAuthor, PostCategory, PostRevision, PostSnapshot, PostTag, Tag } from '../../../entities';
import type { ContentIssue, Heading } from '../../../content/types';
import { LockBusyError, SessionLock } from '../../../db/session-lock';
import { isPostgres } from '../../../db/sql';
import { bumpContentGeneration } from '../../cache';
import type { Clock } from '../../shared';
import { KijiError } from '../../shared';
import { markRelatedPending, RelatedIndex } from '../../related';
import type { SearchIndex } from '../../search';
import type { TokenStatistics } from '../../search';
import type { WriteLock } from './write-lock';

/** Everything stored for a post, as the importer or an editor's mutation decided it. */
export interface PostFields {
  slug: string;
  title: string;
  excerpt: string;
  bodyMarkdown: string;
  bodyHtml: string;
  headings: Heading[];
  readingTimeMinutes: number;
  language: string;
  status: 'draft' | 'published';
  publishedAt: Date | null;
  deletedAt: Date | null;
  frontMatter: Record<string, unknown>;
  contentIssues: ContentIssue[];
  sourcePath: string | null;
  sourceHash: string | null;
  /** Names (or slugs) as given; the first author is the primary one. */
  authors: string[];
  tags: string[];
  categories: string[];
}

/** Who made a change, as revisions record it. */
export interface Actor {
  keyId: string | null;
  name: string;
}

export const IMPORT_ACTOR: Actor = { keyId: null, name: 'import' };

/** Used when a post names no author: `Post.author` is never null. */
export const FALLBACK_AUTHOR = 'Anonymous';

type Named = Author | Tag | Category;

/**
 * The one write path for posts, shared by the importer (CLI and `importMarkdown`) and the
 * editors' mutations:
 * - `transaction` runs a write in turn with every other writer, in this process and others
 *   (write-lock.ts), so what it reads (the existing post, free slugs) is what it writes over;
 * - `save`, inside it, writes the post (checking the version it was read at), its ordered links,
 *   the search index, the term statistics, the content generation, a revision, and the durable
 *   mark that related lists must follow: all of it or, on any error, nothing;
 * - `settleRelated`, after commit, refreshes the related lists from those marks. Related lists
 *   depend on many posts, so a batch of writes (`bulk`) settles once, at its end; a crash before
 *   that leaves the marks, which the next bulk run, start or write finishes (`finishPending`).
 */
export class PostStore {
  constructor(
    private readonly clock: Clock,
    private readonly search: SearchIndex,
    private readonly stats: TokenStatistics,
    private readonly lock: WriteLock,
    private readonly related: RelatedIndex,
    /** One bulk run (`kiji import`) per database at a time, across processes. */
    private readonly bulkRuns: SessionLock,
  ) {}

  /** One write transaction, holding the write lock from its first statement to commit. */
  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.lock.transaction(work);
  }

  /** Brings related lists up to date with the marked changes: all of them, or those of `postIds`. */
  settleRelated(postIds?: readonly number[]): Promise<void> {
    return this.related.settle(postIds);
  }

  /**
   * Runs a batch of writes (an import run) as the only one on this database: a second one waits
   * for the first (`onWait` says so), then settles every pending related change, those that killed
   * runs left included.
   */
  async bulk<T>(work: () => Promise<T>, onWait?: () => void): Promise<T> {
    const release = await this.bulkRuns.acquire({ wait: true, onWait });
    try {
      const result = await work();
      await this.related.settle();
      return result;
    } finally {
      await release();
    }
  }

  /**
   * Settles what a killed run or write left marked, unless a bulk run is going on (it settles
   * everything at its end). Costs one small read when nothing is pending.
   */
  async finishPending(): Promise<void> {
    if (!(await this.related.anyPending())) return;
    let release;
    try {
      release = await this.bulkRuns.acquire({ wait: false });
    } catch (error) {
      if (error instanceof LockBusyError) return;
      throw error;
    }
    try {
      await this.related.settle();
    } finally {
      await release();
    }
  }

  /**
   * Inserts (existing = null) or updates a post. An update only applies when the stored version
   * is still `existing.version`; otherwise it is a CONFLICT and nothing is written.
   */
  async save(manager: EntityManager, existing: Post | null, fields: PostFields, actor: Actor): Promise<Post> {
    const now = this.clock.now();
    const columns = columnsOf(fields);
    let post: Post;
    if (existing) {
      const result = await manager
        .createQueryBuilder()
        .update(Post)
        // simple-json columns are serialized by the driver; TypeORM's partial type cannot say so.
        .set({ ...columns, updatedAt: now, version: () => 'version + 1' } as never)
        .where('id = :id AND version = :version', { id: existing.id, version: existing.version })
        .execute();
      if (!result.affected) {
        const current = await manager.findOne(Post, { where: { id: existing.id }, select: { id: true, version: true } });
        throw new KijiError('CONFLICT', `Post ${existing.slug} was changed by someone else (now at version ${current?.version})`, {
          currentVersion: current?.version ?? null,
        });
      }
      post = manager.create(Post, { ...existing, ...columns, updatedAt: now, version: existing.version + 1 });
    } else {
      post = await manager.save(Post, manager.create(Post, { ...columns, createdAt: now, updatedAt: now, version: 1 }));
    }
    const names = await this.link(manager, post.id, fields);
    await this.search.write(manager, { postId: post.id, title: post.title, excerpt: post.excerpt, bodyMarkdown: post.bodyMarkdown, tags: names.tags });
    const indexed = (p: { deletedAt: Date | null; title: string; bodyMarkdown: string }) =>
      p.deletedAt ? null : new Set(tokenFrequencies(p.title, p.bodyMarkdown).keys());
    await this.stats.apply(manager, existing ? indexed(existing) : null, indexed(post));
    await bumpContentGeneration(manager);
    await markRelatedPending(manager, post.id);
    await manager.insert(PostRevision, {
      postId: post.id,
      version: post.version,
      createdAt: now,
      actorKeyId: actor.keyId,
      actorName: actor.name,
      snapshot: snapshotOf(post, names),
    });
    return post;
  }

  /** A stored post's fields, its links included, as `save` takes them. */
  async fieldsOf(manager: EntityManager, post: Post): Promise<PostFields> {
    const names = async (table: string, column: string, terms: string) =>
      (
        (await manager.query(
          `SELECT t.name AS name FROM ${table} l INNER JOIN ${terms} t ON t.id = l."${column}" WHERE l."postId" = ${isPostgres(manager) ? '$1' : '?'} ORDER BY l.position`,
          [post.id],
        )) as { name: string }[]
      ).map((r) => r.name);
    const { id: _id, version: _v, createdAt: _c, updatedAt: _u, ...columns } = post;
    return {
      ...columns,
      authors: await names('post_authors', 'authorId', 'authors'),
      tags: await names('post_tags', 'tagId', 'tags'),
      categories: await names('post_categories', 'categoryId', 'categories'),
    };
  }

  /** The slug itself when free (or already this post's), else the first free `slug-N`, N ≥ 2. */
  async freeSlug(manager: EntityManager, slug: string, postId: number | null): Promise<string> {
    // Candidates are asked for ten at a time by exact slug, which the unique index answers.
    for (let from = 1; ; from += 10) {
      const candidates = Array.from({ length: 10 }, (_, i) => (from + i === 1 ? slug : `${slug}-${from + i}`));
      const taken = await manager.find(Post, { select: { id: true, slug: true }, where: { slug: In(candidates) } });
      const owner = new Map(taken.map((p) => [p.slug, p.id]));
      const free = candidates.find((c) => !owner.has(c) || owner.get(c) === postId);
      if (free) return free;
    }
  }

  /** Replaces the post's author, tag and category links; returns the names as stored. */
  private async link(manager: EntityManager, postId: number, fields: PostFields) {
    const authors = await this.terms(manager, Author, fields.authors.length ? fields.authors : [FALLBACK_AUTHOR]);
    const tags = await this.terms(manager, Tag, fields.tags);
    const categories = await this.terms(manager, Category, fields.categories);
    const links: [EntityTarget<PostAuthor | PostTag | PostCategory>, string, Named[]][] = [
      [PostAuthor, 'authorId', authors],
      [PostTag, 'tagId', tags],
      [PostCategory, 'categoryId', categories],
    ];
    for (const [entity, column, terms] of links) {
      await manager.delete(entity, { postId });
      if (terms.length) await manager.insert(entity, terms.map((term, position) => ({ postId, [column]: term.id, position })));
    }
    const names = (terms: Named[]) => terms.map((t) => t.name);
    return { authors: names(authors), tags: names(tags), categories: names(categories) };
  }

  /**
   * The terms with these names, created when new. Names that slugify alike are one term (the
   * first spelling is kept), so `dirtyf` and `DirtyF` are one author.
   */
  private async terms<T extends Named>(manager: EntityManager, entity: EntityTarget<T>, names: string[]): Promise<T[]> {
    const bySlug = new Map<string, string>();
    for (const name of names) {
      const slug = slugify(name);
      if (!bySlug.has(slug)) bySlug.set(slug, name.trim());
    }
    if (bySlug.size === 0) return [];
    const slugs = [...bySlug.keys()];
    const repo = manager.getRepository(entity);
    const found = await repo.findBy({ slug: In(slugs) } as never);
    const missing = slugs.filter((slug) => !found.some((t) => t.slug === slug));
    if (missing.length) {
      await repo
        .createQueryBuilder()
        .insert()
        .values(missing.map((slug) => ({ slug, name: bySlug.get(slug)!.slice(0, 200) })) as never)
        .orIgnore()
        .execute();
      found.push(...(await repo.findBy({ slug: In(missing) } as never)));
    }
    const order = new Map(slugs.map((slug, i) => [slug, i]));
    return found.sort((a, b) => order.get(a.slug)! - order.get(b.slug)!);
  }
}

/**
 * Whether two sets of fields store the same post (the source file's path and hash aside); terms
 * compare by slug, as `terms` stores them, and no author is the fallback author.
 */
export function sameStoredPost(a: PostFields, b: PostFields): boolean {
  const content = (f: PostFields) => {
    const { sourcePath: _p, sourceHash: _h, ...columns } = columnsOf(f);
    const slugs = (names: string[]) => names.map(slugify);
    return JSON.stringify([columns, slugs(f.authors.length ? f.authors : [FALLBACK_AUTHOR]), slugs(f.tags), slugs(f.categories)]);
  };
  return content(a) === content(b);
}

/** The post columns among the fields (callers may pass richer objects, e.g. a PreparedArticle). */
function columnsOf(f: PostFields): Omit<PostFields, 'authors' | 'tags' | 'categories'> {
  return {
    slug: f.slug,
    title: f.title,
    excerpt: f.excerpt,
    bodyMarkdown: f.bodyMarkdown,
    bodyHtml: f.bodyHtml,
    headings: f.headings,
    readingTimeMinutes: f.readingTimeMinutes,
    language: f.language,
    status: f.status,
    publishedAt: f.publishedAt,
    deletedAt: f.deletedAt,
    frontMatter: f.frontMatter,
    contentIssues: f.contentIssues,
    sourcePath: f.sourcePath,
    sourceHash: f.sourceHash,
  };
}

function snapshotOf(post: Post, names: { authors: string[]; tags: string[]; categories: string[] }): PostSnapshot {
  return {
    slug: post.slug,
    title: post.title,
    excerpt: post.excerpt,
    bodyMarkdown: post.bodyMarkdown,
    status: post.status,
    publishedAt: post.publishedAt?.toISOString() ?? null,
    deletedAt: post.deletedAt?.toISOString() ?? null,
    ...names,
  };
}
