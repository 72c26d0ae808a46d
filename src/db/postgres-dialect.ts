import type { DataSource, ObjectLiteral, QueryRunner, SelectQueryBuilder } from 'typeorm';
import type { Dialect } from './dialect';
import { pgPoolOf } from './pg-pool';

/** Namespace of Kiji's PostgreSQL advisory locks (`pg_advisory_lock(KIJI, key)`): "KIJI". */
const ADVISORY_NAMESPACE = 0x4b494a49;
/** The key of the write turn; session locks (session-lock.ts) use 2 and up. */
const WRITES_KEY = 1;

/** Statement shapes prepared so far past which reads run unprepared (each shape costs every connection a plan). */
const MAX_PREPARED = 500;

export class PostgresDialect implements Dialect {
  readonly kind = 'postgres';
  readonly oneConnection = false;
  /** Transaction-scoped: released at commit or rollback, or when a killed client's connection closes. */
  readonly writeTurn = `SELECT pg_advisory_xact_lock(${ADVISORY_NAMESPACE}, ${WRITES_KEY})`;

  /**
   * Prepared statement names by text. A statement has a few shapes (with or without a cursor, a
   * tag filter, n ids…), each prepared under its own name: `kiji_posts_page_3` is the fourth shape
   * of `posts_page` this process met.
   */
  private readonly prepared = new Map<string, string>();
  private readonly shapes = new Map<string, number>();

  constructor(private readonly dataSource: DataSource) {}

  param(n: number): string {
    return `$${n}`;
  }

  inList(n: number, offset = 0): string {
    return Array.from({ length: n }, (_, i) => `$${offset + i + 1}`).join(', ');
  }

  inTextList(column: string, n: number): string {
    return `${column} = ANY(CAST($${n} AS varchar[]))`;
  }

  textList(values: readonly string[]): readonly string[] {
    return values;
  }

  pairTable(alias: string, keyType: 'integer' | 'varchar'): string {
    return `unnest(CAST($1 AS ${keyType}[]), CAST($2 AS integer[])) AS ${alias}(key, n)`;
  }

  pairList(pairs: readonly (readonly [key: string | number, n: number])[]): unknown[] {
    return [pairs.map(([key]) => key), pairs.map(([, n]) => n)];
  }

  valueTuples(rows: number, width: number): string {
    const tuples: string[] = [];
    for (let r = 0; r < rows; r++) tuples.push(`(${this.inList(width, r * width)})`);
    return tuples.join(', ');
  }

  date(value: Date): Date {
    return value;
  }

  jsonArray(objectPairs: string, orderBy: string): string {
    return `coalesce(json_agg(json_build_object(${objectPairs}) ORDER BY ${orderBy}), '[]'::json)`;
  }

  /**
   * The reads of the public API have a handful of shapes: run as named prepared statements, each
   * is planned once per connection instead of at every request (planning a feed costs PostgreSQL
   * about as much as running it). TypeORM cannot name a statement, so this goes to its pg pool.
   */
  async readRows<T extends ObjectLiteral>(statement: string, qb: SelectQueryBuilder<T>): Promise<Record<string, unknown>[]> {
    const [text, values] = qb.getQueryAndParameters();
    return this.readText(statement, text, values);
  }

  async readText(statement: string, text: string, values: unknown[]): Promise<Record<string, unknown>[]> {
    const name = this.nameOf(statement, text);
    const pool = pgPoolOf(this.dataSource);
    if (!name || !pool) return this.dataSource.query(text, values);
    this.dataSource.logger.logQuery(text, values);
    return (await pool.query({ name, text, values })).rows as Record<string, unknown>[];
  }

  private nameOf(statement: string, text: string): string | null {
    let name = this.prepared.get(text);
    if (name || this.prepared.size >= MAX_PREPARED) return name ?? null;
    const shape = this.shapes.get(statement) ?? 0;
    this.shapes.set(statement, shape + 1);
    name = `kiji_${statement}_${shape}`;
    this.prepared.set(text, name);
    return name;
  }

  /** A session advisory lock, on a connection held until the release. */
  async trySessionLock(_name: string, key: number): Promise<(() => Promise<void>) | null> {
    const keys = `${ADVISORY_NAMESPACE}, ${key}`;
    const runner: QueryRunner = this.dataSource.createQueryRunner();
    let taken = false;
    try {
      const rows = (await runner.query(`SELECT pg_try_advisory_lock(${keys}) AS taken`)) as { taken: boolean }[];
      taken = rows[0].taken;
    } finally {
      if (!taken) await runner.release();
    }
    if (!taken) return null;
    return async () => {
      try {
        await runner.query(`SELECT pg_advisory_unlock(${keys})`);
      } finally {
        await runner.release();
      }
    };
  }
}
