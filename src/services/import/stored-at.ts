import type { EntityManager } from 'typeorm';
import { dialectOf } from '../../db/dialect';

/** What a source file left stored: the id of its post (deleted or not), and whether it has a page. */
export interface StoredAt {
  postId: number | null;
  page: boolean;
}

/**
 * What is stored from the file at `sourcePath`, in one statement read by the two tables' unique
 * indexes on their source paths. Most files of an import have neither (a fresh import) or only
 * a post (a re-import): loading the post or looking for its page is left to those that do.
 */
export async function storedAt(manager: EntityManager, sourcePath: string): Promise<StoredAt> {
  const dialect = dialectOf(manager);
  const [row]: { postId: number | string | null; page: number | string | boolean }[] = await manager.query(
    `SELECT (SELECT id FROM posts WHERE "sourcePath" = ${dialect.param(1)}) AS "postId", EXISTS (SELECT 1 FROM pages WHERE "sourcePath" = ${dialect.param(2)}) AS page`,
    [sourcePath, sourcePath],
  );
  return { postId: row.postId === null ? null : Number(row.postId), page: row.page === true || Number(row.page) === 1 };
}

/**
 * `storedAt` of several files, in one statement: what a batch's transaction reads once, at its
 * start, for all its files (none of them can change what another's path has stored).
 */
export async function storedAtEach(manager: EntityManager, sourcePaths: readonly string[]): Promise<Map<string, StoredAt>> {
  const dialect = dialectOf(manager);
  const rows: { path: string; postId: number | string | null }[] = await manager.query(
    `SELECT "sourcePath" AS path, id AS "postId" FROM posts WHERE ${dialect.inTextList('"sourcePath"', 1)}
     UNION ALL SELECT "sourcePath" AS path, NULL AS "postId" FROM pages WHERE ${dialect.inTextList('"sourcePath"', 2)}`,
    [dialect.textList(sourcePaths), dialect.textList(sourcePaths)],
  );
  const stored = new Map<string, StoredAt>(sourcePaths.map((path) => [path, { postId: null, page: false }]));
  for (const row of rows) {
    const at = stored.get(row.path)!;
    if (row.postId === null) at.page = true;
    else at.postId = Number(row.postId);
  }
  return stored;
}
