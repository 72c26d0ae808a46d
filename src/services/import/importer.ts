import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { ContentError, ContentIssue, prepareArticle, PreparedArticle, SourceFile } from '../../content';
import type { BodyBases } from '../../content/types';
import { dialectOf } from '../../db/dialect';
import { Post } from '../../entities';
import { IMPORT_ACTOR, PendingRows, PostFields, PostStore, sameStoredPost, sourceHashes } from '../posts/write';
import { displayPath, listArticleFiles, readSiteTimeZones } from './source-files';
import { AssetsFolder } from './assets-folder';
import { FilePreparer, filePreparer } from './file-preparer';
import type { PostTokens } from '../search';
import { importAuthorProfiles } from './author-profiles';
import { isPageSource } from '../../content/pages';
import { redirectLine } from '../../content/redirects';
import type { PageWriter } from '../pages';
import { formerHolderOf, redirectsHeldByOthers } from '../posts/write';
import { pathBelowRoot } from './site-paths';
import { StoredAt, storedAt, storedAtEach } from './stored-at';
import { withSpacedCheckpoints } from './wal-checkpoints';

/**
 * Bumped when the content pipeline changes what it produces, so re-imports pick the change up.
 * 2: dates in every written form, in the site's time zone; undated posts are kept as drafts.
 * 3: cover images, declared SEO fields, redirects; bodies' relative URLs made absolute, images lazy.
 */
export const PIPELINE_VERSION = '3';

/** Content issues that change what is stored (the date), so an import reports them; lint reports all. */
const REPORTED_ISSUES = /^(DATE_|NO_DATE$|BAD_TIMEZONE$|SITE_CONFIG_|REDIRECT_)/;

export interface ImportFailure {
  file: string;
  line: number;
  message: string;
}

export interface ImportWarning {
  file: string;
  line: number;
  code: string;
  message: string;
}

export interface ImportSource {
  path: string;
  read: () => string;
  /** Zone of dates written without an offset; the importer's own (KIJI_TIMEZONE) when absent. */
  timeZone?: string;
  /** The file's path below the folder imported (`pages/about.md`), which tells a page from a post; absent: `path`. */
  sitePath?: string;
  /** The site's files, where images' sizes are read (`kiji import --assets`); absent: sizes unknown. */
  assets?: AssetsFolder;
}

export interface ImportPathsOptions {
  /** The site's root folder, where `/assets/img/x.png` is `<assetsDir>/assets/img/x.png`: images' sizes are read there. */
  assetsDir?: string;
}

export interface ImportSummary {
  imported: number;
  updated: number;
  unchanged: number;
  /** How many of the files imported, updated or unchanged are pages rather than posts. */
  pages: number;
  failed: ImportFailure[];
  warnings: ImportWarning[];
}

export type ImportOutcome = 'imported' | 'updated' | 'unchanged' | 'failed';

/**
 * Posts written in one transaction, at most, on SQLite. Each transaction costs a commit, so
 * batches make an import faster; a batch holds the write lock while it writes, so an editor's
 * write waits for one batch at most.
 */
const BATCH_FILES = 32;

/** Files examined (read, hashed, prepared) ahead of the one being written: enough to keep every worker thread busy. */
const PREPARE_AHEAD = 2 * BATCH_FILES;

/** One file's outcome, as a batch leaves it. */
type Written = { outcome: Exclude<ImportOutcome, 'failed'>; postId: number | null };

/** One file of a run: its warnings in order, then its outcome or its failure. */
interface FileResult {
  path: string;
  warnings: ImportWarning[];
  written?: Written;
  failure?: ImportFailure;
}

/** What a file needs: nothing, a page import, or a post write. */
type Examined =
  | { kind: 'unchanged'; postId: number }
  | { kind: 'page'; importPage: () => Promise<Written['outcome']> }
  | { kind: 'post'; file: SourceFile; article: PreparedArticle; tokens: PostTokens; hash: string };

/** A prepared post waiting for its batch; `warnedBefore`: its warnings before the write. */
interface PendingPost {
  file: SourceFile;
  article: PreparedArticle;
  tokens: PostTokens;
  hash: string;
  result: FileResult;
  warnedBefore: number;
}

export interface ImportProgress {
  done: number;
  total: number;
  file: string;
}

/**
 * Imports Markdown files in batches, each in one transaction (through the one write path,
 * post-store.ts), a file that fails rolled back alone, so a bad file is reported and the rest go on, and nothing stored
 * before is damaged. Unchanged files (same text, same pipeline) are not written again; a file keeps
 * its post across re-imports by its path. Related lists follow once, at the end of a run, from the
 * durable marks each file's write left: a run killed at any moment leaves them for the next run,
 * start or write to finish.
 */
export class Importer {
  constructor(
    private readonly dataSource: DataSource,
    private readonly postUrl: (slug: string) => string,
    private readonly store: PostStore,
    /** KIJI_TIMEZONE: wins over a site's `_config.yml`; UTC when neither says. */
    private readonly timeZone: string | undefined,
    private readonly bases: BodyBases = { siteUrl: null, assetUrl: null },
    /** Where page files go (`layout: page`, a `pages/` folder); absent: every file is a post. */
    private readonly pages: PageWriter | null = null,
  ) {}

  /**
   * Imports files and folders (`kiji import`, `kiji start`): one such run per database at a
   * time, a second one waits for the first (`onWait` says so) and then finds its files stored.
   * Ends by settling every pending related-list change, those a killed run left included.
   */
  async importPaths(paths: string[], onProgress?: (progress: ImportProgress) => void, onWait?: () => void, options: ImportPathsOptions = {}): Promise<ImportSummary> {
    const files = listArticleFiles(paths);
    const assets = options.assetsDir === undefined ? undefined : new AssetsFolder(options.assetsDir);
    const sites = this.timeZone ? null : readSiteTimeZones(paths);
    const sources = files.map((file) => ({
      path: displayPath(file),
      read: () => fs.readFileSync(file, 'utf8'),
      timeZone: sites?.zoneOf(file),
      sitePath: pathBelowRoot(file, paths),
      assets,
    }));
    const summary = await withSpacedCheckpoints(this.dataSource, () =>
      this.store.bulk(async () => {
        // Profiles first, so a post naming its author by handle finds them under the profile's name.
        const profileIssues = await importAuthorProfiles(paths, this.store);
        const result = await this.importEach(sources, onProgress, undefined, BATCH_FILES);
        result.warnings.unshift(...profileIssues.map(warningOf));
        return result;
      }, onWait),
    );
    summary.warnings.unshift(...(sites?.issues ?? []).map(warningOf));
    return summary;
  }

  /**
   * Imports an editor's files (`importMarkdown`): a handful, so they do not wait for a running
   * `kiji import` (each file still takes its turn to write); their own related lists are settled,
   * and what a killed run left, as after any write.
   */
  async importSources(sources: ImportSource[], onProgress?: (progress: ImportProgress) => void): Promise<ImportSummary> {
    const changed: number[] = [];
    const summary = await this.importEach(sources, onProgress, changed);
    await this.store.settleRelated(changed);
    await this.store.finishPending();
    return summary;
  }

  /**
   * At start: finishes the related-list work a killed import or write left marked, unless an
   * import is running (it finishes it at its end).
   */
  finishPending(): Promise<void> {
    return this.store.finishPending();
  }

  /**
   * Imports files in order. Posts are prepared (rendered) outside any transaction, then written
   * `batchOf` at a time in one write transaction (writeBatch): a file that cannot be stored is
   * rolled back alone and reported, the others of its batch go on. A
   * batch's files commit together, with their related-list marks: a process killed at any moment
   * has committed whole files and nothing of the rest, which the next run imports. Files are
   * prepared up to PREPARE_AHEAD ahead of the one written, on worker threads for a large run
   * (file-preparer.ts); on PostgreSQL the next batch is also prepared while the last one is written.
   */
  private async importEach(sources: ImportSource[], onProgress?: (progress: ImportProgress) => void, changed: number[] = [], batchOf = 1): Promise<ImportSummary> {
    const files: FileResult[] = sources.map((source) => ({ path: source.path, warnings: [] }));
    let done = 0;
    const report = (result: FileResult) => onProgress?.({ done: ++done, total: sources.length, file: result.path });
    let batch: PendingPost[] = [];
    let writing: Promise<void> = Promise.resolve();
    // SQLite's one connection would show a read made meanwhile the batch's uncommitted rows.
    const overlap = !dialectOf(this.dataSource).oneConnection;
    // Batches are for `kiji import` (batchOf) alone: inside the server (importMarkdown), readers share
    // SQLite's one connection and would see, and cache, a batch's posts before it commits.
    const flush = async () => {
      const posts = batch;
      batch = [];
      await writing;
      writing = this.writeBatch(posts).then(() => posts.forEach((post) => report(post.result)));
      if (!overlap) await writing;
    };
    // Read before any write: which files are stored with the hash they have now (each write checks again).
    const stored = await sourceHashes(
      this.dataSource.manager,
      sources.map((s) => s.path),
    );
    const preparer = filePreparer(sources.length);
    try {
      const examining: Promise<Examined | { failure: unknown }>[] = [];
      const examineNext = () => {
        const k = examining.length;
        if (k >= sources.length) return;
        const source = sources[k];
        const step = (async () => {
          const file = { path: source.path, text: source.read(), sitePath: source.sitePath };
          return this.examine(file, files[k].warnings, source.timeZone ?? this.timeZone, stored, preparer, source.assets);
        })();
        examining.push(step.catch((failure: unknown) => ({ failure })));
      };
      for (let k = 0; k < Math.min(PREPARE_AHEAD, sources.length); k++) examineNext();
      for (const [k, source] of sources.entries()) {
        const result = files[k];
        const step = await examining[k];
        examineNext();
        try {
          if ('failure' in step) throw step.failure;
          if (step.kind === 'post') {
            batch.push({ ...step, result, warnedBefore: result.warnings.length });
            if (batch.length >= batchOf) await flush();
            continue;
          }
          if (step.kind === 'page') {
            // Pages are few: each is written on its own, in file order with the posts around it.
            await flush();
            await writing;
            result.written = { outcome: await step.importPage(), postId: null };
          } else result.written = { outcome: 'unchanged', postId: step.postId };
        } catch (error) {
          result.failure = failureOf(source.path, error);
        }
        report(result);
      }
      await flush();
      await writing;
    } finally {
      await preparer.close();
    }
    const summary: ImportSummary = { imported: 0, updated: 0, unchanged: 0, pages: 0, failed: [], warnings: [] };
    for (const result of files) {
      summary.warnings.push(...result.warnings);
      if (result.failure || !result.written) {
        summary.failed.push(result.failure ?? { file: result.path, line: 0, message: 'could not be stored' });
        continue;
      }
      const { outcome, postId } = result.written;
      summary[outcome] += 1;
      if (postId === null) summary.pages += 1;
      else if (outcome !== 'unchanged') changed.push(postId);
    }
    return summary;
  }

  /**
   * Writes a batch of prepared posts in one transaction. Should the batch itself fail (its commit,
   * or the lock), each file is written again in a transaction of its own, as if the batch had
   * never been tried. Never throws: each file's outcome or failure is recorded.
   *
   * The batch is first tried without savepoints: on PostgreSQL each costs two round trips a file;
   * on SQLite its own flush of the full-text index's pending entries (FTS5 writes them out at every
   * savepoint), more than the post's own rows. Should any file fail, that try is rolled back whole
   * and the batch written again with savepoints, each file in its own, from the same state. The
   * rows nothing reads back are written for the whole batch before its commit, outside the files'
   * savepoints: should those fail (a constraint or trigger on a link, say), the savepoint try fails
   * too, and each file is then written in a transaction of its own, its own failure reported. SQLite
   * hands a rolled-back transaction's ids out again; PostgreSQL's sequences do not (as they do not
   * for a file whose savepoint rolls back), so there the posts of such a batch get later ids, with
   * a gap before them: ids order posts by when they were stored, and nothing needs them dense.
   */
  private async writeBatch(posts: PendingPost[]): Promise<void> {
    if (posts.length === 0) return;
    if (posts.length > 1) {
      if (await this.tryBatch(posts, false)) return;
      if (await this.tryBatch(posts, true)) return;
    }
    for (const post of posts) {
      try {
        post.result.written = await this.store.transaction((manager) => this.writePost(manager, post));
      } catch (error) {
        post.result.failure = failureOf(post.file.path, error);
      }
    }
  }

  /**
   * Writes a batch in one transaction: with `savepoints`, each file in its own, a file that fails
   * rolled back alone; without, the first file that fails rolls the whole batch back. The rows no
   * write reads back (links, revisions, marks, change log ...) are gathered over the batch and
   * written once, before the commit. False when the batch was rolled back, its files' outcomes
   * and warnings as they were before.
   */
  private async tryBatch(posts: PendingPost[], savepoints: boolean): Promise<boolean> {
    try {
      await this.store.transaction(async (manager) => {
        // The rows of the files whose writes held; what the files have stored and the terms they name, read once.
        const batchRows = new PendingRows();
        const stored = await storedAtEach(
          manager,
          posts.map((post) => post.file.path),
        );
        await this.store.readTerms(
          manager,
          batchRows,
          posts.map((post) => post.article),
        );
        await this.store.readSlugHolders(
          manager,
          batchRows,
          posts.map((post) => post.article.slug),
        );
        // Without savepoints, any file that fails rolls the batch back whole: what its new posts will
        // store can be made before them (their ids, their new terms), and their posts inserted together.
        const fresh = posts.filter((post) => stored.get(post.file.path)?.postId === null).length;
        if (!savepoints) await this.store.reservePostIds(manager, batchRows, fresh);
        if (!savepoints && fresh === posts.length) {
          await this.store.createTerms(
            manager,
            batchRows,
            posts.map((post) => post.article),
          );
        }
        for (const post of posts) {
          if (!savepoints) {
            post.result.written = await this.writePost(manager, post, batchRows, stored.get(post.file.path));
            continue;
          }
          try {
            const rows = new PendingRows(batchRows);
            post.result.written = await manager.transaction((savepoint) => this.writePost(savepoint, post, rows, stored.get(post.file.path)));
            batchRows.absorb(rows);
          } catch (error) {
            post.result.failure = failureOf(post.file.path, error);
          }
        }
        await this.store.writePending(manager, batchRows);
      });
      return true;
    } catch {
      for (const post of posts) {
        post.result.written = post.result.failure = undefined;
        post.result.warnings.length = post.warnedBefore;
      }
      return false;
    }
  }

  /**
   * What importing one file takes, decided outside any transaction: nothing (stored with the same
   * hash), a page (imported by `importPage`), or a post, prepared, for `writePost`. Throws
   * ContentError for content that cannot be imported.
   */
  private async examine(
    source: SourceFile & { sitePath?: string },
    warnings: ImportWarning[],
    timeZone: string | undefined,
    stored: ReadonlyMap<string, { id: number; sourceHash: string | null }>,
    preparer: FilePreparer,
    assets?: AssetsFolder,
  ): Promise<Examined> {
    // The zone is part of what a file means: the same text read in another zone is other dates.
    // So are the site and asset bases (the body's absolute URLs) and the assets folder (images'
    // sizes): changing either renders the file again on the next import. A changed image file
    // in the same folder does not; `kiji import` with another PIPELINE_VERSION or folder does.
    const { siteUrl, assetUrl } = this.bases;
    const hash = createHash('sha256')
      .update(PIPELINE_VERSION)
      .update('\0')
      .update(timeZone ?? 'UTC')
      .update('\0')
      .update(`${siteUrl ?? ''}\0${assetUrl ?? ''}\0${assets?.root ?? ''}`)
      .update('\0')
      // Document-relative links and images resolve against the post's URL (KIJI_POST_URL):
      // the template, seen through a placeholder slug, is part of what the body renders to.
      .update(this.postUrl('{slug}'))
      .update('\0')
      .update(source.text)
      .digest('hex');
    const options = { postUrl: this.postUrl, timeZone, siteUrl, assetUrl, imageSize: assets?.size };
    const pages = this.pages;
    if (pages && isPageSource(source.sitePath ?? source.path, source.text)) {
      // A page (postId null): prepared as posts are, stored apart from them.
      const report = (issue: ContentIssue) => {
        if (REPORTED_ISSUES.test(issue.code) || issue.code === 'SLUG_TAKEN') warnings.push(warningOf(issue));
      };
      const retire = (manager: EntityManager) => this.retirePost(manager, source.path, warnings);
      return { kind: 'page', importPage: () => pages.importPage(source, hash, () => prepareArticle(source, options), report, retire) };
    }
    const known = stored.get(source.path);
    if (known && known.sourceHash === hash) return { kind: 'unchanged', postId: known.id };
    const settings = { postUrlTemplate: this.postUrl('{slug}'), timeZone, siteUrl, assetUrl, assetsRoot: assets?.root };
    const { article, tokens } = await preparer.prepare(source, settings, options);
    warnings.push(...article.contentIssues.filter((issue) => REPORTED_ISSUES.test(issue.code)).map(warningOf));
    return { kind: 'post', file: source, article, tokens, hash };
  }

  /**
   * Writes one prepared post inside the caller's write transaction (post, links, search index,
   * term statistics, the mark for its related lists), the rows nothing reads back gathered in
   * `pending` when given (the caller writes them), else written here. Related lists are the
   * caller's to settle. `storedNow`: what the file has stored, when the caller read it in this
   * transaction.
   */
  private async writePost(
    manager: EntityManager,
    { file: source, article, tokens, hash, result: { warnings } }: PendingPost,
    pending?: PendingRows,
    storedNow?: StoredAt,
  ): Promise<Written> {
    // Again, in turn with other writers: another import may have stored this file meanwhile.
    const stored = storedNow ?? (await storedAt(manager, source.path));
    const existing = stored.postId === null ? null : await manager.findOne(Post, { where: { id: stored.postId } });
    if (existing && existing.sourceHash === hash) return { outcome: 'unchanged', postId: existing.id } as const;
    // The file was a page: it is a post now, and its page goes.
    const formerPage = stored.page ? await this.pages?.removeBySource(manager, source.path) : null;
    if (formerPage) warnings.push({ file: source.path, line: 1, code: 'NOW_A_POST', message: `this file is a post now; its page "${formerPage}" is removed` });
    // A post that an import retired when its file became a page (deleted, hash cleared) comes back with the file.
    const restored = formerPage && existing?.deletedAt && existing.sourceHash === null;
    // A slug that is another post's current one or an old one (which still redirects to it) is taken.
    // A `redirect_from` path of another post is not: a post's current URL wins over it (RedirectReader).
    const slug = await this.store.freeSlug(manager, article.slug, existing?.id ?? null, pending);
    if (slug !== article.slug) {
      // Read with the batch's slugs, when it was: most taken slugs are another post's own, and no post ever gave them up.
      const former = pending?.formerHolders(article.slug)?.length === 0 ? null : await formerHolderOf(manager, article.slug);
      const by = former && former.id !== existing?.id ? `was post "${former.slug}"'s, whose old URL still leads to it` : 'is already used by another post';
      warnings.push({ file: source.path, line: 1, code: 'SLUG_TAKEN', message: `slug "${article.slug}" ${by}; this post gets "${slug}"` });
    }
    // A `redirect_from` path another file claimed first stays that file's post's.
    const held = await redirectsHeldByOthers(manager, article.redirectFrom, existing?.id ?? null);
    for (const path of held.keys()) {
      warnings.push({
        file: source.path,
        line: redirectLine(source.text, path),
        code: 'REDIRECT_TAKEN',
        message: `redirect_from "${path}" already leads to another post; it is left to that post`,
      });
    }
    // A page's address is the page's: a redirect from it would take readers away from a live page.
    const pageAddresses = (await this.pages?.pagesAt(manager, article.redirectFrom)) ?? new Map<string, string>();
    for (const [path, page] of pageAddresses) {
      held.set(path, 0);
      warnings.push({
        file: source.path,
        line: redirectLine(source.text, path),
        code: 'REDIRECT_TAKEN',
        message: `redirect_from "${path}" is the address of page "${page}"; it is not stored`,
      });
    }
    const fields: PostFields = {
      ...article,
      redirectFrom: article.redirectFrom.filter((path) => !held.has(path)),
      slug,
      // A post whose date is missing or unreadable is kept out of the public feed until it has one.
      status: article.draft || !article.publishedAt ? 'draft' : 'published',
      publishedAt: article.publishedAt,
      // An editor's deletion stands until an editor restores the post.
      deletedAt: restored ? null : (existing?.deletedAt ?? null),
      sourceHash: hash,
    };
    if (existing && sameStoredPost(await this.store.fieldsOf(manager, existing), fields)) {
      // A new pipeline that reads this file as before: remember the hash, write no revision.
      await manager.update(Post, { id: existing.id }, { sourceHash: hash });
      return { outcome: 'unchanged', postId: existing.id } as const;
    }
    // The fields' title, excerpt and body are the article's: its tokens are theirs.
    const post = await this.store.save(manager, existing, fields, IMPORT_ACTOR, pending, tokens);
    return { outcome: existing ? 'updated' : 'imported', postId: post.id } as const;
  }

  /**
   * The file at `sourcePath` became a page: its live post, if it had one, is soft-deleted through
   * the one write path (revision, change log, webhooks, search follow) and the import says so.
   */
  private async retirePost(manager: EntityManager, sourcePath: string, warnings: ImportWarning[]): Promise<void> {
    const post = await manager.findOne(Post, { where: { sourcePath, deletedAt: IsNull() } });
    if (!post) return;
    await this.store.retire(manager, post, IMPORT_ACTOR);
    warnings.push({ file: sourcePath, line: 1, code: 'NOW_A_PAGE', message: `this file is a page now; its post "${post.slug}" is deleted (an editor can restore it)` });
  }
}

function warningOf(issue: ContentIssue): ImportWarning {
  return { file: issue.file, line: issue.line, code: issue.code, message: issue.message };
}

function failureOf(file: string, error: unknown): ImportFailure {
  if (error instanceof ContentError) return { file, line: error.line, message: error.message };
  const message = error instanceof Error ? error.message : String(error);
  return { file, line: 0, message: `could not be stored: ${message.split('\n')[0]}` };
}
