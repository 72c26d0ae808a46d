/**
 * SQLite's page cache per connection, in the pragma's form: negative means KiB (-65536 = 64 MB).
 *
 * The default is 2 MB. An archive of 100,000 posts is over 2 GB, and its indexes' inner pages
 * alone outgrow that: each insert into an index in random key order (term statistics, related
 * terms, the full-text index) and each search's index walk then reads its pages from the OS again.
 * 64 MB keeps them; a cache fills only as pages are read.
 */
const CACHE_KIB = -65536;

/** The part of a better-sqlite3 connection the tuning uses. */
interface SqliteConnection {
  readonly readonly: boolean;
  pragma(sql: string): unknown;
  prepare(sql: string): { get(): unknown };
  exec(sql: string): unknown;
}

/** What every connection Kiji opens to an SQLite file sets first (the server's, and its count thread's). */
export function tuneSqliteConnection(db: SqliteConnection): void {
  // A second process's write (an import beside the server) is waited for, not failed.
  db.pragma('busy_timeout = 5000');
  // WAL's own durability: a commit survives the process being killed; only a power loss may take the last ones.
  db.pragma('synchronous = NORMAL');
  db.pragma(`cache_size = ${CACHE_KIB}`);
  if (!db.readonly) dropPlanSamples(db);
}

/**
 * Deletes the value samples `ANALYZE` (or `PRAGMA optimize`) keeps in `sqlite_stat4`, keeping its
 * per-index row estimates (`sqlite_stat1`), and has this connection plan by those alone.
 *
 * better-sqlite3's SQLite is built with STAT4. With samples present, every statement whose plan
 * could depend on a bound value (any `=`, `IN` or range on an indexed column: nearly all of
 * Kiji's reads) is planned again at each execution, as if the schema had changed: Kiji prepares
 * each read once to run it thousands of times, and its statements are large. At 10,000 posts
 * the samples made the feed statement cost 400 µs of CPU instead of 300, the related one 320
 * instead of 230, a tag's term 130 instead of 45. Kiji's reads are shaped for their indexes
 * (keyset pages, listing indexes, per-term counts), so they do not need the samples to choose one.
 *
 * A busy database (another process writing) leaves the samples for the next start.
 */
function dropPlanSamples(db: SqliteConnection): void {
  if (!db.prepare(`SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'sqlite_stat4'`).get()) return;
  if (!db.prepare('SELECT 1 FROM sqlite_stat4 LIMIT 1').get()) return;
  try {
    // `ANALYZE sqlite_schema` only reloads the statistics, so this connection forgets the samples now.
    db.exec('DELETE FROM sqlite_stat4; ANALYZE sqlite_schema');
  } catch (error) {
    if ((error as { code?: string }).code !== 'SQLITE_BUSY') throw error;
  }
}
