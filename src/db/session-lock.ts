import type { DataSource } from 'typeorm';
import { dialectOf } from './dialect';

/** What a session lock is for: each is its own lock, with its own key and file (key 1 is the write turn's). */
const KEYS = { import: 2, migrations: 3 } as const;
export type SessionLockName = keyof typeof KEYS;

/** How often a waiting process asks again. */
const POLL_MS = 250;
/** Past this, a waiting process gives up with a message rather than wait without end. */
const WAIT_LIMIT_MS = 30 * 60_000;

export type Release = () => Promise<void>;

export class LockBusyError extends Error {
  constructor(name: SessionLockName, waitedMs: number) {
    const what = name === 'import' ? 'another import into this database' : 'another process migrating this database';
    super(
      waitedMs > 0
        ? `${what} has been running for over ${Math.round(waitedMs / 60_000)} minutes; try again when it has finished`
        : `${what} is running; try again when it has finished`,
    );
  }
}

/**
 * A lock held by one process at a time per database, for a whole run (an import, the
 * migrations), across processes. It dies with its holder, so a killed process never leaves it
 * taken:
 * - PostgreSQL: a session advisory lock on a connection held for the run;
 * - SQLite: an exclusive transaction on a small file beside the database (`<database>-<name>.lock`),
 *   an operating-system lock that the kernel releases when the process exits, however it exits.
 * An in-memory SQLite database is seen by this process alone: nothing to take. Each dialect
 * takes its own kind (`trySessionLock`); this class waits for it.
 */
export class SessionLock {
  constructor(
    private readonly dataSource: DataSource,
    private readonly name: SessionLockName,
  ) {}

  /**
   * Takes the lock; with `wait`, waits for it (calling `onWait` once if it has to), else throws
   * LockBusyError at once when another process holds it. The wait polls, so it never blocks
   * the event loop, and ends with LockBusyError after half an hour.
   */
  async acquire(options: { wait: boolean; onWait?: () => void }): Promise<Release> {
    const started = Date.now();
    let told = false;
    for (;;) {
      const release = await this.tryAcquire();
      if (release) return release;
      if (!options.wait) throw new LockBusyError(this.name, 0);
      const waited = Date.now() - started;
      if (waited > WAIT_LIMIT_MS) throw new LockBusyError(this.name, waited);
      if (!told) options.onWait?.();
      told = true;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  private tryAcquire(): Promise<Release | null> {
    return dialectOf(this.dataSource).trySessionLock(this.name, KEYS[this.name]);
  }
}
