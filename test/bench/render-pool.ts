/**
 * Worker threads that render the archive builder's posts (render-worker.ts). Rendering was most
 * of the builder's own CPU; in workers it runs beside the generation (one seeded sequence, so on
 * one thread) and the database writes.
 */
import path from 'node:path';
import type { SearchDocument } from '../../src/services/search/search-index';
import { WorkerPool } from '../../src/services/shared';

export type RenderRequest = { kind: 'render'; posts: { title: string; bodyMarkdown: string }[] } | { kind: 'frequencies' };

export interface RenderedBody {
  bodyHtml: string;
  /** JSON, as the posts table stores it. */
  headings: string;
  excerpt: string;
  readingTimeMinutes: number;
  /** The search index's tokens of the post, made once for both databases (SearchDocument.tokens). */
  tokens: NonNullable<SearchDocument['tokens']>;
}

export type RenderReply =
  | {
      kind: 'rendered';
      posts: RenderedBody[];
      /** Worker time spent rendering, and tokenizing and counting terms. */
      renderMs: number;
      countMs: number;
    }
  | { kind: 'frequencies'; df: Map<string, number> };

export class RenderPool {
  private readonly pool: WorkerPool<RenderRequest, RenderReply>;
  renderMs = 0;
  countMs = 0;

  constructor(size: number) {
    this.pool = new WorkerPool(path.join(__dirname, 'render-worker.js'), size);
  }

  /** The posts rendered, in their order; each worker takes a contiguous share. */
  async render(posts: { title: string; bodyMarkdown: string }[]): Promise<RenderedBody[]> {
    const replies = await this.pool.byShares(posts.length, (from, to) => ({ kind: 'render', posts: posts.slice(from, to) }));
    return replies.flatMap((reply) => {
      if (reply.kind !== 'rendered') return [];
      this.renderMs += reply.renderMs;
      this.countMs += reply.countMs;
      return reply.posts;
    });
  }

  /** Each term's document frequency over every post rendered (as TokenStatistics keeps `df`). */
  async documentFrequencies(): Promise<Map<string, number>> {
    const total = new Map<string, number>();
    for (const reply of await this.pool.everyWorker({ kind: 'frequencies' })) {
      if (reply.kind === 'frequencies') for (const [term, n] of reply.df) total.set(term, (total.get(term) ?? 0) + n);
    }
    return total;
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
