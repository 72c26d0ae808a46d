import type { DataSource, EntityManager } from 'typeorm';
import { DEFAULT_RELATED_WEIGHTS, recency, RelatedWeights, relatedScore, SharedParts, tagRarity, termVector } from '../../content/relatedScore';
import { DenseVector, flattenRelatedInput, listsOfRanges, TermIds } from './related-bulk';
import { KnownFrequencies, relatedCompute, WeightedTerms, weightedFrequencies } from './related-compute';
import { tokenFrequencies } from '../../content/searchTokens';
import { chunks } from '../../db/dialect';
import type { Clock } from '../shared';
import { bumpContentGeneration, contentGeneration } from '../cache';
import type { TokenStatistics } from '../search';
import type { WriteLock } from '../posts/write';
import {
  anyPending,
  categoryNeighbours,
  clearAllPendingMarks,
  clearPendingMarks,
  deleteAllListsAndVectors,
  deleteList,
  deleteVector,
  holdersOf,
  insertLists,
  insertVectors,
  linkedIds,
  pendingMarks,
  publishedCount,
  publishedDates,
  publishedIds,
  RelatedSource,
  relatedSources,
  removeFromLists,
  tagNeighbours,
  textNeighbours,
  trimLists,
  upsertIntoLists,
} from './statements';

/** How many neighbours each post keeps; reads take the first `first` (≤ this) that are visible. */
export const STORED_NEIGHBOURS = 20;
/** Above this many changed posts, one bulk rebuild beats refreshing post by post. */
const BULK_THRESHOLD = 150;
/** Rebuilds computed while writes went on, before one is done under the write lock. */
const REBUILD_ATTEMPTS = 3;

export interface Neighbour {
  id: number;
  score: number;
}

/**
 * Precomputed related articles. Each published post keeps its best STORED_NEIGHBOURS, scored by
 * text similarity, shared rare tags, shared categories and a mild preference for recent posts.
 * A change to some posts refreshes those posts and the lists that they enter or leave, not the
 * whole archive; a large import rebuilds everything in one pass.
 *
 * Crash safety: a change marks its post pending in the change's own transaction
 * (`markRelatedPending`); lists are refreshed from those marks (`settle`), and the marks cleared
 * in the transaction that writes the lists. Killed at any moment, a process leaves either the
 * marks or the new lists, never a change that no one will take in.
 */
export class RelatedIndex {
  /** The term frequencies of posts written since the last rebuild, as their writers tokenized them. */
  private readonly known = new KnownFrequencies();

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly stats: TokenStatistics,
    private readonly lock: WriteLock,
    private readonly weights: RelatedWeights = DEFAULT_RELATED_WEIGHTS,
  ) {}

  /**
   * Brings the related lists up to date with the changes marked pending (`markRelatedPending`):
   * all of them, or those of `only` (a writer settling its own changes). Each refresh clears the
   * marks it took in, in the transaction that writes the lists, so work cut short by a crash is
   * still marked and the next settle does it.
   */
  async settle(only?: readonly number[]): Promise<void> {
    try {
      const marked = await pendingMarks(this.dataSource.manager, only);
      if (marked.length === 0) return;
      const total = await publishedCount(this.dataSource.manager);
      if (marked.length > BULK_THRESHOLD || marked.length > total / 2) return await this.rebuild();
      await this.lock.transaction(async (manager) => {
        // Read again under the lock: another process may have settled some meanwhile.
        const marks = await pendingMarks(manager, only);
        if (marks.length === 0) return;
        await this.refresh(manager, marks);
        await clearPendingMarks(manager, marks);
      });
    } finally {
      // Only a rebuild reads them, and one that follows its writes: a server keeps none between writes.
      this.known.clear();
    }
  }

  /**
   * A post was written with this title and body, whose terms occur so often (PostTokens' `terms`
   * and `termCounts`): the next rebuild weighs them without tokenizing the post again, unless the
   * post it reads has another title or body by then.
   */
  rememberFrequencies(postId: number, title: string, bodyMarkdown: string, terms: string, termCounts: string): void {
    this.known.remember(postId, title, bodyMarkdown, terms, termCounts);
  }

  /** Whether any change is waiting for its related lists. */
  anyPending(): Promise<boolean> {
    return anyPending(this.dataSource);
  }

  /**
   * Refreshes, inside the caller's locked transaction, the lists of `postIds`, of the posts whose
   * lists held them, and of those they now enter; not the whole archive.
   */
  private async refresh(manager: EntityManager, postIds: readonly number[]): Promise<void> {
    const posts = await relatedSources(manager, postIds);
    await bumpContentGeneration(manager);
    for (const id of postIds) await this.storeVector(manager, posts.get(id));
    // Lists that held a changed post may now be wrong: they are recomputed below.
    const holders = await holdersOf(manager, postIds);
    await removeFromLists(manager, postIds);
    for (const id of postIds) {
      const post = posts.get(id);
      await deleteList(manager, id);
      if (post?.status !== 'published') continue;
      const neighbours = await this.neighbours(manager, id, this.weights, 50);
      await this.storeList(manager, id, neighbours.slice(0, STORED_NEIGHBOURS));
      // The relation is symmetric but for recency, which is the changed post's own.
      const back = neighbours.map((n) => ({ holder: n.id, score: this.rescore(n.score, n.recency, post.publishedAt) }));
      await this.offer(manager, id, back);
    }
    // Every list that held a changed post is recomputed, also one it was offered back to: its old
    // entry may have pushed a neighbour out of that full list, which an offer cannot bring back.
    for (const holder of holders) {
      if (postIds.includes(holder)) continue;
      await deleteList(manager, holder);
      await this.storeList(manager, holder, await this.neighbours(manager, holder, this.weights, STORED_NEIGHBOURS));
    }
  }

  /**
   * Recomputes every vector and every list in one pass (after a bulk import, or to build an
   * archive), and clears every pending mark: vectors are computed chunk by chunk, neighbours in
   * memory (related-bulk.ts), and the results written in bulk. Stored scores are the same as the
   * incremental path's.
   *
   * The reading and computing happen outside the write lock, so writes go on meanwhile; the
   * result is written only if no write came in between (the content generation is unchanged)
   * and none was open while it read (SQLite's one connection shows a read an open write's rows and
   * generation, which a rollback takes back and the next write takes again), else it is computed
   * again, and in the end under the lock, which holds writes off for that time.
   */
  async rebuild(): Promise<void> {
    for (let attempt = 1; attempt < REBUILD_ATTEMPTS; attempt++) {
      const stillQuiet = this.lock.quietFromNow();
      const built = await this.build(this.dataSource.manager);
      const readCommitted = stillQuiet();
      const written = await this.lock.transaction(async (manager) => {
        if (!readCommitted || (await contentGeneration(manager)) !== built.generation) return false;
        await this.writeBuilt(manager, built);
        return true;
      });
      if (written) return;
    }
    await this.lock.transaction(async (manager) => this.writeBuilt(manager, await this.build(manager)));
  }

  /** The weighted terms of posts: from the frequencies their writers remembered, the others tokenized by `compute`. */
  private async weighted(
    posts: RelatedSource[],
    compute: Awaited<ReturnType<typeof relatedCompute>>,
    df: ReadonlyMap<string, number>,
    total: number,
  ): Promise<WeightedTerms[]> {
    const weighted: (WeightedTerms | undefined)[] = posts.map((post) => {
      const tf = this.known.frequencies(post.id, post.title, post.bodyMarkdown);
      return tf && weightedFrequencies(tf, (term) => df.get(term) ?? 0, total);
    });
    const others = posts.filter((_, i) => !weighted[i]);
    if (others.length === 0) return weighted as WeightedTerms[];
    const computed = await compute.vectors(others);
    let next = 0;
    return weighted.map((w) => w ?? computed[next++]);
  }

  private async build(manager: EntityManager) {
    // First: a write that commits after this read changes the generation, and the result is not written.
    const generation = await contentGeneration(manager);
    const ids = await publishedIds(manager);
    const { df, total } = await this.stats.all(manager);
    const compute = await relatedCompute(ids.length, df, total);
    try {
      const termIds = new TermIds();
      const vectors = new Map<number, DenseVector>();
      const dates = new Map<number, Date | null>();
      // Posts are read a chunk at a time, the next while the last one's vectors are computed.
      const parts = chunks(ids, 1000);
      const read = async (k: number) => (k < parts.length ? [...(await relatedSources(manager, parts[k])).values()] : null);
      let posts = await read(0);
      for (let k = 1; posts; k++) {
        const [weighted, next] = await Promise.all([this.weighted(posts, compute, df, total), read(k)]);
        // Terms are numbered in the order the posts come in, as the scores' sums run in that order.
        for (const [i, post] of posts.entries()) {
          dates.set(post.id, post.publishedAt);
          vectors.set(post.id, termIds.vector(...weighted[i]));
        }
        posts = next;
      }
      const input = flattenRelatedInput(
        {
          ids,
          vectors,
          termCount: termIds.terms.length,
          tagsOf: await linkedIds(manager, 'tags'),
          categoriesOf: await linkedIds(manager, 'categories'),
          dates,
          now: this.clock.now(),
          weights: this.weights,
          keep: STORED_NEIGHBOURS,
        },
        compute.shared,
      );
      return { generation, termIds, vectors, lists: listsOfRanges(ids, await compute.lists(input)) };
    } finally {
      await compute.close();
    }
  }

  private async writeBuilt(manager: EntityManager, built: Awaited<ReturnType<RelatedIndex['build']>>): Promise<void> {
    const { termIds, vectors, lists } = built;
    await bumpContentGeneration(manager);
    await deleteAllListsAndVectors(manager);
    const termRows = [...vectors].flatMap(([id, vector]) =>
      Array.from(vector.terms, (term, k) => [id, termIds.terms[term], vector.weights[k]] as const).filter(([, term]) => term.length <= 64),
    );
    await insertVectors(manager, termRows);
    await insertLists(
      manager,
      [...lists].flatMap(([id, list]) => list.map((n) => [id, n.id, n.score] as const)),
    );
    // Every list is now computed from a state no write has changed since: nothing is pending.
    await clearAllPendingMarks(manager);
  }

  /**
   * The best `limit` neighbours of a post by the given weights, from the stored vectors, tags and
   * categories (evaluation passes other weights to measure the text part alone).
   */
  async neighbours(manager: EntityManager, postId: number, weights: RelatedWeights, limit: number): Promise<(Neighbour & { recency: number })[]> {
    const parts = new Map<number, SharedParts>();
    const part = (id: number) => {
      let entry = parts.get(id);
      if (!entry) parts.set(id, (entry = { textSimilarity: 0, tagRarity: 0, sharedCategories: 0 }));
      return entry;
    };
    for (const row of await textNeighbours(manager, postId)) part(Number(row.id)).textSimilarity = Number(row.sim);
    if (weights.tags > 0) {
      const total = await publishedCount(manager);
      for (const row of await tagNeighbours(manager, postId)) part(Number(row.id)).tagRarity += tagRarity(Number(row.n), total);
    }
    if (weights.categories > 0) {
      for (const row of await categoryNeighbours(manager, postId)) part(Number(row.id)).sharedCategories = Number(row.n);
    }
    const candidates = [...parts.keys()];
    const dates = await publishedDates(manager, candidates);
    const now = this.clock.now();
    return candidates
      .filter((id) => dates.has(id))
      .map((id) => {
        const r = recency(dates.get(id)!, now);
        return { id, recency: r, score: relatedScore(parts.get(id)!, r, weights) };
      })
      .filter((n) => n.score > 0)
      .sort((a, b) => b.score - a.score || a.id - b.id)
      .slice(0, limit);
  }

  private rescore(score: number, candidateRecency: number, publishedAt: Date | null): number {
    const base = score / (1 + this.weights.recency * candidateRecency);
    return base * (1 + this.weights.recency * recency(publishedAt, this.clock.now()));
  }

  /** Puts `postId` into each holder's list, then trims those lists back to their best. */
  private async offer(manager: EntityManager, postId: number, entries: { holder: number; score: number }[]): Promise<void> {
    if (entries.length === 0) return;
    await upsertIntoLists(
      manager,
      entries.map((e) => [e.holder, postId, e.score] as const),
    );
    await trimLists(
      manager,
      entries.map((e) => e.holder),
      STORED_NEIGHBOURS,
    );
  }

  private async storeList(manager: EntityManager, postId: number, neighbours: Neighbour[]): Promise<void> {
    await insertLists(
      manager,
      neighbours.map((n) => [postId, n.id, n.score] as const),
    );
  }

  /** Replaces a post's term vector (none for a post that is not published). */
  private async storeVector(manager: EntityManager, post: RelatedSource | undefined): Promise<void> {
    if (!post) return;
    await deleteVector(manager, post.id);
    if (post.status !== 'published') return;
    const tf = tokenFrequencies(post.title, post.bodyMarkdown);
    const { total, df } = await this.stats.frequencies(tf.keys(), manager);
    const vector = [...termVector(tf, df, total)].filter(([term]) => term.length <= 64);
    await insertVectors(
      manager,
      vector.map(([term, weight]) => [post.id, term, weight] as const),
    );
  }
}
