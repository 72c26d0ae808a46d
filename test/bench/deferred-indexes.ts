import type { DataSource } from 'typeorm';
import { dialectOf } from '../../src/db/dialect';

/**
 * Drops the secondary indexes of `tables` (those the migrations made with CREATE INDEX; not the
 * ones behind primary keys and constraints) and returns what builds them again, as they were.
 * For bulk loads, as pg_restore does it: one index built over a full table is far cheaper than
 * one kept up to date row by row, a GIN index over tsvectors above all.
 */
export async function deferIndexes(dataSource: DataSource, tables: string[]): Promise<() => Promise<void>> {
  const postgres = dialectOf(dataSource).kind === 'postgres';
  const indexes: { name: string; definition: string }[] = postgres
    ? await dataSource.query(
        `SELECT c.relname AS name, pg_get_indexdef(x.indexrelid) AS definition
           FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
          WHERE t.relname = ANY($1) AND t.relnamespace = 'public'::regnamespace
            AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid)`,
        [tables],
      )
    : await dataSource.query(
        `SELECT name, sql AS definition FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (${tables.map(() => '?').join(', ')})`,
        tables,
      );
  for (const { name } of indexes) await dataSource.query(`DROP INDEX "${name}"`);
  return async () => {
    if (!postgres) {
      for (const { definition } of indexes) await dataSource.query(definition);
      return;
    }
    // One session, with room to sort in memory (the default 64 MB spills a GIN build to disk).
    const runner = dataSource.createQueryRunner();
    try {
      await runner.query(`SET maintenance_work_mem = '512MB'`);
      for (const { definition } of indexes) await runner.query(definition);
      await runner.query('RESET maintenance_work_mem');
    } finally {
      await runner.release();
    }
  };
}
