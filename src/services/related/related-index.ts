import type { DataSource, EntityManager } from 'typeorm';
import {
  DEFAULT_RELATED_WEIGHTS,
  recency,
  RelatedWeights,
  relatedScore,
  SharedParts,
  tagRarity,
  termVector,
} from '../../content/relatedScore';
import { toDate } from '../posts/read';
import { buildRelatedLists, DenseVector, TermIds } from './related-bulk';
import { tokenFrequencies } from '../../content/searchTokens';
import { chunks, inList, valueTuples } from '../../db/sql';
import type { Clock } from '../shared';
import { bumpContentGeneration } from '../cache';
import type { TokenStatistics } from '../search';
import type { WriteLock } from '../posts/write';

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

interface PostRow {
  id: number;
  title: string;
  bodyMarkdown: string;
  status: string;
  publishedAt: Date | null;
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
    const marked = await this.pending(this.dataSource.manager, only);
    if (marked.length === 0) return;
    const total = await this.publishedCount();
    if (marked.length > BULK_THRESHOLD || marked.length > total / 2) return this.rebuild();
    await this.lock.transaction(async (manager) => {
      // Read again under the lock: another process may have settled some meanwhile.
      const marks = await this.pending(manager, only);
      if (marks.length === 0) return;
      await this.refresh(manager, marks);
      for (const chunk of chunks(marks)) {
        await manager.query(`DELETE FROM related_pending WHERE "postId" IN (${inList(manager, chunk.length)})`, chunk);
      }
    });
  }

  /** Whether any change is waiting for its related lists. */
  async anyPending(): Promise<boolean> {
    return (await this.dataSource.query('SELECT 1 AS pending FROM related_pending LIMIT 1')).length > 0;
  }

  /** The posts marked pending, all or those among `only`. */
  private async pending(manager: EntityManager, only?: readonly number[]): Promise<number[]> {
    const rows: { postId: number }[] = [];
    if (!only) rows.push(...(await manager.query('SELECT "postId" FROM related_pending')));
    else {
      for (const chunk of chunks(only)) {
        rows.push(...(await manager.query(`SELECT "postId" FROM related_pending WHERE "postId" IN (${inList(manager, chunk.length)})`, [...chunk])));
      }
    }
    return rows.map((r) => Number(r.postId));
  }

  /**
   * Refreshes, inside the caller's locked transaction, the lists of `postIds`, of the posts whose
   * lists held them, and of those they now enter; not the whole archive.
   */
  private async refresh(manager: EntityManager, postIds: readonly number[]): Promise<void> {
    const posts = await this.load(postIds, manager);
    await bumpContentGeneration(manager);
    for (const id of postIds) await this.storeVector(manager, posts.get(id));
    // Lists that held a changed post may now be wrong; those not refilled below are recomputed.
    const holders = await this.holdersOf(manager, postIds);
    for (const chunk of chunks(postIds)) {
      await manager.query(`DELETE FROM related_posts WHERE "relatedId" IN (${inList(manager, chunk.length)})`, [...chunk]);
    }
    const touched = new Set<number>();
    for (const id of postIds) {
      const post = posts.get(id);
      await manager.query(`DELETE FROM related_posts WHERE "postId" = ${inList(manager, 1)}`, [id]);
      if (post?.status !== 'published') continue;
      const neighbours = await this.neighbours(manager, id, this.weights, 50);
      await this.storeList(manager, id, neighbours.slice(0, STORED_NEIGHBOURS));
      // The relation is symmetric but for recency, which is the changed post's own.
      const back = neighbours.map((n) => ({ holder: n.id, score: this.rescore(n.score, n.recency, post.publishedAt) }));
      await this.offer(manager, id, back);
      back.forEach((b) => touched.add(b.holder));
    }
    for (const holder of holders) {
      if (postIds.includes(holder) || touched.has(holder)) continue;
      await manager.query(`DELETE FROM related_posts WHERE "postId" = ${inList(manager, 1)}`, [holder]);
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
   * result is written only if no write came in between (the content generation is unchanged),
   * else it is computed again, and in the end under the lock, which holds writes off for that time.
   */
  async rebuild(): Promise<void> {
    for (let attempt = 1; attempt < REBUILD_ATTEMPTS; attempt++) {
      const built = await this.build(this.dataSource.manager);
      const written = await this.lock.transaction(async (manager) => {
        if ((await generationOf(manager)) !== built.generation) return false;
        await this.writeBuilt(manager, built);
        return true;
      });
      if (written) return;
    }
    await this.lock.transaction(async (manager) => this.writeBuilt(manager, await this.build(manager)));
  }

  private async build(manager: EntityManager) {
    // First: a write that commits after this read changes the generation, and the result is not written.
    const generation = await generationOf(manager);
    const ids: number[] = (await manager.query(`SELECT id FROM posts WHERE status = 'published' AND "deletedAt" IS NULL ORDER BY id`)).map(
      (r: { id: number }) => Number(r.id),
    );
    const termIds = new TermIds();
    const vectors = new Map<number, DenseVector>();
    const dates = new Map<number, Date | null>();
    for (const chunk of chunks(ids, 1000)) {
      const posts = await this.load(chunk, manager);
      const needed = new Set<string>();
      const tfs = new Map<number, Map<string, number>>();
      for (const post of posts.values()) {
        const tf = tokenFrequencies(post.title, post.bodyMarkdown);
        tfs.set(post.id, tf);
        dates.set(post.id, post.publishedAt);
        for (const term of tf.keys()) needed.add(term);
      }
      const stats = await this.stats.frequencies(needed, manager);
      for (const [id, tf] of tfs) vectors.set(id, termIds.vector(termVector(tf, stats.df, stats.total)));
    }
    const lists = buildRelatedLists({
      ids,
      vectors,
      termCount: termIds.terms.length,
      tagsOf: await this.links(manager, 'post_tags', 'tagId'),
      categoriesOf: await this.links(manager, 'post_categories', 'categoryId'),
      dates,
      now: this.clock.now(),
      weights: this.weights,
      keep: STORED_NEIGHBOURS,
    });
    return { generation, termIds, vectors, lists };
  }

  private async writeBuilt(manager: EntityManager, built: Awaited<ReturnType<RelatedIndex['build']>>): Promise<void> {
    const { termIds, vectors, lists } = built;
    await bumpContentGeneration(manager);
    await manager.query('DELETE FROM related_posts');
    await manager.query('DELETE FROM post_terms');
    const termRows = [...vectors].flatMap(([id, vector]) =>
      Array.from(vector.terms, (term, k) => [id, termIds.terms[term], vector.weights[k]] as const).filter(([, term]) => term.length <= 64),
    );
    for (const chunk of chunks(termRows, 1000)) {
      await manager.query(`INSERT INTO post_terms ("postId", term, weight) VALUES ${valueTuples(manager, chunk.length, 3)}`, chunk.flat());
    }
    const relatedRows = [...lists].flatMap(([id, list]) => list.map((n) => [id, n.id, n.score]));
    for (const chunk of chunks(relatedRows, 1000)) {
      await manager.query(`INSERT INTO related_posts ("postId", "relatedId", score) VALUES ${valueTuples(manager, chunk.length, 3)}`, chunk.flat());
    }
    // Every list is now computed from a state no write has changed since: nothing is pending.
    await manager.query('DELETE FROM related_pending');
  }

  /** Each post's linked ids (tags or categories), for all posts. */
  private async links(manager: EntityManager, table: string, column: string): Promise<Map<number, number[]>> {
    const rows: { postId: number; other: number }[] = await manager.query(
      `SELECT "postId", "${column}" AS other FROM ${table}`,
    );
    const map = new Map<number, number[]>();
    for (const row of rows) {
      const list = map.get(Number(row.postId)) ?? [];
      list.push(Number(row.other));
      map.set(Number(row.postId), list);
    }
    return map;
  }

  /**
   * The best `limit` neighbours of a post by the given weights, from the stored vectors, tags and
   * categories (evaluation passes other weights to measure the text part alone).
   */
  async neighbours(
    manager: EntityManager,
    postId: number,
    weights: RelatedWeights,
    limit: number,
  ): Promise<(Neighbour & { recency: number })[]> {
    const p = (n: number, offset = 0) => inList(manager, n, offset);
    const parts = new Map<number, SharedParts>();
    const part = (id: number) => {
      let entry = parts.get(id);
      if (!entry) parts.set(id, (entry = { textSimilarity: 0, tagRarity: 0, sharedCategories: 0 }));
      return entry;
    };
    const text: { id: number; sim: number }[] = await manager.query(
      `SELECT b."postId" AS id, SUM(a.weight * b.weight) AS sim FROM post_terms a
       JOIN post_terms b ON b.term = a.term AND b."postId" <> a."postId"
       WHERE a."postId" = ${p(1)} GROUP BY b."postId" ORDER BY sim DESC LIMIT 300`,
      [postId],
    );
    for (const row of text) part(Number(row.id)).textSimilarity = Number(row.sim);
    if (weights.tags > 0) {
      const total = await this.publishedCount(manager);
      const tags: { id: number; tagId: number; n: number }[] = await manager.query(
        `SELECT b."postId" AS id, b."tagId" AS "tagId", c.n AS n FROM post_tags a
         JOIN post_tags b ON b."tagId" = a."tagId" AND b."postId" <> a."postId"
         JOIN (SELECT "tagId", COUNT(*) AS n FROM post_tags WHERE "tagId" IN (SELECT "tagId" FROM post_tags WHERE "postId" = ${p(1)}) GROUP BY "tagId") c
           ON c."tagId" = a."tagId"
         WHERE a."postId" = ${p(1, 1)}`,
        [postId, postId],
      );
      for (const row of tags) part(Number(row.id)).tagRarity += tagRarity(Number(row.n), total);
    }
    if (weights.categories > 0) {
      const categories: { id: number; n: number }[] = await manager.query(
        `SELECT b."postId" AS id, COUNT(*) AS n FROM post_categories a
         JOIN post_categories b ON b."categoryId" = a."categoryId" AND b."postId" <> a."postId"
         WHERE a."postId" = ${p(1)} GROUP BY b."postId"`,
        [postId],
      );
      for (const row of categories) part(Number(row.id)).sharedCategories = Number(row.n);
    }
    const candidates = [...parts.keys()];
    const dates = new Map<number, Date | null>();
    for (const chunk of chunks(candidates)) {
      const rows: { id: number; publishedAt: string | Date | null }[] = await manager.query(
        `SELECT id, "publishedAt" FROM posts WHERE status = 'published' AND "deletedAt" IS NULL AND id IN (${p(chunk.length)})`,
        chunk,
      );
      for (const row of rows) dates.set(Number(row.id), toDate(row.publishedAt));
    }
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
    for (const chunk of chunks(entries, 300)) {
      await manager.query(
        `INSERT INTO related_posts ("postId", "relatedId", score) VALUES ${valueTuples(manager, chunk.length, 3)}
         ON CONFLICT ("postId", "relatedId") DO UPDATE SET score = excluded.score`,
        chunk.flatMap((e) => [e.holder, postId, e.score]),
      );
    }
    const holders = entries.map((e) => e.holder);
    for (const chunk of chunks(holders)) {
      await manager.query(
        `DELETE FROM related_posts WHERE ("postId", "relatedId") IN (
           SELECT "postId", "relatedId" FROM (
             SELECT "postId", "relatedId", ROW_NUMBER() OVER (PARTITION BY "postId" ORDER BY score DESC, "relatedId") AS rn
             FROM related_posts WHERE "postId" IN (${inList(manager, chunk.length)})) ranked
           WHERE rn > ${STORED_NEIGHBOURS})`,
        chunk,
      );
    }
  }

  private async storeList(manager: EntityManager, postId: number, neighbours: Neighbour[]): Promise<void> {
    if (neighbours.length === 0) return;
    await manager.query(
      `INSERT INTO related_posts ("postId", "relatedId", score) VALUES ${valueTuples(manager, neighbours.length, 3)}`,
      neighbours.flatMap((n) => [postId, n.id, n.score]),
    );
  }

  /** Replaces a post's term vector (none for a post that is not published). */
  private async storeVector(manager: EntityManager, post: PostRow | undefined): Promise<void> {
    if (!post) return;
    await manager.query(`DELETE FROM post_terms WHERE "postId" = ${inList(manager, 1)}`, [post.id]);
    if (post.status !== 'published') return;
    const tf = tokenFrequencies(post.title, post.bodyMarkdown);
    const { total, df } = await this.stats.frequencies(tf.keys(), manager);
    const vector = [...termVector(tf, df, total)].filter(([term]) => term.length <= 64);
    if (vector.length === 0) return;
    await manager.query(
      `INSERT INTO post_terms ("postId", term, weight) VALUES ${valueTuples(manager, vector.length, 3)}`,
      vector.flatMap(([term, weight]) => [post.id, term, weight]),
    );
  }

  private async holdersOf(manager: EntityManager, postIds: readonly number[]): Promise<number[]> {
    const holders = new Set<number>();
    for (const chunk of chunks(postIds)) {
      const rows: { postId: number }[] = await manager.query(
        `SELECT DISTINCT "postId" FROM related_posts WHERE "relatedId" IN (${inList(manager, chunk.length)})`,
        [...chunk],
      );
      for (const r of rows) holders.add(Number(r.postId));
    }
    return [...holders];
  }

  private async load(ids: readonly number[], manager: EntityManager): Promise<Map<number, PostRow>> {
    const posts = new Map<number, PostRow>();
    for (const chunk of chunks(ids)) {
      const rows: PostRow[] = await manager.query(
        `SELECT id, title, "bodyMarkdown", CASE WHEN "deletedAt" IS NULL THEN status ELSE 'deleted' END AS status, "publishedAt" FROM posts WHERE id IN (${inList(manager, chunk.length)})`,
        chunk,
      );
      for (const row of rows) posts.set(Number(row.id), { ...row, id: Number(row.id), publishedAt: toDate(row.publishedAt) });
    }
    return posts;
  }

  private async publishedCount(manager: EntityManager = this.dataSource.manager): Promise<number> {
    const [row] = await manager.query(`SELECT COUNT(*) AS n FROM posts WHERE status = 'published' AND "deletedAt" IS NULL`);
    return Number(row.n);
  }
}

/** Marks, inside the transaction that changes a post, that its related lists and those around it must follow. */
export async function markRelatedPending(manager: EntityManager, postId: number): Promise<void> {
  await manager.query(`INSERT INTO related_pending ("postId") VALUES (${inList(manager, 1)}) ON CONFLICT ("postId") DO NOTHING`, [postId]);
}

async function generationOf(manager: EntityManager): Promise<number> {
  const [row] = await manager.query('SELECT generation FROM content_state WHERE id = 1');
  return Number(row.generation);
}
