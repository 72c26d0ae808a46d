import { createHash } from 'node:crypto';
import fs from 'node:fs';
import type { DataSource } from 'typeorm';
import { ContentError, prepareArticle, SourceFile } from '../content';
import { Post } from '../entities';
import type { Clock } from './clock';
import { IMPORT_ACTOR, PostStore } from './post-store';
import type { RelatedIndex } from './related-index';
import { displayPath, listArticleFiles } from './source-files';
import type { WriteLock } from './write-lock';

/** Bumped when the content pipeline changes what it produces, so re-imports pick the change up. */
export const PIPELINE_VERSION = '1';

export interface ImportFailure {
  file: string;
  line: number;
  message: string;
}

export interface ImportWarning {
  file: string;
  message: string;
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
 * Imports Markdown files: each file in its own transaction, so a bad file is reported and the
 * rest go on, and nothing stored before is damaged. Unchanged files (same text, same pipeline)
 * are not written again; a file keeps its post across re-imports by its path.
 */
export class Importer {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly postUrl: (slug: string) => string,
    private readonly store: PostStore,
    private readonly related: RelatedIndex,
    private readonly lock: WriteLock,
  ) {}

  async importPaths(paths: string[], onProgress?: (progress: ImportProgress) => void): Promise<ImportSummary> {
    const files = listArticleFiles(paths);
    return this.importSources(
      files.map((file) => ({ path: displayPath(file), read: () => fs.readFileSync(file, 'utf8') })),
      onProgress,
    );
  }

  async importSources(
    sources: { path: string; read: () => string }[],
    onProgress?: (progress: ImportProgress) => void,
  ): Promise<ImportSummary> {
    const summary: ImportSummary = { imported: 0, updated: 0, unchanged: 0, failed: [], warnings: [] };
    const changed: number[] = [];
    let done = 0;
    for (const source of sources) {
      try {
        const { outcome, postId } = await this.importOne({ path: source.path, text: source.read() }, summary.warnings);
        summary[outcome] += 1;
        if (outcome !== 'unchanged') changed.push(postId);
      } catch (error) {
        summary.failed.push(failureOf(source.path, error));
      }
      onProgress?.({ done: ++done, total: sources.length, file: source.path });
    }
    // Related lists depend on many posts at once: brought up to date once, after the whole run.
    await this.related.refresh(changed);
    return summary;
  }

  /**
   * Imports one file in one transaction (post, links, search index, term statistics); throws
   * ContentError for content that cannot be imported. Related lists are the caller's to refresh.
   */
  async importOne(
    source: SourceFile,
    warnings: ImportWarning[] = [],
  ): Promise<{ outcome: Exclude<ImportOutcome, 'failed'>; postId: number }> {
    const hash = createHash('sha256').update(PIPELINE_VERSION).update('\0').update(source.text).digest('hex');
    const posts = this.dataSource.getRepository(Post);
    const existing = await posts.findOne({ where: { sourcePath: source.path } });
    if (existing && existing.sourceHash === hash) return { outcome: 'unchanged', postId: existing.id };
    const article = prepareArticle(source, { postUrl: this.postUrl });
    return this.lock.run(() =>
      this.dataSource.transaction(async (manager) => {
        const slug = await this.store.freeSlug(manager, article.slug, existing?.id ?? null);
        if (slug !== article.slug) {
          warnings.push({
            file: source.path,
            message: `slug "${article.slug}" is already used by another file; this post gets "${slug}"`,
          });
        }
        const now = this.clock.now();
        const post = await this.store.save(
          manager,
          existing,
          {
            ...article,
            slug,
            status: article.draft ? 'draft' : 'published',
            // A published file with no date at all is published when it is first imported.
            publishedAt: article.publishedAt ?? (article.draft ? null : (existing?.publishedAt ?? now)),
            // An editor's deletion stands until an editor restores the post.
            deletedAt: existing?.deletedAt ?? null,
            sourceHash: hash,
          },
          IMPORT_ACTOR,
        );
        return { outcome: existing ? 'updated' : 'imported', postId: post.id } as const;
      }),
    );
  }
}

function failureOf(file: string, error: unknown): ImportFailure {
  if (error instanceof ContentError) return { file, line: error.line, message: error.message };
  const message = error instanceof Error ? error.message : String(error);
  return { file, line: 0, message: `could not be stored: ${message.split('\n')[0]}` };
}
