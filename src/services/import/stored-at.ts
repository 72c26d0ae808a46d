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
