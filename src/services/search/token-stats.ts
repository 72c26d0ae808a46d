import type { DataSource, EntityManager } from 'typeorm';
import { chunks, dialectOf } from '../../db/dialect';

/** The row whose `df` counts the indexed posts themselves (N in idf). */
const ALL_POSTS = '';

/**
 * Document frequencies of the terms of every post that is not deleted: the rarity behind
 * search ranking on PostgreSQL and behind the related-articles term vectors. Kept exact by the
 * write path, which tells it each post's terms before and after a change.
 */
export class TokenStatistics {
  constructor(private readonly dataSource: DataSource) {}

  /** Records that a post's distinct terms went from `before` to `after` (null: no post). */
  async apply(manager: EntityManager, before: Set<string> | null, after: Set<string> | null): Promise<void> {
    const delta = new Map<string, number>();
    for (const term of after ?? []) if (!before?.has(term)) delta.set(term, 1);
    for (const term of before ?? []) if (!after?.has(term)) delta.set(term, -1);
    if ((before === null) !== (after === null)) delta.set(ALL_POSTS, after ? 1 : -1);
    // Sorted, so concurrent writers lock rows in one order and cannot deadlock.
    const rows = [...delta].filter(([term]) => term.length <= 64).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (const chunk of chunks(rows, 400)) {
      await manager.query(
        `INSERT INTO term_stats (term, df) VALUES ${dialectOf(manager).valueTuples(chunk.length, 2)}
         ON CONFLICT (term) DO UPDATE SET df = term_stats.df + excluded.df`,
        chunk.flat(),
      );
    }
  }

  /** Document frequency of each token (0 when unknown) and the number of posts. */
  async frequencies(tokens: Iterable<string>, manager: EntityManager = this.dataSource.manager) {
    const wanted = [...new Set([ALL_POSTS, ...tokens])];
    const df = new Map<string, number>();
    for (const chunk of chunks(wanted)) {
      const rows: { term: string; df: number | string }[] = await manager.query(
        `SELECT term, df FROM term_stats WHERE term IN (${dialectOf(manager).inList(chunk.length)})`,
        chunk,
      );
      for (const row of rows) df.set(row.term, Number(row.df));
    }
    return { total: df.get(ALL_POSTS) ?? 0, df: (token: string) => df.get(token) ?? 0 };
  }

  /**
   * Rarity (BM25's idf) of each query phrase; a CJK phrase is as rare as its rarest bigram. Tokens
   * the statistics do not track (stopwords, kana-only bigrams) count as common.
   */
  readonly rarity = async (phrases: string[][]): Promise<number[]> => {
    const { total, df } = await this.frequencies(phrases.flat());
    return phrases.map((phrase) => {
      const known = phrase.map(df).filter((n) => n > 0);
      const n = known.length ? Math.min(...known) : total / 2;
      return Math.log(1 + (total - n + 0.5) / (n + 0.5));
    });
  };
}
