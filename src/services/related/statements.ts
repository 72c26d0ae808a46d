import type { DataSource, EntityManager } from 'typeorm';
import { chunks, dialectOf, readTimestamp } from '../../db/dialect';
import { POST_LINKS, PostLinkName } from '../../entities';

/*
 * Every statement of the related-articles index, one function each: the pending marks
 * (`related_pending`), the stored lists (`related_posts`), the term vectors (`post_terms`) and
 * what they are computed from. Long id lists are split (`chunks`) to stay within the databases'
 * parameter limits. Writes run inside the caller's write transaction (`manager`).
 */

/** A post as the related index reads it; `status` is `deleted` for a deleted post. */
export interface RelatedSource {
  id: number;
  title: string;
  bodyMarkdown: string;
  status: string;
  publishedAt: Date | null;
}

const PUBLISHED = `status = 'published' AND "deletedAt" IS NULL`;

/** Runs `statement` (given its IN list of parameters) once per chunk of `ids`; the results, each a read's rows or a write's outcome. */
async function perChunk(manager: EntityManager, ids: readonly number[], statement: (inList: string) => string): Promise<unknown[]> {
  const results: unknown[] = [];
  for (const chunk of chunks(ids)) results.push(await manager.query(statement(dialectOf(manager).inList(chunk.length)), [...chunk]));
  return results;
}

/** `perChunk` for a read: the rows of every chunk. */
async function readPerChunk<T>(manager: EntityManager, ids: readonly number[], statement: (inList: string) => string): Promise<T[]> {
  return (await perChunk(manager, ids, statement)).flat() as T[];
}

// Pending marks

/** Marks, inside the transaction that changes posts, that their related lists and those around them must follow. */
export async function markRelatedPending(manager: EntityManager, postIds: readonly number[]): Promise<void> {
  for (const chunk of chunks([...new Set(postIds)])) {
    await manager.query(`INSERT INTO related_pending ("postId") VALUES ${dialectOf(manager).valueTuples(chunk.length, 1)} ON CONFLICT ("postId") DO NOTHING`, chunk);
  }
}

export async function anyPending(dataSource: DataSource): Promise<boolean> {
  const rows: unknown[] = await dataSource.query('SELECT 1 AS pending FROM related_pending LIMIT 1');
  return rows.length > 0;
}

/** The posts marked pending, all or those among `only`. */
export async function pendingMarks(manager: EntityManager, only?: readonly number[]): Promise<number[]> {
  const rows: { postId: number }[] = only
    ? await readPerChunk(manager, only, (ids) => `SELECT "postId" FROM related_pending WHERE "postId" IN (${ids})`)
    : await manager.query('SELECT "postId" FROM related_pending');
  return rows.map((r) => Number(r.postId));
}

export async function clearPendingMarks(manager: EntityManager, postIds: readonly number[]): Promise<void> {
  await perChunk(manager, postIds, (ids) => `DELETE FROM related_pending WHERE "postId" IN (${ids})`);
}

export async function clearAllPendingMarks(manager: EntityManager): Promise<void> {
  await manager.query('DELETE FROM related_pending');
}

// What lists are computed from

export async function publishedCount(manager: EntityManager): Promise<number> {
  const rows: { n: number | string }[] = await manager.query(`SELECT COUNT(*) AS n FROM posts WHERE ${PUBLISHED}`);
  return Number(rows[0].n);
}

export async function publishedIds(manager: EntityManager): Promise<number[]> {
  const rows: { id: number }[] = await manager.query(`SELECT id FROM posts WHERE ${PUBLISHED} ORDER BY id`);
  return rows.map((r) => Number(r.id));
}

export async function relatedSources(manager: EntityManager, ids: readonly number[]): Promise<Map<number, RelatedSource>> {
  const rows: RelatedSource[] = await readPerChunk(
    manager,
    ids,
    (list) => `SELECT id, title, "bodyMarkdown", CASE WHEN "deletedAt" IS NULL THEN status ELSE 'deleted' END AS status, "publishedAt" FROM posts WHERE id IN (${list})`,
  );
  return new Map(rows.map((row) => [Number(row.id), { ...row, id: Number(row.id), publishedAt: readTimestamp(row.publishedAt) }]));
}

/** The publication dates of those of `ids` that are published. */
export async function publishedDates(manager: EntityManager, ids: readonly number[]): Promise<Map<number, Date | null>> {
  const rows: { id: number; publishedAt: unknown }[] = await readPerChunk(
    manager,
    ids,
    (list) => `SELECT id, "publishedAt" FROM posts WHERE ${PUBLISHED} AND id IN (${list})`,
  );
  return new Map(rows.map((row) => [Number(row.id), readTimestamp(row.publishedAt)]));
}

/** Each post's linked term ids (its tags, or its categories), for all posts. */
export async function linkedIds(manager: EntityManager, name: PostLinkName): Promise<Map<number, number[]>> {
  const { table, column } = POST_LINKS[name];
  const rows: { postId: number; other: number }[] = await manager.query(`SELECT "postId", "${column}" AS other FROM ${table}`);
  const map = new Map<number, number[]>();
  for (const row of rows) {
    const list = map.get(Number(row.postId)) ?? [];
    list.push(Number(row.other));
    map.set(Number(row.postId), list);
  }
  return map;
}

// Candidates: the posts sharing terms, tags or categories with one post

/** The 300 posts whose stored vectors are most similar to the post's (`sim`: dot product). */
export function textNeighbours(manager: EntityManager, postId: number): Promise<{ id: number; sim: number }[]> {
  return manager.query(
    `SELECT b."postId" AS id, SUM(a.weight * b.weight) AS sim FROM post_terms a
       JOIN post_terms b ON b.term = a.term AND b."postId" <> a."postId"
       WHERE a."postId" = ${dialectOf(manager).param(1)} GROUP BY b."postId" ORDER BY sim DESC LIMIT 300`,
    [postId],
  );
}

/** Each (post, tag) the post shares a tag with, with `n`: how many published posts carry that tag (as a rebuild counts). */
export function tagNeighbours(manager: EntityManager, postId: number): Promise<{ id: number; tagId: number; n: number }[]> {
  const p = dialectOf(manager);
  const { table, column } = POST_LINKS.tags;
  return manager.query(
    `SELECT b."postId" AS id, b."${column}" AS "tagId", c.n AS n FROM ${table} a
         JOIN ${table} b ON b."${column}" = a."${column}" AND b."postId" <> a."postId"
         JOIN (SELECT l."${column}", COUNT(*) AS n FROM ${table} l JOIN posts q ON q.id = l."postId"
               WHERE q.status = 'published' AND q."deletedAt" IS NULL
                 AND l."${column}" IN (SELECT "${column}" FROM ${table} WHERE "postId" = ${p.param(1)})
               GROUP BY l."${column}") c
           ON c."${column}" = a."${column}"
         WHERE a."postId" = ${p.param(2)}`,
    [postId, postId],
  );
}

/** Each post the post shares categories with, with `n`: how many. */
export function categoryNeighbours(manager: EntityManager, postId: number): Promise<{ id: number; n: number }[]> {
  const { table, column } = POST_LINKS.categories;
  return manager.query(
    `SELECT b."postId" AS id, COUNT(*) AS n FROM ${table} a
         JOIN ${table} b ON b."${column}" = a."${column}" AND b."postId" <> a."postId"
         WHERE a."postId" = ${dialectOf(manager).param(1)} GROUP BY b."postId"`,
    [postId],
  );
}

// Stored lists and vectors

/** The posts whose stored lists hold any of `postIds`. */
export async function holdersOf(manager: EntityManager, postIds: readonly number[]): Promise<number[]> {
  const rows: { postId: number }[] = await readPerChunk(manager, postIds, (ids) => `SELECT DISTINCT "postId" FROM related_posts WHERE "relatedId" IN (${ids})`);
  return [...new Set(rows.map((r) => Number(r.postId)))];
}

/** Takes `postIds` out of every stored list. */
export async function removeFromLists(manager: EntityManager, postIds: readonly number[]): Promise<void> {
  await perChunk(manager, postIds, (ids) => `DELETE FROM related_posts WHERE "relatedId" IN (${ids})`);
}

export async function deleteList(manager: EntityManager, postId: number): Promise<void> {
  await manager.query(`DELETE FROM related_posts WHERE "postId" = ${dialectOf(manager).param(1)}`, [postId]);
}

/** Adds (postId, relatedId, score) rows to the stored lists. */
export async function insertLists(manager: EntityManager, rows: (readonly [number, number, number])[]): Promise<void> {
  await insertMany(manager, 'related_posts ("postId", "relatedId", score)', ['integer', 'integer', 'float8'], rows);
}

/**
 * Inserts rows into `into` (a table and its columns). PostgreSQL takes each column as one array
 * (`unnest`), 20,000 rows a statement: a rebuild writes millions of rows, and a statement of a few
 * thousand parameters costs more to parse and bind than to run. SQLite takes 1,000 rows a
 * statement (well under its limit of 32,766 parameters), one prepared statement for every full chunk.
 */
async function insertMany(manager: EntityManager, into: string, pgTypes: string[], rows: readonly (readonly (string | number)[])[]): Promise<void> {
  const dialect = dialectOf(manager);
  if (dialect.kind === 'postgres') {
    const columns = pgTypes.map((type, i) => `CAST(${dialect.param(i + 1)} AS ${type}[])`).join(', ');
    for (const chunk of chunks(rows, 20_000)) {
      await manager.query(
        `INSERT INTO ${into} SELECT * FROM unnest(${columns})`,
        pgTypes.map((_, i) => chunk.map((row) => row[i])),
      );
    }
    return;
  }
  for (const chunk of chunks(rows, 1000)) {
    await manager.query(`INSERT INTO ${into} VALUES ${dialect.valueTuples(chunk.length, pgTypes.length)}`, chunk.flat());
  }
}

/** Puts (holder, postId, score) rows into the holders' lists, replacing the score of one already there. */
export async function upsertIntoLists(manager: EntityManager, rows: (readonly [number, number, number])[]): Promise<void> {
  for (const chunk of chunks(rows, 300)) {
    await manager.query(
      `INSERT INTO related_posts ("postId", "relatedId", score) VALUES ${dialectOf(manager).valueTuples(chunk.length, 3)}
         ON CONFLICT ("postId", "relatedId") DO UPDATE SET score = excluded.score`,
      chunk.flat(),
    );
  }
}

/** Cuts the lists of `holders` back to their best `keep`. */
export async function trimLists(manager: EntityManager, holders: readonly number[], keep: number): Promise<void> {
  await perChunk(
    manager,
    holders,
    (ids) => `DELETE FROM related_posts WHERE ("postId", "relatedId") IN (
           SELECT "postId", "relatedId" FROM (
             SELECT "postId", "relatedId", ROW_NUMBER() OVER (PARTITION BY "postId" ORDER BY score DESC, "relatedId") AS rn
             FROM related_posts WHERE "postId" IN (${ids})) ranked
           WHERE rn > ${keep})`,
  );
}

export async function deleteVector(manager: EntityManager, postId: number): Promise<void> {
  await manager.query(`DELETE FROM post_terms WHERE "postId" = ${dialectOf(manager).param(1)}`, [postId]);
}

/** Adds (postId, term, weight) rows to the stored vectors. */
export async function insertVectors(manager: EntityManager, rows: (readonly [number, string, number])[]): Promise<void> {
  await insertMany(manager, 'post_terms ("postId", term, weight)', ['integer', 'varchar', 'float8'], rows);
}

/** Empties every stored list and vector, for a rebuild. */
export async function deleteAllListsAndVectors(manager: EntityManager): Promise<void> {
  await manager.query('DELETE FROM related_posts');
  await manager.query('DELETE FROM post_terms');
}
