import type { DataSource, EntityManager } from 'typeorm';
import { dialectOf, readTimestamp } from '../../db/dialect';
import type { CacheState } from './content-state';

/* The statements on `content_state`, the one row that says when cached answers go stale. */

/** Marks, inside a write transaction, that what readers see may have changed. */
export async function bumpContentGeneration(manager: EntityManager): Promise<void> {
  await manager.query('UPDATE content_state SET generation = generation + 1 WHERE id = 1');
}

/** The content generation as `manager` sees it (a rebuild compares it before and after). */
export async function contentGeneration(manager: EntityManager): Promise<number> {
  const rows: { generation: number | string }[] = await manager.query('SELECT generation FROM content_state WHERE id = 1');
  return Number(rows[0].generation);
}

/** The content generation and the next scheduled publication after `now`, in one statement. */
export async function readCacheState(dataSource: DataSource, now: Date): Promise<CacheState> {
  const dialect = dialectOf(dataSource);
  // Every cache lookup needs it (shared by the lookups of its moment): prepared, not planned each time.
  const [row] = (await dialect.readText(
    'content_state',
    `SELECT generation, (SELECT MIN("publishedAt") FROM posts
         WHERE status = 'published' AND "deletedAt" IS NULL AND "publishedAt" > ${dialect.param(1)}) AS next
       FROM content_state WHERE id = 1`,
    [dialect.date(now)],
  )) as ({ generation: number | string; next: unknown } | undefined)[];
  return { generation: Number(row?.generation ?? 0), nextScheduledAt: readTimestamp(row?.next) };
}
