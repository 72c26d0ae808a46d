import { Pool } from 'pg';
import type { DataSource } from 'typeorm';

/**
 * The pg Pool behind a PostgreSQL DataSource, or null for any other database.
 *
 * This is the one place Kiji reaches into TypeORM's driver: its PostgreSQL driver keeps the pool
 * as `driver.master`, a field TypeORM does not document. Kiji needs the pool for two things
 * TypeORM cannot do: run a read as a named prepared statement (postgres-dialect.ts) and report
 * the pool's use in the metrics (http/metrics.ts). test/unit/db/pg-pool.test.ts fails when a
 * TypeORM upgrade moves or renames the field.
 */
export function pgPoolOf(dataSource: DataSource): Pool | null {
  if (dataSource.options.type !== 'postgres') return null;
  const master: unknown = (dataSource.driver as { master?: unknown }).master;
  return master instanceof Pool ? master : null;
}
