import type { EntityManager } from 'typeorm';
import { slugify } from '../../../content';
import { tokenFrequencies } from '../../../content/searchTokens';
import { Post, POST_LINK_NAMES, PostLinkName, PostSnapshot } from '../../../entities';
import type { ContentIssue, CoverImageSource, Heading, SeoFields } from '../../../content/types';
import { chunks } from '../../../db/dialect';
import { LockBusyError, SessionLock } from '../../../db/session-lock';
import { bumpContentGeneration } from '../../cache';
import type { Clock } from '../../shared';
import { KijiError } from '../../shared';
import { markRelatedPending, RelatedIndex } from '../../related';
import { splitTokens, type PostTokens, type SearchIndex, type TokenStatistics } from '../../search';
import type { WriteLock } from './write-lock';
import type { PostChangeRecorder } from './post-changes';
import {
  insertPendingPosts,
  insertPost,
  insertRevisions,
  insertTerms,
  linkedNames,
  listedAtOf,
  PostTerms,
  replaceLinks,
  reservePostIds,
  Term,
  termsBySlug,
  updatePostAtVersion,
  versionOf,
  writeLinks,
} from './statements';
import { PendingRows } from './pending-rows';
import { redirectPathsOf, replaceRedirects, retireSlug, slugHolders } from './redirects';

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
  coverImage: CoverImageSource | null;
  seo: SeoFields | null;
  noindex: boolean;
  /**
   * The post's `redirect_from` paths, normalized (content/redirects.ts); absent: the post keeps the
   * ones it has (an editor's write that does not name them). Paths other posts hold are not taken.
   */
  redirectFrom?: string[];
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

/**
 * The one write path for posts, shared by the importer (CLI and `importMarkdown`) and the
 * editors' mutations:
 * - `transaction` runs a write in turn with every other writer, in this process and others
 *   (write-lock.ts), so what it reads (the existing post, free slugs) is what it writes over;
 * - `save`, inside it, writes the post (checking the version it was read at), its ordered links,
 *   the search index, the term statistics, the content generation, a revision, the durable
 *   mark that related lists must follow, and what its recorders keep of the change (the partners'
 *   change log, the webhook outbox): all of it or, on any error, nothing;
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
    /** Written in each write's transaction, after the post itself (post-changes.ts). */
    private readonly recorders: readonly PostChangeRecorder[] = [],
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
   * is still `existing.version`; otherwise it is a CONFLICT and nothing is written. The rows that
   * nothing reads back (links, full-text index, term statistics, revision, related mark, the recorders') are
   * written before it returns or, given `pending`, gathered there, for the caller to write
   * (`writePending`) in the same transaction. `tokens`, when the caller has them (an import
   * tokenizes in its worker threads), are those of the fields' title, excerpt and body.
   */
  async save(manager: EntityManager, existing: Post | null, fields: PostFields, actor: Actor, pending?: PendingRows, tokens?: PostTokens): Promise<Post> {
    const rows = pending ?? new PendingRows();
    const now = this.clock.now();
    const columns = columnsOf(fields);
    let post: Post;
    if (existing) {
      if (!(await updatePostAtVersion(manager, existing.id, existing.version, { ...columns, updatedAt: now }))) {
        const current = await versionOf(manager, existing.id);
        throw new KijiError('CONFLICT', `Post ${existing.slug} was changed by someone else (now at version ${current})`, {
          currentVersion: current ?? null,
        });
      }
      post = manager.create(Post, { ...existing, ...columns, updatedAt: now, version: existing.version + 1 });
    } else {
      const row = { ...columns, createdAt: now, updatedAt: now, version: 1 };
      const id = rows.takeReservedId();
      if (id !== undefined) {
        // Inserted with the batch's other new posts (insertPendingPosts), before anything refers to it.
        post = manager.create(Post, { ...row, id });
        rows.posts.push(post);
      } else {
        // Those reserved before come first: ids stay in the order posts are saved.
        await insertPendingPosts(manager, rows);
        post = await insertPost(manager, row);
      }
    }
    rows.slugGiven(post.slug, post.id);
    const names = await this.link(manager, post, fields, !existing, rows);
    // Rows that refer to the post, or read posts, follow its insert.
    if ((existing && existing.slug !== post.slug) || fields.redirectFrom?.length) await insertPendingPosts(manager, rows);
    // The old slug keeps leading here, and no other post may take it, as long as this post exists.
    if (existing && existing.slug !== post.slug) {
      await retireSlug(manager, post.id, existing.slug, post.slug, now);
      rows.slugRetired();
    }
    // A new post without `redirect_from` has no rows to replace: an import of such files costs nothing more.
    if (fields.redirectFrom && (existing || fields.redirectFrom.length)) await replaceRedirects(manager, post.id, fields.redirectFrom);
    rows.search.set(post.id, { postId: post.id, title: post.title, excerpt: post.excerpt, bodyMarkdown: post.bodyMarkdown, tags: names.tags, tokens });
    const indexed = (p: { deletedAt: Date | null; title: string; bodyMarkdown: string }) => (p.deletedAt ? null : new Set(tokenFrequencies(p.title, p.bodyMarkdown).keys()));
    // A new post's terms (an import's, its tokens distinct already) are counted without a set made of them.
    if (!existing && tokens && !post.deletedAt) rows.termDeltas.recordNew(splitTokens(tokens.terms));
    else rows.termDeltas.record(existing ? indexed(existing) : null, tokens && !post.deletedAt ? new Set(splitTokens(tokens.terms)) : indexed(post));
    rows.related.add(post.id);
    // The rebuild that follows an import weighs the terms its workers counted rather than tokenizing the post again.
    if (tokens?.termCounts !== undefined && post.status === 'published' && !post.deletedAt) {
      this.related.rememberFrequencies(post.id, post.title, post.bodyMarkdown, tokens.terms, tokens.termCounts);
    }
    rows.revisions.push({
      postId: post.id,
      version: post.version,
      createdAt: now,
      actorKeyId: actor.keyId,
      actorName: actor.name,
      snapshot: snapshotOf(post, names),
    });
    rows.changes.push({ before: existing, after: post, at: now });
    if (!pending) await this.writePending(manager, rows);
    return post;
  }

  /**
   * Writes what `save` calls of this transaction gathered in `pending`: a few statements for all
   * of them, whatever their number. Links first (listed counts), then the full-text index, the term
   * statistics, the content generation (once), the revisions, the related marks and the recorders' rows.
   */
  async writePending(manager: EntityManager, pending: PendingRows): Promise<void> {
    await insertPendingPosts(manager, pending);
    if (!pending.any) return;
    await writeLinks(manager, pending);
    await this.search.writeAll(manager, [...pending.search.values()]);
    await this.stats.write(manager, pending.termDeltas);
    await bumpContentGeneration(manager);
    await insertRevisions(manager, pending.revisions);
    await markRelatedPending(manager, [...pending.related]);
    for (const recorder of this.recorders) await recorder.record(manager, pending.changes);
  }

  /**
   * Soft-deletes a post whose file became a page, as an editor's `deletePost` does (revision,
   * change log, webhooks, search follow). Its source hash goes, so the file is read again should
   * it turn back into a post.
   */
  async retire(manager: EntityManager, post: Post, actor: Actor): Promise<Post> {
    return this.save(manager, post, { ...(await this.fieldsOf(manager, post)), deletedAt: this.clock.now(), sourceHash: null }, actor);
  }

  /** A stored post's fields, its links included, as `save` takes them. */
  async fieldsOf(manager: EntityManager, post: Post): Promise<PostFields> {
    const { id: _id, version: _v, createdAt: _c, updatedAt: _u, ...columns } = post;
    return { ...columns, ...(await linkedNames(manager, post.id)), redirectFrom: await redirectPathsOf(manager, post.id) };
  }

  /**
   * The slug itself when free (or already this post's, now or before), else the first free
   * `slug-N`, N ≥ 2. A slug another post had is not free: it still leads to that post. Slugs
   * `pending` knows the holders of are not read again.
   */
  async freeSlug(manager: EntityManager, slug: string, postId: number | null, pending?: PendingRows): Promise<string> {
    // Candidates are asked for ten at a time by exact slug, which the unique index answers.
    for (let from = 1; ; from += 10) {
      const candidates = slugCandidates(slug, from);
      const known = candidates.map((c) => pending?.slugHolders(c));
      let holders: Map<string, number[]>;
      if (known.every((ids) => ids !== undefined)) holders = new Map(candidates.map((c, i) => [c, known[i] ?? []]));
      else {
        // The posts this transaction saved hold their slugs: those not inserted yet are, first.
        if (pending) await insertPendingPosts(manager, pending);
        const formerly = new Map<string, number[]>();
        holders = await slugHolders(manager, candidates, formerly);
        // The next post of this slug (an archive may have dozens) asks the same.
        pending?.rememberSlugHolders(holders, candidates, formerly);
      }
      const free = candidates.find((c) => (holders.get(c) ?? []).every((id) => id === postId));
      if (free) return free;
    }
  }

  /**
   * Reserves ids for the next `count` new posts `pending` gathers, which are then inserted together
   * when the transaction writes its pending rows (or before anything reads or refers to them), in
   * a few statements rather than one a post. For a batch whose every post is new, each saved once.
   */
  async reservePostIds(manager: EntityManager, pending: PendingRows, count: number): Promise<void> {
    pending.reserveIds(await reservePostIds(manager, count));
  }

  /** Reads, in one statement, who holds the slugs that `freeSlug` of these slugs asks about first, for `pending` to know. */
  async readSlugHolders(manager: EntityManager, pending: PendingRows, slugs: readonly string[]): Promise<void> {
    const candidates = [...new Set(slugs.flatMap((slug) => slugCandidates(slug, 1)))];
    if (candidates.length === 0) return;
    const formerly = new Map<string, number[]>();
    pending.rememberSlugHolders(await slugHolders(manager, candidates, formerly), candidates, formerly);
  }

  /**
   * Reads, in one statement, the terms that writes of these fields will link, for `pending` to
   * know: a batch's writes then read none (an import reads its batch's at its start).
   */
  async readTerms(manager: EntityManager, pending: PendingRows, fieldsList: readonly Pick<PostFields, PostLinkName>[]): Promise<void> {
    const slugs = { authors: [], tags: [], categories: [] } as PostTerms<string>;
    for (const fields of fieldsList) {
      const wanted = wantedTerms(fields);
      for (const name of POST_LINK_NAMES) slugs[name].push(...[...wanted[name].keys()].filter((slug) => !pending.knownTerm(name, slug)));
    }
    if (POST_LINK_NAMES.every((name) => slugs[name].length === 0)) return;
    for (const name of POST_LINK_NAMES) slugs[name] = [...new Set(slugs[name])];
    const found = await termsBySlug(manager, slugs);
    for (const name of POST_LINK_NAMES) pending.rememberTerms(name, found[name], slugs[name]);
  }

  /**
   * Creates, a few statements for all, the terms that saves of these fields, in this order, would
   * create one post at a time: those neither known to `pending` nor stored, numbered in the order
   * the posts name them, as those saves would have numbered them. Only for fields every one of
   * which is saved as a new post (an update that turns out unchanged creates none), after
   * `readTerms` of them.
   */
  async createTerms(manager: EntityManager, pending: PendingRows, fieldsList: readonly Pick<PostFields, PostLinkName>[]): Promise<void> {
    const missing = { authors: new Map(), tags: new Map(), categories: new Map() } as Record<PostLinkName, Map<string, string>>;
    for (const fields of fieldsList) {
      const wanted = wantedTerms(fields);
      for (const name of POST_LINK_NAMES) {
        for (const [slug, termName] of wanted[name]) {
          if (!missing[name].has(slug) && !pending.knownTerm(name, slug) && pending.termAbsent(name, slug)) missing[name].set(slug, termName);
        }
      }
    }
    for (const name of POST_LINK_NAMES) {
      if (missing[name].size > 0) await this.createMissing(manager, name, missing[name], pending);
    }
  }

  /**
   * Creates a kind's terms (slug → name, in this order: they are numbered so), and reads those
   * another writer created meanwhile (outside Kiji's turns); `pending` knows them all after.
   */
  private async createMissing(manager: EntityManager, name: PostLinkName, missing: ReadonlyMap<string, string>, pending: PendingRows): Promise<Term[]> {
    const created: Term[] = [];
    for (const rows of chunks([...missing].map(([slug, termName]) => ({ slug, name: termName.slice(0, 200) })))) {
      created.push(...(await insertTerms(manager, name, rows)));
    }
    const others = [...missing.keys()].filter((slug) => !created.some((t) => t.slug === slug));
    const none = { authors: [], tags: [], categories: [] };
    const terms = [...created, ...(others.length ? (await termsBySlug(manager, { ...none, [name]: others }))[name] : [])];
    pending.rememberTerms(name, terms);
    return terms;
  }

  /** Replaces the post's author, tag and category links (listed as the post now is); returns the names as stored. */
  private async link(manager: EntityManager, post: Post, fields: PostFields, fresh: boolean, pending: PendingRows): Promise<PostTerms<string>> {
    const wanted = wantedTerms(fields);
    const terms = await this.terms(manager, wanted, pending);
    const names = {} as PostTerms<string>;
    for (const name of POST_LINK_NAMES) names[name] = terms[name].map((t) => t.name);
    await replaceLinks(manager, post.id, terms, listedAtOf(post), fresh, pending);
    return names;
  }

  /**
   * The terms of each kind with these slugs (`wanted`: slug → name), created when new, in the
   * slugs' order. Those `pending` knows are not read again; the others of every kind are read in
   * one statement; a kind's missing terms are created (and read, should another writer have
   * created some meanwhile).
   */
  private async terms(manager: EntityManager, wanted: Record<PostLinkName, Map<string, string>>, pending: PendingRows): Promise<PostTerms<Term>> {
    const found = { authors: [], tags: [], categories: [] } as PostTerms<Term>;
    // Terms neither known nor known to be absent are read, every kind in one statement.
    const unknown = { authors: [], tags: [], categories: [] } as PostTerms<string>;
    for (const name of POST_LINK_NAMES) {
      for (const slug of wanted[name].keys()) {
        const known = pending.knownTerm(name, slug);
        if (known) found[name].push(known);
        else if (!pending.termAbsent(name, slug)) unknown[name].push(slug);
      }
    }
    if (POST_LINK_NAMES.some((name) => unknown[name].length > 0)) {
      const read = await termsBySlug(manager, unknown);
      for (const name of POST_LINK_NAMES) {
        pending.rememberTerms(name, read[name], unknown[name]);
        found[name].push(...read[name]);
      }
    }
    for (const name of POST_LINK_NAMES) {
      // In the slugs' order, as they are linked: terms are created (and numbered) in the order posts name them.
      const missing = new Map([...wanted[name]].filter(([slug]) => !found[name].some((t) => t.slug === slug)));
      if (missing.size > 0) found[name].push(...(await this.createMissing(manager, name, missing, pending)));
    }
    for (const name of POST_LINK_NAMES) {
      const order = new Map([...wanted[name].keys()].map((slug, i) => [slug, i]));
      found[name].sort((a, b) => order.get(a.slug)! - order.get(b.slug)!);
    }
    return found;
  }
}

/** The ten slugs `freeSlug` tries from the `from`th: the slug itself (the first), then `slug-N`. */
function slugCandidates(slug: string, from: number): string[] {
  return Array.from({ length: 10 }, (_, i) => (from + i === 1 ? slug : `${slug}-${from + i}`));
}

/** The terms a post's fields link, by kind: slug → name (no author is the fallback author). */
function wantedTerms(fields: Pick<PostFields, PostLinkName>): Record<PostLinkName, Map<string, string>> {
  const wanted = {} as Record<PostLinkName, Map<string, string>>;
  for (const name of POST_LINK_NAMES) wanted[name] = namesBySlug(name === 'authors' && fields.authors.length === 0 ? [FALLBACK_AUTHOR] : fields[name]);
  return wanted;
}

/**
 * Whether two sets of fields store the same post (the source file's path and hash aside); terms
 * compare by slug, as `terms` stores them, and no author is the fallback author.
 */
export function sameStoredPost(a: PostFields, b: PostFields): boolean {
  const content = (f: PostFields) => {
    const { sourcePath: _p, sourceHash: _h, ...columns } = columnsOf(f);
    const slugs = (names: string[]) => names.map(slugify);
    const redirects = f.redirectFrom && [...new Set(f.redirectFrom)].sort();
    return JSON.stringify([columns, slugs(f.authors.length ? f.authors : [FALLBACK_AUTHOR]), slugs(f.tags), slugs(f.categories), redirects ?? null]);
  };
  return content(a) === content(b);
}

/**
 * Names by the slug they make, the first spelling of each slug kept: names that slugify alike
 * are one term, so `dirtyf` and `DirtyF` are one author.
 */
function namesBySlug(names: string[]): Map<string, string> {
  const bySlug = new Map<string, string>();
  for (const name of names) {
    const slug = slugify(name);
    if (!bySlug.has(slug)) bySlug.set(slug, name.trim());
  }
  return bySlug;
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
    coverImage: f.coverImage,
    seo: f.seo,
    noindex: f.noindex,
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
