import type { DataSource, EntityManager, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { PostgresDialect } from './postgres-dialect';
import { SqliteDialect } from './sqlite-dialect';

/**
 * Everything Kiji's SQL does differently on PostgreSQL and SQLite, in one object chosen once per
 * DataSource (`dialectOf`). Statements are written once, in their capability's statements.ts, and
 * ask the dialect for the parts that differ instead of testing which database they run on.
 * Double-quoted identifiers, `ON CONFLICT`, window functions and row values work on both as is.
 */
export interface Dialect {
  readonly kind: 'postgres' | 'sqlite';

  /** The `n`th parameter (from 1) of a raw statement: `$n`, or `?`. */
  param(n: number): string;
  /** `n` parameters for an IN list, after `offset` earlier ones: `$3, $4` or `?, ?`. */
  inList(n: number, offset?: number): string;
  /**
   * `column` is one of the strings of the `n`th parameter, a list given as one value (`textList`):
   * the statement's text is the same however long the list, so it is parsed (SQLite: prepared) once.
   */
  inTextList(column: string, n: number): string;
  /** A list of strings as the one parameter `inTextList` takes: an array, or SQLite's JSON text of it. */
  textList(values: readonly string[]): unknown;
  /**
   * A list of `(key, n)` pairs given as the statement's first parameters (`pairList`), as a table
   * `alias(key, n)` of `keyType` keys and integers: one text however many pairs.
   */
  pairTable(alias: string, keyType: 'integer' | 'varchar'): string;
  /** Pairs as the parameters `pairTable` takes: two arrays, or SQLite's one JSON text of them. */
  pairList(pairs: readonly (readonly [key: string | number, n: number])[]): unknown[];
  /** `rows` tuples of `width` parameters each: `($1, $2), ($3, $4)` or `(?, ?), (?, ?)`. */
  valueTuples(rows: number, width: number): string;
  /** A timestamp as a parameter: a Date for PostgreSQL, the UTC text SQLite stores. */
  date(value: Date): Date | string;
  /** An aggregate: a JSON array of `json object pairs` objects in `orderBy` order, `[]` for no rows. */
  jsonArray(objectPairs: string, orderBy: string): string;

  /**
   * Runs a read built by a query builder and returns its raw rows. `statement` names it (one name
   * per function that builds it: `posts_page`, `terms_for_posts`): on PostgreSQL it runs as that
   * named prepared statement, planned once per connection rather than at every request.
   */
  readRows<T extends ObjectLiteral>(statement: string, qb: SelectQueryBuilder<T>): Promise<Record<string, unknown>[]>;

  /** `readRows` for a statement written as text (`$n` or `?` parameters, as `param` gives them). */
  readText(statement: string, text: string, values: unknown[]): Promise<Record<string, unknown>[]>;

  /** Whether every transaction runs on one connection, so a process must queue its own (write-lock.ts). */
  readonly oneConnection: boolean;
  /** The first statement of a write transaction: it waits for the writers of every process to take turns. */
  readonly writeTurn: string;
  /**
   * Takes the session lock `key` (named `name`) if no process holds it: the release function, or
   * null when it is taken. It dies with its holder (session-lock.ts).
   */
  trySessionLock(name: string, key: number): Promise<(() => Promise<void>) | null>;
}

const dialects = new WeakMap<DataSource, Dialect>();

/** The dialect of the database behind `source` (made once per DataSource). */
export function dialectOf(source: DataSource | EntityManager): Dialect {
  const dataSource = 'connection' in source ? source.connection : source;
  let dialect = dialects.get(dataSource);
  if (!dialect) {
    dialect = dataSource.options.type === 'postgres' ? new PostgresDialect(dataSource) : new SqliteDialect(dataSource);
    dialects.set(dataSource, dialect);
  }
  return dialect;
}

const ZONED = /[zZ]|[+-]\d\d:?\d\d$/;

/**
 * Kiji keeps timestamps as UTC without a zone; both databases write them as `2024-05-01 09:30:00.000`.
 * This is the one parser of that text: pg-types.ts reads PostgreSQL's through it, and
 * `readTimestamp` SQLite's.
 */
export function parseUtcTimestamp(text: string): Date {
  return plainUtcTimestamp(text) ?? new Date(ZONED.test(text) ? text : `${text.replace(' ', 'T')}Z`);
}

/**
 * The common form, `YYYY-MM-DD HH:MM:SS[.f…]` (a `T` allowed), read digit by digit: every post
 * read carries four timestamps, and building an ISO string for the engine's parser cost more than
 * the rest of turning a row into a post. Null for anything else (a zone, years before 100 that
 * Date.UTC would move to the 1900s, out-of-range fields), which the engine's parser reads.
 */
export function plainUtcTimestamp(text: string): Date | null {
  const length = text.length;
  if (length < 19 || length > 26 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return null;
  const separator = text.charCodeAt(10);
  if (separator !== 32 && separator !== 84) return null;
  let fraction = 0;
  if (length > 19) {
    if (text.charCodeAt(19) !== 46 || length === 20) return null;
    // Milliseconds, as the engine's parser keeps them: further digits are cut, not rounded.
    fraction = Math.floor((digits(text, 20, length - 20) * 1000) / 10 ** (length - 20));
  }
  const [year, month, day, hour, minute, second] = [digits(text, 0, 4), digits(text, 5, 2), digits(text, 8, 2), digits(text, 11, 2), digits(text, 14, 2), digits(text, 17, 2)];
  if (!(year >= 100 && month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour <= 23 && minute <= 59 && second <= 59 && fraction >= 0)) return null;
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second, fraction));
}

/** The decimal number written by `count` characters from `from`; NaN when one is not a digit. */
function digits(text: string, from: number, count: number): number {
  let value = 0;
  for (let i = from; i < from + count; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return NaN;
    value = value * 10 + digit;
  }
  return value;
}

/** A timestamp column as a raw read returns it: a Date from PostgreSQL (pg-types.ts), UTC text from SQLite. */
export function readTimestamp(value: unknown): Date | null {
  if (value == null) return null;
  return value instanceof Date ? value : parseUtcTimestamp(value as string);
}

/** Splits work on long lists so no statement exceeds the databases' parameter limits. */
export function chunks<T>(items: readonly T[], size = 500): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
