import type { EntityManager } from 'typeorm';

/**
 * Runs an UPDATE or DELETE in `manager`'s transaction and returns how many rows it changed. Only
 * TypeORM's structured result carries that count on both drivers (SQLite's plain result is the
 * last row id), and only a transaction's query runner gives it: outside one, this throws.
 */
export async function affectedRows(manager: EntityManager, sql: string, parameters: unknown[] = []): Promise<number> {
  if (!manager.queryRunner) throw new Error('affectedRows runs inside a transaction');
  const result = await manager.queryRunner.query(sql, parameters, true);
  return result.affected ?? 0;
}
