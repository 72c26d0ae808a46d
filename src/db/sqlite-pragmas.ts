/**
 * SQLite's page cache per connection, in the pragma's form: negative means KiB (-65536 = 64 MB).
 *
 * The default is 2 MB. An archive of 100,000 posts is over 2 GB, and its indexes' inner pages
 * alone outgrow that: each insert into an index in random key order (term statistics, related
 * terms, the full-text index) and each search's index walk then reads its pages from the OS again.
 * 64 MB keeps them; a cache fills only as pages are read.
 */
const CACHE_KIB = -65536;

/** What every connection Kiji opens to an SQLite file sets first (the server's, and its count thread's). */
export function tuneSqliteConnection(db: { pragma(sql: string): unknown }): void {
  // A second process's write (an import beside the server) is waited for, not failed.
  db.pragma('busy_timeout = 5000');
  // WAL's own durability: a commit survives the process being killed; only a power loss may take the last ones.
  db.pragma('synchronous = NORMAL');
  db.pragma(`cache_size = ${CACHE_KIB}`);
}
