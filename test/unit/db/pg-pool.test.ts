import { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { openDatabase } from '../../../src/db/data-source';
import { dialectOf } from '../../../src/db/dialect';
import { pgPoolOf } from '../../../src/db/pg-pool';
import { withSqlTally } from '../../../src/db/sql-counter';
import { Post } from '../../../src/entities';
import { readCacheState } from '../../../src/services/cache/statements';
import { createTestDatabase, databaseKinds, TestDatabase } from '../../support/databases';

/*
 * Kiji reaches into TypeORM's PostgreSQL driver for its pg pool (`driver.master`, not a documented
 * field) to run reads as named prepared statements. These tests fail when a TypeORM upgrade moves
 * or renames it, instead of the public reads silently running unprepared.
 */

// Without TEST_DATABASE_URL the PostgreSQL tests show as skipped, with the reason; under CI=true that fails.
const postgres = databaseKinds().includes('postgres');

(postgres ? describe : describe.skip)('the pg pool behind TypeORM [postgres]', () => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    dataSource = await openDatabase(database.config, 'error');
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('is found where pg-pool.ts looks for it', () => {
    const pool = pgPoolOf(dataSource);
    expect(pool).toBeInstanceOf(Pool);
    expect(typeof pool!.totalCount).toBe('number');
  });

  it('runs a read as a named prepared statement, counted like any other', async () => {
    const pool = pgPoolOf(dataSource)!;
    const query = jest.spyOn(pool, 'query');
    const qb = () => dataSource.getRepository(Post).createQueryBuilder('p').select('p.id', 'id').where('p.id = :id', { id: 1 });
    const tally = { statements: 0 };
    try {
      await withSqlTally(async () => {
        expect(await dialectOf(dataSource).readRows('unit_probe', qb())).toEqual([]);
        await dialectOf(dataSource).readRows('unit_probe', qb());
      }, tally);
      const names = query.mock.calls.map(([config]) => (config as unknown as { name?: string }).name);
      expect(names).toEqual(['kiji_unit_probe_0', 'kiji_unit_probe_0']);
      expect(tally.statements).toBe(2);
    } finally {
      query.mockRestore();
    }
  });

  it('prepares the content-state read every cache lookup shares, and reads it', async () => {
    const pool = pgPoolOf(dataSource)!;
    const query = jest.spyOn(pool, 'query');
    try {
      const state = await readCacheState(dataSource, new Date());
      await readCacheState(dataSource, new Date());
      const names = query.mock.calls.map(([config]) => (config as unknown as { name?: string }).name);
      expect(names).toEqual(['kiji_content_state_0', 'kiji_content_state_0']);
      expect(Number.isInteger(state.generation)).toBe(true);
      expect(state.nextScheduledAt).toBeNull();
    } finally {
      query.mockRestore();
    }
  });
});

describe('the pg pool on SQLite', () => {
  it('is absent: reads run through TypeORM', async () => {
    const database = await createTestDatabase('sqlite');
    const dataSource = await openDatabase(database.config, 'error');
    try {
      expect(pgPoolOf(dataSource)).toBeNull();
      const qb = dataSource.getRepository(Post).createQueryBuilder('p').select('p.id', 'id');
      expect(await dialectOf(dataSource).readRows('unit_probe', qb)).toEqual([]);
      expect(await dialectOf(dataSource).readText('unit_probe', 'SELECT ? + 1 AS n', [41])).toEqual([{ n: 42 }]);
    } finally {
      await dataSource.destroy();
      await database.drop();
    }
  });
});
