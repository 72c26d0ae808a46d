import type { DataSource, EntityManager } from 'typeorm';
import { dialectOf } from '../../db/dialect';

/** The row whose `df` counts the indexed posts themselves (N in idf). */
const ALL_POSTS = '';

/*
 * The change of every term goes in as one list (Dialect.pairTable), so the statement has one text
 * whatever the number of terms (a post has hundreds). A statement of one tuple per term was parsed
 * anew for nearly every post (and on SQLite prepared anew: its statement cache holds one statement
 * per text), which cost more than the rows it wrote. `WHERE true` tells SQLite that ON CONFLICT
 * is the upsert's, not a join's.
 */
const ADD = (terms: string) => `INSERT INTO term_stats (term, df) SELECT d.key, d.n FROM ${terms} WHERE true
  ON CONFLICT (term) DO UPDATE SET df = term_stats.df + excluded.df`;

/**
 * Document frequencies of the terms of every post that is not deleted: the rarity behind
 * search ranking (both databases) and behind the related-articles term vectors. Kept exact by the
 * write path, which tells it each post's terms before and after a change.
 */
export class TokenStatistics {
  constructor(private readonly dataSource: DataSource) {}

  /** Records that a post's distinct terms went from `before` to `after` (null: no post). */
  async apply(manager: EntityManager, before: Set<string> | null, after: Set<string> | null): Promise<void> {
    const deltas = new TermDeltas();
    deltas.record(before, after);
    await this.write(manager, deltas);
  }

  /** Writes changes gathered over several posts' writes, in one statement. */
  async write(manager: EntityManager, deltas: TermDeltas): Promise<void> {
    const rows = deltas.rows();
    if (rows.length === 0) return;
    const dialect = dialectOf(manager);
    await manager.query(ADD(dialect.pairTable('d', 'varchar')), dialect.pairList(rows));
  }

  /** Document frequency of each token (0 when unknown) and the number of posts. */
  async frequencies(tokens: Iterable<string>, manager: EntityManager = this.dataSource.manager) {
    const wanted = [...new Set([ALL_POSTS, ...tokens])];
    const df = new Map<string, number>();
    const dialect = dialectOf(manager);
    const rows: { term: string; df: number | string }[] = await manager.query(`SELECT term, df FROM term_stats WHERE ${dialect.inTextList('term', 1)}`, [
      dialect.textList(wanted),
    ]);
    for (const row of rows) df.set(row.term, Number(row.df));
    return { total: df.get(ALL_POSTS) ?? 0, df: (token: string) => df.get(token) ?? 0 };
  }

  /** Every term's document frequency, and the number of posts: for a rebuild, which reads the terms of every post. */
  async all(manager: EntityManager = this.dataSource.manager): Promise<{ total: number; df: Map<string, number> }> {
    const rows: { term: string; df: number | string }[] = await manager.query('SELECT term, df FROM term_stats');
    const df = new Map(rows.map((row) => [row.term, Number(row.df)]));
    return { total: df.get(ALL_POSTS) ?? 0, df };
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

/**
 * Changes to the term statistics from one or more posts' writes. Gathered over a batch of posts
 * and written once (`TokenStatistics.write`), each common term's row is updated once a batch
 * rather than once a post (on PostgreSQL, each update of a row in a transaction is a row version
 * that later reads of it step over).
 */
export class TermDeltas {
  private readonly delta = new Map<string, number>();

  /** A post's distinct terms went from `before` to `after` (null: no post). */
  record(before: ReadonlySet<string> | null, after: ReadonlySet<string> | null): void {
    for (const term of after ?? []) if (!before?.has(term)) this.add(term, 1);
    for (const term of before ?? []) if (!after?.has(term)) this.add(term, -1);
    if ((before === null) !== (after === null)) this.add(ALL_POSTS, after ? 1 : -1);
  }

  /** A new post's distinct terms (no post before): `record(null, new Set(terms))`, without making the set. */
  recordNew(terms: readonly string[]): void {
    for (const term of terms) this.add(term, 1);
    this.add(ALL_POSTS, 1);
  }

  /** Takes in another's changes (a post's, once its savepoint is released). */
  absorb(other: TermDeltas): void {
    for (const [term, n] of other.delta) this.add(term, n);
  }

  /** The rows to add, terms the table keeps (64 characters at most), sorted so that concurrent writers lock rows in one order and cannot deadlock. */
  rows(): [string, number][] {
    // The default sort orders strings by UTF-16 code units, as `<` does, without a comparator call per pair.
    const terms = [...this.delta.keys()].filter((term) => term.length <= 64).sort();
    return terms.map((term) => [term, this.delta.get(term)!]);
  }

  private add(term: string, n: number): void {
    this.delta.set(term, (this.delta.get(term) ?? 0) + n);
  }
}
