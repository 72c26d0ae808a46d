import type { DataSource } from 'typeorm';
import { dialectOf } from '../../db/dialect';

/** Pages the write-ahead log may grow to during an import before SQLite copies it back (64 MB at 4 KB pages). */
const IMPORT_CHECKPOINT_PAGES = 16384;

/**
 * Runs an import with SQLite's automatic checkpoints spaced further apart. By default SQLite copies
 * the write-ahead log back into the database file at the first commit after the log passes 1,000
 * pages (4 MB): an import's batches passed that every few commits, and each checkpoint wrote back
 * the same index pages again (full-text segments, term statistics) and synced the file. A killed
 * process loses nothing: each commit is in the log. Under `synchronous = NORMAL` (sqlite-pragmas.ts)
 * the log is synced at checkpoints, so a power loss or an OS crash during an import may take the
 * commits of up to 64 MB of log rather than 4 MB: an import is re-run as it is (unchanged files are
 * skipped), and other connections' writes still checkpoint at their own setting. The setting (of
 * this connection alone) is put back afterwards; PostgreSQL is left as it is.
 */
export async function withSpacedCheckpoints<T>(dataSource: DataSource, work: () => Promise<T>): Promise<T> {
  if (dialectOf(dataSource).kind !== 'sqlite') return work();
  const [before] = await dataSource.query<{ wal_autocheckpoint: number }[]>('PRAGMA wal_autocheckpoint');
  const pages = Number(before?.wal_autocheckpoint ?? 1000);
  // A log checkpointed less often than this already (or never: 0) is left as it is.
  if (pages <= 0 || pages >= IMPORT_CHECKPOINT_PAGES) return work();
  await dataSource.query(`PRAGMA wal_autocheckpoint = ${IMPORT_CHECKPOINT_PAGES}`);
  try {
    return await work();
  } finally {
    await dataSource.query(`PRAGMA wal_autocheckpoint = ${pages}`);
  }
}
