import { createHash } from 'node:crypto';
import fs from 'node:fs';
import type { DataSource } from 'typeorm';
import { ContentError, ContentIssue, prepareArticle, SourceFile } from '../../content';
import { Post } from '../../entities';
import { IMPORT_ACTOR, PostFields, PostStore, sameStoredPost } from '../posts/write';
import { displayPath, listArticleFiles, readSiteTimeZones } from './source-files';

/**
 * Bumped when the content pipeline changes what it produces, so re-imports pick the change up.
 * 2: dates in every written form, in the site's time zone; undated posts are kept as drafts.
 */
export const PIPELINE_VERSION = '2';

/** Content issues that change what is stored (the date), so an import reports them; lint reports all. */
const REPORTED_ISSUES = /^(DATE_|NO_DATE$|BAD_TIMEZONE$|SITE_CONFIG_)/;

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
}

export interface ImportSummary {
  imported: number;
  updated: number;
  unchanged: number;
  failed: ImportFailure[];
  warnings: ImportWarning[];
}

export type ImportOutcome = 'imported' | 'updated' | 'unchanged' | 'failed';

export interface ImportProgress {
  done: number;
  total: number;
  file: string;
}

/**
 * Imports Markdown files: each file in its own transaction (through the one write path,
 * post-store.ts), so a bad file is reported and the rest go on, and nothing stored before is
 * damaged. Unchanged files (same text, same pipeline) are not written again; a file keeps its
 * post across re-imports by its path. Related lists follow once, at the end of a run, from the
 * durable marks each file's transaction left: a run killed at any moment leaves them for the
 * next run, start or write to finish.
 */
export class Importer {
  constructor(
    private readonly dataSource: DataSource,
    private readonly postUrl: (slug: string) => string,
    private readonly store: PostStore,
    /** KIJI_TIMEZONE: wins over a site's `_config.yml`; UTC when neither says. */
    private readonly timeZone: string | undefined,
  ) {}

  /**
   * Imports files and folders (`kiji import`, `kiji start`): one such run per database at a
   * time, a second one waits for the first (`onWait` says so) and then finds its files stored.
   * Ends by settling every pending related-list change, those a killed run left included.
   */
  async importPaths(paths: string[], onProgress?: (progress: ImportProgress) => void, onWait?: () => void): Promise<ImportSummary> {
    const files = listArticleFiles(paths);
    const sites = this.timeZone ? null : readSiteTimeZones(paths);
    const sources = files.map((file) => ({
      path: displayPath(file),
      read: () => fs.readFileSync(file, 'utf8'),
      timeZone: sites?.zoneOf(file),
    }));
    const summary = await this.store.bulk(() => this.importEach(sources, onProgress), onWait);
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

  private async importEach(sources: ImportSource[], onProgress?: (progress: ImportProgress) => void, changed: number[] = []): Promise<ImportSummary> {
    const summary: ImportSummary = { imported: 0, updated: 0, unchanged: 0, failed: [], warnings: [] };
    let done = 0;
    for (const source of sources) {
      try {
        const { outcome, postId } = await this.importOne({ path: source.path, text: source.read() }, summary.warnings, source.timeZone ?? this.timeZone);
        summary[outcome] += 1;
        if (outcome !== 'unchanged') changed.push(postId);
      } catch (error) {
        summary.failed.push(failureOf(source.path, error));
      }
      onProgress?.({ done: ++done, total: sources.length, file: source.path });
    }
    return summary;
  }

  /**
   * Imports one file in one transaction (post, links, search index, term statistics, the mark
   * for its related lists); throws ContentError for content that cannot be imported. Related
   * lists are the caller's to settle.
   */
  async importOne(
    source: SourceFile,
    warnings: ImportWarning[] = [],
    timeZone: string | undefined = this.timeZone,
  ): Promise<{ outcome: Exclude<ImportOutcome, 'failed'>; postId: number }> {
    // The zone is part of what a file means: the same text read in another zone is other dates.
    const hash = createHash('sha256')
      .update(PIPELINE_VERSION)
      .update('\0')
      .update(timeZone ?? 'UTC')
      .update('\0')
      .update(source.text)
      .digest('hex');
    const posts = this.dataSource.getRepository(Post);
    const stored = await posts.findOne({ where: { sourcePath: source.path }, select: { id: true, sourceHash: true } });
    if (stored && stored.sourceHash === hash) return { outcome: 'unchanged', postId: stored.id };
    const article = prepareArticle(source, { postUrl: this.postUrl, timeZone });
    warnings.push(...article.contentIssues.filter((issue) => REPORTED_ISSUES.test(issue.code)).map(warningOf));
    return this.store.transaction(async (manager) => {
      // Again, in turn with other writers: another import may have stored this file meanwhile.
      const existing = await manager.findOne(Post, { where: { sourcePath: source.path } });
      if (existing && existing.sourceHash === hash) return { outcome: 'unchanged', postId: existing.id } as const;
      const slug = await this.store.freeSlug(manager, article.slug, existing?.id ?? null);
      if (slug !== article.slug) {
        warnings.push({
          file: source.path,
          line: 1,
          code: 'SLUG_TAKEN',
          message: `slug "${article.slug}" is already used by another file; this post gets "${slug}"`,
        });
      }
      const fields: PostFields = {
        ...article,
        slug,
        // A post whose date is missing or unreadable is kept out of the public feed until it has one.
        status: article.draft || !article.publishedAt ? 'draft' : 'published',
        publishedAt: article.publishedAt,
        // An editor's deletion stands until an editor restores the post.
        deletedAt: existing?.deletedAt ?? null,
        sourceHash: hash,
      };
      if (existing && sameStoredPost(await this.store.fieldsOf(manager, existing), fields)) {
        // A new pipeline that reads this file as before: remember the hash, write no revision.
        await manager.update(Post, { id: existing.id }, { sourceHash: hash });
        return { outcome: 'unchanged', postId: existing.id } as const;
      }
      const post = await this.store.save(manager, existing, fields, IMPORT_ACTOR);
      return { outcome: existing ? 'updated' : 'imported', postId: post.id } as const;
    });
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
