import type { DataSource, EntityManager } from 'typeorm';
import { Dialect, dialectOf } from '../../../db/dialect';

export interface TransactionOptions {
  /** False when the transaction writes nothing that cached answers read (WriteLock.transaction). */
  content?: boolean;
}

/**
 * Write transactions take turns, within this process and across processes (a server and a
 * `kiji import`, or two imports), so each one reads what the previous one committed:
 * - SQLite through TypeORM is one connection, so this process queues its transactions; across
 *   processes, each transaction's first statement is a write, which makes SQLite wait for the
 *   other process's write lock (busy_timeout) instead of failing "database is locked" when a
 *   transaction that has read tries to write after another one committed.
 * - PostgreSQL: each transaction first takes a transaction-scoped advisory lock, released at
 *   commit or rollback (or when a killed client's connection closes).
 * The dialect gives that first statement (`writeTurn`). Writes are short (one post, or one
 * related-list refresh), so turns are short.
 */
export class WriteLock {
  private tail: Promise<unknown> = Promise.resolve();
  private readonly dialect: Dialect;
  /** How many content write transactions this process has begun, and whether one is open now (quietFromNow). */
  private begun = 0;
  private open = false;
  private readonly committedListeners: (() => Promise<unknown>)[] = [];

  constructor(private readonly dataSource: DataSource) {
    this.dialect = dialectOf(dataSource);
  }

  /**
   * Runs `work` in a transaction that holds the write lock from its first statement to its end.
   * `content: false`: `work` writes nothing a cached answer reads (webhook deliveries, the change
   * log's compaction, preview links, API keys, whose readers are never cached), so caches go on
   * keeping answers while it is open (quietFromNow).
   */
  transaction<T>(work: (manager: EntityManager) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    const content = options.content ?? true;
    return this.inTurn(async () => {
      if (content) {
        this.begun += 1;
        this.open = true;
      }
      let result: T;
      try {
        result = await this.dataSource.transaction(async (manager) => {
          await manager.query(this.dialect.writeTurn);
          return work(manager);
        });
      } finally {
        if (content) this.open = false;
      }
      if (content) await this.tellCommitted();
      return result;
    });
  }

  /**
   * Runs `listener` after every content write transaction this process commits, before its
   * caller learns of the commit and, on SQLite, before another transaction begins: what it reads
   * then is committed (quietFromNow holds). Its failure is not the write's: it is ignored.
   */
  afterContentCommit(listener: () => Promise<unknown>): void {
    this.committedListeners.push(listener);
  }

  private async tellCommitted(): Promise<void> {
    for (const listener of this.committedListeners) await listener().catch(() => undefined);
  }

  /**
   * A check that tells, later, whether every read of content made since this call saw only
   * committed rows: on SQLite, whose one connection shows a read the rows of the write transaction
   * open on it, true while no content write transaction was open at this call and none has begun
   * since. A response cache keeps an answer only then: one read inside a write that rolls back
   * would otherwise be kept under the content generation the next write takes again, and served
   * after it. PostgreSQL reads never see another connection's uncommitted rows: always true.
   */
  quietFromNow(): () => boolean {
    if (!this.dialect.oneConnection) return () => true;
    if (this.open) return () => false;
    const begun = this.begun;
    return () => !this.open && this.begun === begun;
  }

  /**
   * Runs `work`, which writes only rows it leases or holds a lease on, in a transaction: on SQLite
   * in the write lock all the same (one connection: a statement outside the lock would run inside
   * whichever write transaction is open); on PostgreSQL row leases keep writers apart, so no
   * global turn is taken.
   */
  rowTransaction<T>(work: (manager: EntityManager) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    return this.dialect.oneConnection ? this.transaction(work, options) : this.dataSource.transaction(work);
  }

  /**
   * Runs `work`, which only reads, between write transactions and never inside one: on SQLite the
   * one connection would show it an open transaction's uncommitted rows (which a rollback then
   * takes back, and whose AUTOINCREMENT ids the next write hands out again). No transaction is
   * opened and no database lock taken. PostgreSQL: at once, on a connection of its own.
   */
  betweenWrites<T>(work: () => Promise<T>): Promise<T> {
    return this.inTurn(work);
  }

  /** One connection (SQLite): one transaction at a time on it. Else (PostgreSQL) each has its own. */
  private inTurn<T>(work: () => Promise<T>): Promise<T> {
    if (!this.dialect.oneConnection) return work();
    const result = this.tail.then(work, work);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
