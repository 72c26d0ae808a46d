import type { DataSource, EntityManager } from 'typeorm';
import { affectedRows } from '../../db/affected-rows';
import { chunks, dialectOf, readTimestamp } from '../../db/dialect';

/*
 * Every statement of the partners' change log (`sync_log`) and its floor (`sync_log_floor`), one
 * function each. What differs between the databases is the transaction id a row carries and the
 * horizon below which the log is complete (SYNC_DIALECTS; sync-log.ts says why).
 */

/** A place in the log: rows are ordered by (txid, seq). */
export interface LogPosition {
  txid: number;
  seq: number;
}

export const LOG_START: LogPosition = { txid: 0, seq: 0 };

export function comparePositions(a: LogPosition, b: LogPosition): number {
  return a.txid !== b.txid ? a.txid - b.txid : a.seq - b.seq;
}

/** One log row, with the logged post's current version. */
export interface LoggedChange {
  position: LogPosition;
  postId: number;
  at: Date;
  version: number;
}

interface SyncDialect {
  /** The id of the writing transaction, as a bigint. */
  txid: string;
  /** Below it no transaction can still add a row: null when there is one writer at a time. */
  horizon: string;
}

const SYNC_DIALECTS: Record<'postgres' | 'sqlite', SyncDialect> = {
  // xid8: 64 bits with the epoch, so no wraparound; the text cast is the documented way to a bigint.
  postgres: {
    txid: 'pg_current_xact_id()::text::bigint',
    horizon: 'pg_snapshot_xmin(pg_current_snapshot())::text::bigint',
  },
  sqlite: { txid: '0', horizon: 'NULL' },
};

function syncDialect(source: DataSource | EntityManager): SyncDialect {
  return SYNC_DIALECTS[dialectOf(source).kind];
}

/** Appends a row for `postId`, inside the transaction that changed it. */
export async function appendLogRow(manager: EntityManager, postId: number, at: Date): Promise<void> {
  const dialect = dialectOf(manager);
  await manager.query(`INSERT INTO sync_log (txid, "postId", at) VALUES (${syncDialect(manager).txid}, ${dialect.param(1)}, ${dialect.param(2)})`, [postId, dialect.date(at)]);
}

/** `appendLogRow` for several changes of one transaction, in their order, one statement per 500. */
export async function appendLogRows(manager: EntityManager, rows: readonly { postId: number; at: Date }[]): Promise<void> {
  const dialect = dialectOf(manager);
  const { txid } = syncDialect(manager);
  for (const chunk of chunks(rows)) {
    const tuples = chunk.map((_, i) => `(${txid}, ${dialect.param(2 * i + 1)}, ${dialect.param(2 * i + 2)})`);
    await manager.query(
      `INSERT INTO sync_log (txid, "postId", at) VALUES ${tuples.join(', ')}`,
      chunk.flatMap((row) => [row.postId, dialect.date(row.at)]),
    );
  }
}

/**
 * Where an initial sync pins the log: every change past it is read afterwards, and never below the
 * floor (a head below it would be refused as expired at the initial sync's end).
 * - PostgreSQL: the horizon (every transaction below it has ended, so the posts read next include
 *   its changes). Compaction only drops rows below its own horizon (dropOldRows), so the floor
 *   stays below every later horizon and the max is a guard, not a jump.
 * - SQLite: the last row, or the floor when compaction dropped the last rows (AUTOINCREMENT never
 *   hands out the seq of a committed row again).
 */
export async function logHead(dataSource: DataSource): Promise<LogPosition> {
  const postgres = dialectOf(dataSource).kind === 'postgres';
  const head = postgres ? SYNC_DIALECTS.postgres.horizon : 'COALESCE((SELECT MAX(seq) FROM sync_log), 0)';
  const [row]: { head: string | number; txid: string | number; seq: string | number }[] = await dataSource.query(
    `SELECT ${head} AS head, txid, seq FROM sync_log_floor WHERE id = 1`,
  );
  const position = postgres ? { txid: Number(row.head), seq: 0 } : { txid: 0, seq: Number(row.head) };
  const floor = { txid: Number(row.txid), seq: Number(row.seq) };
  return comparePositions(position, floor) >= 0 ? position : floor;
}

/** What one read of the log saw, all in one snapshot. */
export interface LogRead {
  /** Rows past the position, in log order, at most the limit; some may be at or past the horizon. */
  rows: LoggedChange[];
  /** null on SQLite (no horizon). */
  horizon: number | null;
  floor: LogPosition;
}

/**
 * The next `limit` rows after `after`, with the horizon and the floor, in ONE statement: the
 * horizon must come from the snapshot the rows were read in (sync-log.ts), and the floor too, so
 * that a compaction that drops rows and raises the floor is seen entirely or not at all.
 */
export async function readLog(dataSource: DataSource, after: LogPosition, limit: number): Promise<LogRead> {
  const dialect = dialectOf(dataSource);
  const p = (n: number) => dialect.param(n);
  const rows: Record<string, unknown>[] = await dataSource.query(
    `SELECT h.horizon, f.txid AS floor_txid, f.seq AS floor_seq, s.seq, s.txid, s."postId", s.at, p.version
       FROM sync_log_floor f
       CROSS JOIN (SELECT ${syncDialect(dataSource).horizon} AS horizon) h
       LEFT JOIN (SELECT seq, txid, "postId", at FROM sync_log
                   WHERE (txid, seq) > (${p(1)}, ${p(2)}) ORDER BY txid, seq LIMIT ${p(3)}) s ON 1 = 1
       LEFT JOIN posts p ON p.id = s."postId"
      WHERE f.id = 1
      ORDER BY s.txid, s.seq`,
    [after.txid, after.seq, limit],
  );
  const first = rows[0];
  return {
    horizon: first?.horizon == null ? null : Number(first.horizon),
    floor: { txid: Number(first?.floor_txid ?? 0), seq: Number(first?.floor_seq ?? 0) },
    rows: rows
      .filter((r) => r.seq != null)
      .map((r) => ({
        position: { txid: Number(r.txid), seq: Number(r.seq) },
        postId: Number(r.postId),
        at: readTimestamp(r.at)!,
        version: Number(r.version ?? 0),
      })),
  };
}

/**
 * Drops every row that has a newer row for the same post, both below the horizon. The number
 * of rows dropped.
 */
export async function dropSupersededRows(manager: EntityManager): Promise<number> {
  const horizon = syncDialect(manager).horizon;
  const below = (table: string) => (horizon === 'NULL' ? '1 = 1' : `${table}.txid < ${horizon}`);
  return deleteRows(
    manager,
    `DELETE FROM sync_log WHERE ${below('sync_log')} AND EXISTS (
       SELECT 1 FROM sync_log n WHERE n."postId" = sync_log."postId" AND ${below('n')}
          AND (n.txid, n.seq) > (sync_log.txid, sync_log.seq))`,
  );
}

/** Posts with a row older than `before`, below the horizon. */
export async function postsLoggedBefore(manager: EntityManager, before: Date): Promise<number[]> {
  const dialect = dialectOf(manager);
  const horizon = syncDialect(manager).horizon;
  const rows: { postId: number }[] = await manager.query(
    `SELECT DISTINCT "postId" FROM sync_log WHERE at < ${dialect.param(1)}${horizon === 'NULL' ? '' : ` AND txid < ${horizon}`}`,
    [dialect.date(before)],
  );
  return rows.map((r) => Number(r.postId));
}

/**
 * The highest position among the rows of `postIds` older than `before` and below the horizon
 * (null when none), then drops exactly those rows up to it: nothing dropped is above what the
 * caller records as the floor. Below the horizon, as postsLoggedBefore: a row of a transaction
 * still running when another has committed is past the horizon, and a floor raised to it would be
 * above the head an initial sync starts from (logHead), which would then end SYNC_CURSOR_EXPIRED
 * for as long as any transaction is open on the server.
 */
export async function dropOldRows(manager: EntityManager, postIds: readonly number[], before: Date): Promise<{ dropped: number; highest: LogPosition | null }> {
  const dialect = dialectOf(manager);
  const horizon = syncDialect(manager).horizon;
  // The DELETE below is bounded by `highest`, which is below this statement's horizon.
  const below = horizon === 'NULL' ? '' : ` AND txid < ${horizon}`;
  let highest: LogPosition | null = null;
  const perChunk = chunks(postIds);
  for (const ids of perChunk) {
    const [row]: { txid: string | number | null; seq: number | null }[] = await manager.query(
      `SELECT txid, seq FROM sync_log WHERE at < ${dialect.param(1)}${below} AND "postId" IN (${dialect.inList(ids.length, 1)}) ORDER BY txid DESC, seq DESC LIMIT 1`,
      [dialect.date(before), ...ids],
    );
    if (row && row.seq != null) {
      const position = { txid: Number(row.txid), seq: Number(row.seq) };
      if (!highest || comparePositions(position, highest) > 0) highest = position;
    }
  }
  if (!highest) return { dropped: 0, highest };
  let dropped = 0;
  for (const ids of perChunk) {
    dropped += await deleteRows(
      manager,
      `DELETE FROM sync_log WHERE at < ${dialect.param(1)} AND (txid, seq) <= (${dialect.param(2)}, ${dialect.param(3)}) AND "postId" IN (${dialect.inList(ids.length, 3)})`,
      [dialect.date(before), highest.txid, highest.seq, ...ids],
    );
  }
  return { dropped, highest };
}

/** Raises the floor to `position` (never lowers it). */
export async function raiseFloor(manager: EntityManager, position: LogPosition): Promise<void> {
  const p = (n: number) => dialectOf(manager).param(n);
  await manager.query(`UPDATE sync_log_floor SET txid = ${p(1)}, seq = ${p(2)} WHERE id = 1 AND (txid, seq) < (${p(3)}, ${p(4)})`, [
    position.txid,
    position.seq,
    position.txid,
    position.seq,
  ]);
}

/** How many rows the log holds. */
export async function logSize(dataSource: DataSource): Promise<number> {
  const [row]: { n: string | number }[] = await dataSource.query('SELECT COUNT(*) AS n FROM sync_log');
  return Number(row.n);
}

/** Runs a DELETE in the caller's transaction; the number of rows it dropped. */
function deleteRows(manager: EntityManager, sql: string, parameters: unknown[] = []): Promise<number> {
  return affectedRows(manager, sql, parameters);
}
