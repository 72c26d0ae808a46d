import path from 'node:path';
import { WorkerPool } from '../shared';

/** What the thread is asked: a count (the SQLite file, and a statement whose one row's one column is the count), or to close its connection. */
export type CountRequest = { kind: 'count'; file: string; sql: string; params: unknown[] } | { kind: 'close' };

/**
 * SQLite's full-text counts, on a read-only connection of their own in a worker thread.
 *
 * better-sqlite3 runs each statement on the thread that calls it. Counting the matches of a
 * common word at 100,000 posts takes 100 ms and more, and on the server's thread every request
 * waits behind it; a search for a new word then holds up the feed and article pages of everybody.
 * The thread counts on the machine's other core while the server goes on. In WAL mode a reader
 * sees what was committed when its statement began, never a write's uncommitted rows, so the
 * count needs no turn between writes either (WriteLock.betweenWrites).
 *
 * The thread starts with the first count. Should it fail or end (out of memory, say), counting
 * goes back to the server's connection for the life of the process: `available` says which.
 */
export class SqliteCountThread {
  private pool: WorkerPool<CountRequest, number> | null = null;
  private closed = false;

  constructor(private readonly file: string) {}

  /** Whether counts go to the thread; once false, it stays false. */
  get available(): boolean {
    return !this.closed && !this.pool?.lost;
  }

  count(sql: string, params: unknown[]): Promise<number> {
    this.pool ??= new WorkerPool<CountRequest, number>(path.join(__dirname, 'count-worker.js'), 1, { detached: true });
    return this.pool.ask(0, { kind: 'count', file: this.file, sql, params });
  }

  /**
   * Closes the thread's connection and ends the thread (a server that stops). SQLite folds the
   * write-ahead log into the database file when its last connection closes: a connection left
   * open here would leave the latest writes in `-wal`, beside a `.sqlite` file that lacks them.
   */
  async close(): Promise<void> {
    this.closed = true;
    const pool = this.pool;
    if (!pool) return;
    if (!pool.lost) await pool.ask(0, { kind: 'close' }).catch(() => undefined);
    await pool.close();
  }
}

/**
 * The count thread for an SQLite database file; none for an in-memory database (another
 * connection would see another database) or when running from TypeScript sources (tests run
 * by ts-jest have no compiled worker script to start).
 */
export function countThreadFor(file: string): SqliteCountThread | null {
  if (file === ':memory:' || file === '' || __filename.endsWith('.ts')) return null;
  return new SqliteCountThread(path.resolve(file));
}
