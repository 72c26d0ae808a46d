/**
 * Serializes write transactions where the database has one connection (SQLite through TypeORM):
 * two transactions on it at once would interleave. PostgreSQL needs no lock: each transaction has
 * its own connection and the version check in the UPDATE settles races.
 */
export class WriteLock {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly enabled: boolean) {}

  run<T>(work: () => Promise<T>): Promise<T> {
    if (!this.enabled) return work();
    const result = this.tail.then(work, work);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
