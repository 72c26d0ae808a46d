import os from 'node:os';
import path from 'node:path';
import { ContentError, PreparedArticle, prepareArticle, PrepareOptions, SourceFile } from '../../content';
import { WorkerPool } from '../shared';
// By its file, not the folder's index: the worker threads load this file, and the index would load TypeORM too.
import { PostTokens, tokenizePost } from '../search/post-tokens';

/** What a prepare needs besides the file, as plain data a worker thread can be sent. */
export interface PrepareSettings {
  /** The post URL template (`/posts/{slug}`). */
  postUrlTemplate: string;
  timeZone: string | undefined;
  siteUrl: string | null;
  assetUrl: string | null;
  /** The assets folder's real path (AssetsFolder.root); absent: images' sizes unknown. */
  assetsRoot?: string;
}

export interface PrepareRequest {
  source: SourceFile;
  settings: PrepareSettings;
}

/** A file prepared, and its text tokenized (for the search index and term statistics) where it was prepared. */
export interface PreparedPost {
  article: PreparedArticle;
  tokens: PostTokens;
}

export type PrepareReply = PreparedPost | { contentError: { line: number; message: string } };

/** Prepares a file and tokenizes what it stores; throws ContentError as prepareArticle does. */
export function preparePost(source: SourceFile, options: PrepareOptions): PreparedPost {
  const article = prepareArticle(source, options);
  return { article, tokens: tokenizePost(article) };
}

/**
 * Prepares (renders and tokenizes) an import's files: most of an import's CPU. A run of many files
 * spreads them over worker threads, one per core, while the importer's thread writes the files
 * prepared before; a few files (an editor's) are prepared in the importer's thread.
 */
export interface FilePreparer {
  /** The file prepared; throws ContentError as prepareArticle does. */
  prepare(source: SourceFile, settings: PrepareSettings, options: PrepareOptions): Promise<PreparedPost>;
  close(): Promise<void>;
}

/** Below this many files, starting workers costs more than it saves. */
const WORKERS_FROM_FILES = 64;

/** A preparer for `files` files: worker threads for many, unless running from TypeScript sources (tests), which have no compiled worker script. */
export function filePreparer(files: number): FilePreparer {
  const workers = os.availableParallelism();
  if (files < WORKERS_FROM_FILES || __filename.endsWith('.ts')) return IN_PROCESS;
  return new PreparingWorkers(new WorkerPool(path.join(__dirname, 'prepare-worker.js'), workers));
}

const IN_PROCESS: FilePreparer = {
  prepare: async (source, _settings, options) => preparePost(source, options),
  close: async () => undefined,
};

class PreparingWorkers implements FilePreparer {
  private next = 0;
  constructor(private readonly pool: WorkerPool<PrepareRequest, PrepareReply>) {}

  async prepare(source: SourceFile, settings: PrepareSettings): Promise<PreparedPost> {
    const reply = await this.pool.ask(this.next++ % this.pool.size, { source: { path: source.path, text: source.text }, settings });
    if ('contentError' in reply) throw new ContentError(source.path, reply.contentError.line, reply.contentError.message);
    return reply;
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
