import Database from 'better-sqlite3';
import type { DataSource, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { Dialect } from './dialect';

export class SqliteDialect implements Dialect {
  readonly kind = 'sqlite';
  /** TypeORM's better-sqlite3 driver has one connection for the whole process. */
  readonly oneConnection = true;
  /**
   * Writes nothing, but takes SQLite's write lock (waiting, by busy_timeout, for another process's),
   * so a transaction never reads, then fails "database is locked" when it comes to write.
   */
  readonly writeTurn = 'UPDATE content_state SET generation = generation WHERE id = 1';

  constructor(private readonly dataSource: DataSource) {}

  param(_n: number): string {
    return '?';
  }

  inList(n: number, _offset = 0): string {
    return Array.from({ length: n }, () => '?').join(', ');
  }

  inTextList(column: string): string {
    return `${column} IN (SELECT value FROM json_each(?))`;
  }

  textList(values: readonly string[]): string {
    return JSON.stringify(values);
  }

  pairTable(alias: string): string {
    return `(SELECT value ->> 0 AS key, value ->> 1 AS n FROM json_each(?)) AS ${alias}`;
  }

  pairList(pairs: readonly (readonly [key: string | number, n: number])[]): unknown[] {
    return [JSON.stringify(pairs)];
  }

  valueTuples(rows: number, width: number): string {
    const tuple = `(${this.inList(width)})`;
    return Array.from({ length: rows }, () => tuple).join(', ');
  }

  /** TypeORM's own text form of a UTC instant, as it stores dates. */
  date(value: Date): string {
    return value.toISOString().replace('T', ' ').replace('Z', '');
  }

  jsonArray(objectPairs: string, orderBy: string): string {
    return `json_group_array(json_object(${objectPairs}) ORDER BY ${orderBy})`;
  }

  /** The driver caches prepared statements by text already: nothing to name. */
  readRows<T extends ObjectLiteral>(_statement: string, qb: SelectQueryBuilder<T>): Promise<Record<string, unknown>[]> {
    return qb.getRawMany();
  }

  readText(_statement: string, text: string, values: unknown[]): Promise<Record<string, unknown>[]> {
    return this.dataSource.query(text, values);
  }

  /**
   * An exclusive transaction on a small file beside the database (`<database>-<name>.lock`): an
   * operating-system lock the kernel releases when the process exits, however it exits. An
   * in-memory database is seen by this process alone: nothing to take.
   */
  async trySessionLock(name: string, _key: number): Promise<(() => Promise<void>) | null> {
    const file = this.dataSource.options.database as string;
    if (!file || file === ':memory:') return async () => undefined;
    // timeout 0: a taken lock answers SQLITE_BUSY at once; the caller waits, without blocking.
    const db = new Database(`${file}-${name}.lock`, { timeout: 0 });
    try {
      db.exec('BEGIN EXCLUSIVE');
    } catch (error) {
      db.close();
      if ((error as { code?: string }).code === 'SQLITE_BUSY') return null;
      throw error;
    }
    return async () => {
      db.exec('ROLLBACK');
      db.close();
    };
  }
}
