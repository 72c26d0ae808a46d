import type { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import { indexableText, searchTokens } from '../../content/searchTokens';
import { chunks, dialectOf } from '../../db/dialect';
import { MAX_BODY_TOKENS, PostTokens, splitTokens } from './post-tokens';
import type { Post } from '../../entities';
import { countThreadFor, type SqliteCountThread } from './count-thread';

/** What the full-text index holds for one post. */
export interface SearchDocument {
  postId: number;
  title: string;
  tags: string[];
  excerpt: string;
  bodyMarkdown: string;
  /** The title's, excerpt's and body's tokens when the writer has them already (tokenizePost); absent: tokenized here. */
  tokens?: Pick<PostTokens, 'title' | 'excerpt' | 'body'>;
}

/** Rarity of each query term, for engines whose ranking does not weigh it by itself. */
export type PhraseRarity = (phrases: string[][]) => Promise<number[]>;

/**
 * The full-text index. Both implementations store the tokens of `content/searchTokens.ts`, weigh a
 * title hit over a tag hit over an excerpt hit over a body hit, and weigh rare phrases more.
 *
 * A post matches when it holds every token of the query: a Japanese word's character pairs must
 * all be in the post, not necessarily side by side (`データベース` needs デー, ータ, タベ, ベー and
 * ース). Side by side is what ranks: the title, tag and excerpt tiers ask for the whole phrase.
 * Asking it of every match made PostgreSQL decompress each matching document, 50,000 of them for
 * a common word in 100,000 posts (seconds a search); token by token, its GIN index answers alone.
 */
export interface SearchIndex {
  write(manager: EntityManager, doc: SearchDocument): Promise<void>;
  /** `write` of several posts (each at most once), in a few statements whatever their number: an import batch's. */
  writeAll(manager: EntityManager, docs: readonly SearchDocument[]): Promise<void>;
  remove(manager: EntityManager, postId: number): Promise<void>;
  /**
   * Restricts `qb` (posts aliased `p`) to posts matching every token, and exposes the match's
   * relevance (higher is better) as the column `s.score`. Only the RANK_WINDOW most recently
   * added matching posts are scored and returned.
   */
  restrict(qb: SelectQueryBuilder<Post>, phrases: string[][], rarity: PhraseRarity): Promise<void>;
  /** Restricts `qb` to every post matching every token, unscored (for counting). */
  match(qb: SelectQueryBuilder<Post>, phrases: string[][]): void;
  /** How many posts match every token, leaving out the posts `hidden` (a subquery of post ids) selects. */
  countMatches(dataSource: DataSource, phrases: string[][], hidden: string, visibleAt: Date): Promise<number>;
  /**
   * Whether countMatches reads on a connection of its own (SQLite's count thread), which never
   * shows a write's uncommitted rows: it then needs no turn between writes (SearchCounts).
   */
  readonly countsApart: boolean;
  /** Lets go of what the index holds besides the DataSource (SQLite's count thread), before the DataSource is destroyed. */
  close(): Promise<void>;
}

/**
 * How many matches a search scores. Scoring reads each match's title, tags and excerpt; bounding
 * it keeps a search for a word found in half an archive of 100,000 posts in milliseconds.
 * The window is the most recently added posts (highest ids): a query that matches more posts
 * than this ranks the newest of them, and `totalCount` still counts them all.
 */
export const RANK_WINDOW = 300;

const FIELDS = ['title', 'tags', 'excerpt', 'body'] as const;
/** The fields of a post's search head, which ranking reads. */
const HEAD_FIELDS = ['title', 'tags', 'excerpt'] as const;
type HeadField = (typeof HEAD_FIELDS)[number];
/** How many of a query's phrases (the rarest) SQLite ranks by each field apart: each costs three scans of the head. */
const RANKED_PHRASES = 4;

/** Each field's tokens, joined by spaces. */
function fieldTokens(doc: SearchDocument): Record<(typeof FIELDS)[number], string> {
  return {
    title: doc.tokens?.title ?? searchTokens(doc.title).join(' '),
    tags: searchTokens(doc.tags.join(' \n ')).join(' '),
    excerpt: doc.tokens?.excerpt ?? searchTokens(doc.excerpt).join(' '),
    // Cap what one huge post can put in the index (a tsvector holds at most 1 MB).
    body: doc.tokens?.body ?? searchTokens(indexableText(doc.bodyMarkdown)).slice(0, MAX_BODY_TOKENS).join(' '),
  };
}

/**
 * SQLite: an FTS5 table of bigram/word tokens per field (`post_search`), which matching reads, and
 * the head of each entry (title, tags, excerpt) in one of its own (`post_search_head`), which
 * ranking reads (see the SearchHeadSqlite migration).
 */
class SqliteSearchIndex implements SearchIndex {
  constructor(private readonly countThread: SqliteCountThread | null) {}

  get countsApart(): boolean {
    return this.countThread?.available ?? false;
  }

  async close(): Promise<void> {
    await this.countThread?.close();
  }

  write(manager: EntityManager, doc: SearchDocument): Promise<void> {
    return this.writeAll(manager, [doc]);
  }

  /** Each table's entries of the posts go, then theirs are inserted: a statement a table for each, per 100 posts. */
  async writeAll(manager: EntityManager, docs: readonly SearchDocument[]): Promise<void> {
    for (const chunk of chunks(docs, 100)) {
      const ids = chunk.map((doc) => doc.postId);
      const inList = dialectOf(manager).inList(ids.length);
      await manager.query(`DELETE FROM post_search WHERE rowid IN (${inList})`, ids);
      await manager.query(`DELETE FROM post_search_head WHERE rowid IN (${inList})`, ids);
      const rows = chunk.map((doc) => {
        const tokens = fieldTokens(doc);
        return [doc.postId, ...FIELDS.map((f) => tokens[f])];
      });
      const tuples = (width: number) => dialectOf(manager).valueTuples(rows.length, width);
      await manager.query(`INSERT INTO post_search (rowid, title, tags, excerpt, body) VALUES ${tuples(5)}`, rows.flat());
      await manager.query(
        `INSERT INTO post_search_head (rowid, title, tags, excerpt) VALUES ${tuples(4)}`,
        rows.flatMap((row) => row.slice(0, 4)),
      );
    }
  }

  async remove(manager: EntityManager, postId: number): Promise<void> {
    await manager.query('DELETE FROM post_search WHERE rowid = ?', [postId]);
    await manager.query('DELETE FROM post_search_head WHERE rowid = ?', [postId]);
  }

  match(qb: SelectQueryBuilder<Post>, phrases: string[][]): void {
    qb.andWhere('p.id IN (SELECT rowid FROM post_search WHERE post_search MATCH :searchAll)', { searchAll: this.all(phrases) });
  }

  /** FTS5 phrase strings, one per phrase. */
  private quoted(phrases: string[][]): string[] {
    return phrases.map((phrase) => `"${phrase.join(' ')}"`);
  }

  /** Every token of every phrase (see SearchIndex). */
  private all(phrases: string[][]): string {
    return [...new Set(phrases.flat())].map((t) => `"${t}"`).join(' AND ');
  }

  async countMatches(dataSource: DataSource, phrases: string[][], hidden: string, visibleAt: Date): Promise<number> {
    const sql = `SELECT COUNT(*) AS n FROM post_search WHERE post_search MATCH ? AND rowid NOT IN (${hidden.replace(':visibleAt', '?')})`;
    const params = [this.all(phrases), dialectOf(dataSource).date(visibleAt)];
    if (this.countsApart) return this.countThread!.count(sql, params);
    const [row] = await dataSource.query<{ n: number | string }[]>(sql, params);
    return Number(row.n);
  }

  async restrict(qb: SelectQueryBuilder<Post>, phrases: string[][], rarity: PhraseRarity): Promise<void> {
    const idf = await rarity(phrases);
    const params: Record<string, string | number> = { searchAll: this.all(phrases), searchWindow: RANK_WINDOW };
    const quoted = this.quoted(phrases);
    // Whether a match holds some phrases in a field of its head, as 0 or 1: an FTS5 MATCH of the
    // head, bounded by the window's oldest id (FTS5 seeks past older ids unread), run once (IN
    // builds its set once). Not bm25: it counts each phrase's posts over the whole table at every
    // search, which grows with the archive (30 ms at 100,000 posts).
    const flags: string[] = [];
    const flag = (name: string, field: HeadField, phrasesIn: string[]) => {
      params[`searchIn_${name}`] = `{${field}} : (${phrasesIn.join(' OR ')})`;
      flags.push(`win.id IN (SELECT rowid FROM post_search_head WHERE post_search_head MATCH :searchIn_${name} AND rowid >= (SELECT v FROM lowest)) AS ${name}`);
      return name;
    };
    // Each field of the rarest phrases apart (a scan each: common phrases, which weigh little, are
    // not worth one), and any phrase in a field for the tiers, where more phrases are asked for.
    const ranked = idf
      .map((weight, i) => ({ weight, i }))
      .sort((a, b) => b.weight - a.weight)
      .slice(0, RANKED_PHRASES);
    const rank = ranked
      .map(({ weight, i }) => {
        const [title, tags, excerpt] = HEAD_FIELDS.map((field) => flag(`${field}_${i}`, field, [quoted[i]]));
        params[`searchIdf${i}`] = weight;
        return `CAST(:searchIdf${i} AS REAL) * (${title} + 0.5 * ${tags} + 0.2 * ${excerpt})`;
      })
      .join(' + ');
    const anyIn = (field: HeadField) => (phrases.length === ranked.length ? `(${ranked.map(({ i }) => `${field}_${i}`).join(' OR ')})` : flag(`${field}_any`, field, quoted));
    // A tier per field any phrase is in (title 4, tags 2, excerpt 1); inside a tier, the rarer the
    // phrases found and the better their fields, the higher. A body hit alone scores 0.
    const tiers = `4 * ${anyIn('title')} + 2 * ${anyIn('tags')} + ${anyIn('excerpt')}`;
    // The LIMITs (-1 is none) keep SQLite from flattening the subqueries into the outer query.
    // Flattened, the planner may walk the posts by the feed index and run every MATCH once per
    // post: work that grows with posts × query phrases (a 200-character Japanese query took 2 s
    // on 960 posts, with the event loop blocked).
    qb.innerJoin(
      `(WITH win(id) AS MATERIALIZED (SELECT rowid FROM post_search WHERE post_search MATCH :searchAll ORDER BY rowid DESC LIMIT :searchWindow),
             lowest(v) AS MATERIALIZED (SELECT coalesce(min(id), 0) FROM win)
        SELECT f.id AS sid, ${tiers} + f.r / (1 + f.r) AS score
        FROM (SELECT h.*, ${rank} AS r FROM (SELECT win.id, ${flags.join(', ')} FROM win LIMIT -1) h LIMIT -1) f
        LIMIT -1)`,
      's',
      's.sid = p.id',
    );
    qb.setParameters(params);
  }
}

/** The token every post of a run of 1,024 ids shares, by which the index finds the newest matches first. */
const recencyToken = (postId: number) => `#${postId >> 10}`;

const tsquery = (phrase: string[], weight = '') => phrase.map((t) => `'${t}'${weight}`).join(' <-> ');

/**
 * PostgreSQL: a tsvector of the same tokens with weights A–D, plus the post's recency token, with
 * a GIN index; and the head (weights A–C only) that ranking reads (see the SearchSpeed migration).
 */
class PostgresSearchIndex implements SearchIndex {
  /** Each count has a pooled connection of its own, but PostgreSQL's reads take no turns anyway. */
  readonly countsApart = false;

  async close(): Promise<void> {}

  write(manager: EntityManager, doc: SearchDocument): Promise<void> {
    return this.writeAll(manager, [doc]);
  }

  /**
   * One statement, one round trip, for both tables and every post: the documents go in as one
   * array. The head is the same entries less the body's positions, and less the recency token,
   * which has none: what ts_filter keeps of the document (as the migration built it), made there
   * rather than sent a second time.
   */
  async writeAll(manager: EntityManager, docs: readonly SearchDocument[]): Promise<void> {
    if (docs.length === 0) return;
    await manager.query(
      `WITH v AS (SELECT id, CAST(document AS tsvector) AS document FROM unnest(CAST($1 AS integer[]), CAST($2 AS text[])) AS u(id, document)),
            d AS (INSERT INTO post_search ("postId", document) SELECT id, document FROM v
                  ON CONFLICT ("postId") DO UPDATE SET document = EXCLUDED.document)
       INSERT INTO post_search_head ("postId", head) SELECT id, ts_filter(document, '{a,b,c}') FROM v
       ON CONFLICT ("postId") DO UPDATE SET head = EXCLUDED.head`,
      [docs.map((doc) => doc.postId), docs.map((doc) => this.document(doc))],
    );
  }

  /** A post's tsvector, as text: each token with its positions and weights (A–D, by field), and the post's recency token. */
  private document(doc: SearchDocument): string {
    const tokens = fieldTokens(doc);
    const positions = new Map<string, string[]>();
    let position = 1;
    FIELDS.forEach((field, i) => {
      const weight = 'ABCD'[i];
      for (const token of splitTokens(tokens[field])) {
        const list = positions.get(token) ?? [];
        if (list.length < 256) list.push(`${Math.min(position, 16383)}${weight}`);
        positions.set(token, list);
        position += 1;
      }
      position += 100; // no phrase spans two fields
    });
    const vector = (entries: [string, string[]][]) => entries.map(([token, at]) => (at.length ? `'${token}':${at.join(',')}` : `'${token}'`)).join(' ');
    // The post's recency token, without a position (see the SearchSpeed migration).
    return vector([...positions, [recencyToken(doc.postId), []]]);
  }

  async remove(manager: EntityManager, postId: number): Promise<void> {
    await manager.query('WITH d AS (DELETE FROM post_search WHERE "postId" = $1) DELETE FROM post_search_head WHERE "postId" = $1', [postId]);
  }

  /** Matching posts through the GIN index, never a scan that decompresses every document (see the migration). */
  match(qb: SelectQueryBuilder<Post>, phrases: string[][]): void {
    // In FROM, as the other two calls have it: a set-returning function in the select list is several times slower.
    qb.andWhere('p.id IN (SELECT m FROM kiji_search_matches(CAST(:searchAll AS tsquery)) m)', { searchAll: this.all(phrases) });
  }

  /** Every token of every phrase: no phrase operator and no weight, so the GIN index answers alone. */
  private all(phrases: string[][]): string {
    return [...new Set(phrases.flat())].map((t) => `'${t}'`).join(' & ');
  }

  async countMatches(dataSource: DataSource, phrases: string[][], hidden: string, visibleAt: Date): Promise<number> {
    const [row] = await dataSource.query<{ n: number | string }[]>(
      `SELECT COUNT(*) AS n FROM kiji_search_matches(CAST($1 AS tsquery)) m WHERE m NOT IN (${hidden.replace(':visibleAt', '$2')})`,
      [this.all(phrases), visibleAt],
    );
    return Number(row.n);
  }

  async restrict(qb: SelectQueryBuilder<Post>, phrases: string[][], rarity: PhraseRarity): Promise<void> {
    const any = (weight: string) => phrases.map((p) => `(${tsquery(p, weight)})`).join(' | ');
    const idf = await rarity(phrases);
    const params: Record<string, unknown> = {
      searchAll: this.all(phrases),
      searchWindow: RANK_WINDOW,
      searchInTitle: any(':A'),
      searchInTags: any(':B'),
      searchInExcerpt: any(':C'),
    };
    const ranks = phrases.map((phrase, i) => {
      params[`searchTerm${i}`] = tsquery(phrase);
      params[`searchIdf${i}`] = idf[i];
      return `CAST(:searchIdf${i} AS float8) * ts_rank(CAST('{0.1, 0.2, 0.5, 1.0}' AS float4[]), h.head, CAST(:searchTerm${i} AS tsquery), 1)`;
    });
    const hit = (param: string, points: number) => `CASE WHEN h.head @@ CAST(:${param} AS tsquery) THEN ${points} ELSE 0 END`;
    // A tier per field the query hits (title 4, tags 2, excerpt 1), then idf-weighted rank inside a tier.
    // Both from the head alone (see the SearchSpeed migration). OFFSET 0 keeps the planner from
    // flattening the subquery and so computing each rank twice (once for `rank`, once in `1 + rank`).
    // Sorted here, so that the page (ordered by score, then id) reads posts best first and stops
    // at its last row, instead of reading the post of every match in the window to sort them.
    qb.innerJoin(
      `(SELECT r.sid, r.tier + r.rank / (1 + r.rank) AS score FROM (
          SELECT h."postId" AS sid, ${hit('searchInTitle', 4)} + ${hit('searchInTags', 2)} + ${hit('searchInExcerpt', 1)} AS tier,
                 ${ranks.join(' + ')} AS rank
          FROM post_search_head h WHERE h."postId" IN (
            SELECT m FROM kiji_search_window(CAST(:searchAll AS tsquery), CAST(:searchWindow AS integer)) m)
          OFFSET 0) r
        ORDER BY score DESC, r.sid DESC)`,
      's',
      's.sid = p.id',
    );
    qb.setParameters(params);
  }
}

/** Each database's own full-text engine: the two share no SQL. */
export function createSearchIndex(dataSource: DataSource): SearchIndex {
  if (dialectOf(dataSource).kind === 'postgres') return new PostgresSearchIndex();
  return new SqliteSearchIndex(countThreadFor(String(dataSource.options.database)));
}
