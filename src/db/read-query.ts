import { createHash } from 'node:crypto';
import type { DataSource, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { isPostgres } from './sql';

/** Statement shapes prepared so far; past the cap, reads run unprepared (each shape costs every connection a plan). */
const prepared = new Set<string>();
const MAX_PREPARED = 500;

/**
 * Runs a read built by a query builder and returns its raw rows. On PostgreSQL it is run as a
 * named prepared statement: the reads of the public API have a handful of shapes, each planned
 * once per connection instead of at every request (planning a feed costs PostgreSQL about as
 * much as running it). SQLite's driver caches prepared statements already.
 */
export async function readRows<T extends ObjectLiteral>(dataSource: DataSource, qb: SelectQueryBuilder<T>): Promise<Record<string, unknown>[]> {
  if (!isPostgres(dataSource)) return qb.getRawMany();
  const [text, values] = qb.getQueryAndParameters();
  const name = `kiji_${createHash('sha1').update(text).digest('base64url').slice(0, 20)}`;
  if (!prepared.has(name) && prepared.size >= MAX_PREPARED) return qb.getRawMany();
  prepared.add(name);
  dataSource.logger.logQuery(text, values);
  // TypeORM's PostgreSQL driver keeps its pg Pool as `master`; TypeORM itself cannot name a statement.
  const pool = (dataSource.driver as unknown as { master: { query(config: object): Promise<{ rows: Record<string, unknown>[] }> } }).master;
  return (await pool.query({ name, text, values })).rows;
}
