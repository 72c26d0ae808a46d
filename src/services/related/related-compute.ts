import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { termVector } from '../../content/relatedScore';
import { tokenFrequencies } from '../../content/searchTokens';
import { FlatRelatedInput, RelatedRange, relatedListsFor } from './related-bulk';
import { WorkerPool } from '../shared';
// By its file, not the folder's index: the worker threads load this file.
import { termFrequencies } from '../search/post-tokens';

/** A post as a rebuild's vectors are made from it. */
export interface VectorSource {
  title: string;
  bodyMarkdown: string;
}

/** A post's term vector as termVector makes it: terms and weights, strongest first. */
export type WeightedTerms = [terms: string[], weights: number[]];

export type RelatedRequest =
  | { kind: 'stats'; df: ReadonlyMap<string, number>; total: number }
  | { kind: 'vectors'; posts: VectorSource[] }
  | { kind: 'lists'; input: FlatRelatedInput; from: number; to: number };

export type RelatedReply = { kind: 'stats' } | { kind: 'vectors'; vectors: WeightedTerms[] } | { kind: 'lists'; range: RelatedRange };

export function weightedTerms(post: VectorSource, df: (term: string) => number, total: number): WeightedTerms {
  return weightedFrequencies(tokenFrequencies(post.title, post.bodyMarkdown), df, total);
}

/** `weightedTerms` of a post whose term frequencies are known already. */
export function weightedFrequencies(tf: Map<string, number>, df: (term: string) => number, total: number): WeightedTerms {
  const vector = termVector(tf, df, total);
  return [[...vector.keys()], [...vector.values()]];
}

/**
 * The CPU work of a rebuild: tokenizing every post, then scoring every post's candidates. Both
 * are the same functions wherever they run; on a large archive they run on worker threads, one
 * per core, so that a rebuild of 100,000 posts takes the machine's cores and not one of them.
 */
export interface RelatedCompute {
  /** Whether `lists` wants its input in memory the workers share. */
  readonly shared: boolean;
  vectors(posts: VectorSource[]): Promise<WeightedTerms[]>;
  /** The neighbours of every post, as ranges in post order. */
  lists(input: FlatRelatedInput): Promise<RelatedRange[]>;
  close(): Promise<void>;
}

/** Below this many posts, starting workers costs more than it saves. */
const WORKERS_FROM_POSTS = 2000;

/**
 * Workers for an archive of `posts` published posts with these term statistics; in this thread
 * for a small archive, on a one-core machine, or when running from TypeScript sources (tests),
 * where there is no compiled worker script to start.
 */
export async function relatedCompute(posts: number, df: ReadonlyMap<string, number>, total: number): Promise<RelatedCompute> {
  const workers = os.availableParallelism();
  if (posts < WORKERS_FROM_POSTS || workers < 2 || __filename.endsWith('.ts')) return new InProcess(df, total);
  const pool = new WorkerPool<RelatedRequest, RelatedReply>(path.join(__dirname, 'related-worker.js'), workers);
  await pool.everyWorker({ kind: 'stats', df, total });
  return new Workers(pool);
}

class InProcess implements RelatedCompute {
  readonly shared = false;
  constructor(
    private readonly df: ReadonlyMap<string, number>,
    private readonly total: number,
  ) {}

  async vectors(posts: VectorSource[]): Promise<WeightedTerms[]> {
    return posts.map((post) => weightedTerms(post, (term) => this.df.get(term) ?? 0, this.total));
  }

  async lists(input: FlatRelatedInput): Promise<RelatedRange[]> {
    return [relatedListsFor(input, 0, input.posts)];
  }

  async close(): Promise<void> {}
}

class Workers implements RelatedCompute {
  readonly shared = true;
  constructor(private readonly pool: WorkerPool<RelatedRequest, RelatedReply>) {}

  async vectors(posts: VectorSource[]): Promise<WeightedTerms[]> {
    const replies = await this.pool.byShares(posts.length, (from, to) => ({ kind: 'vectors', posts: posts.slice(from, to) }));
    return replies.flatMap((reply) => (reply.kind === 'vectors' ? reply.vectors : []));
  }

  async lists(input: FlatRelatedInput): Promise<RelatedRange[]> {
    const replies = await this.pool.byShares(input.posts, (from, to) => ({ kind: 'lists', input, from, to }));
    return replies.flatMap((reply) => (reply.kind === 'lists' ? [reply.range] : []));
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

/** Most characters of terms and counts kept: about 100 MB, tens of thousands of posts; later posts are tokenized again. */
const MAX_CHARS = 50_000_000;

/**
 * The term frequencies of posts as their writers tokenized them (an import, on its worker threads),
 * so that a rebuild of the related lists need not tokenize every post again on its own thread.
 * Each is kept with a digest of the title and body it was made from, and given back only for a
 * post read with the same ones: frequencies are a function of those two alone.
 */
export class KnownFrequencies {
  private readonly byPost = new Map<number, { digest: string; terms: string; counts: string }>();
  private chars = 0;

  remember(postId: number, title: string, bodyMarkdown: string, terms: string, counts: string): void {
    const before = this.byPost.get(postId);
    if (before) this.chars -= before.terms.length + before.counts.length;
    if (this.chars + terms.length + counts.length > MAX_CHARS) {
      this.byPost.delete(postId);
      return;
    }
    this.byPost.set(postId, { digest: digestOf(title, bodyMarkdown), terms, counts });
    this.chars += terms.length + counts.length;
  }

  /** The post's term frequencies (`tokenFrequencies(title, bodyMarkdown)`), when remembered of this title and body. */
  frequencies(postId: number, title: string, bodyMarkdown: string): Map<string, number> | undefined {
    const known = this.byPost.get(postId);
    if (!known || known.digest !== digestOf(title, bodyMarkdown)) return undefined;
    return termFrequencies(known.terms, known.counts);
  }

  clear(): void {
    this.byPost.clear();
    this.chars = 0;
  }
}

function digestOf(title: string, bodyMarkdown: string): string {
  return createHash('sha1').update(`${title.length}:`).update(title).update(bodyMarkdown).digest('base64');
}
