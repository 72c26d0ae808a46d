import type { DataSource } from 'typeorm';
import { openDatabase, servingLimits } from '../../src/db/data-source';
import { isDatabaseUnavailable } from '../../src/db/availability';
import { pgPoolOf } from '../../src/db/pg-pool';
import { postgresBinariesAvailable, startThrowawayPostgres, ThrowawayPostgres } from '../support/throwaway-postgres';

/*
 * A server that takes a query and then says nothing (frozen here; a network partition looks the
 * same) cannot enforce its own statement_timeout. Kiji's pool bounds the wait itself (pg-pool.ts
 * answerWithin): the query fails as "database unavailable" a second past the statement timeout,
 * the process goes on, and once the server answers again new queries work.
 */

const describeWithPostgres = postgresBinariesAvailable() ? describe : describe.skip;

describeWithPostgres('a PostgreSQL that stops answering mid-query', () => {
  let pg: ThrowawayPostgres;
  let dataSource: DataSource;

  beforeAll(async () => {
    pg = await startThrowawayPostgres();
    dataSource = await openDatabase({ type: 'postgres', url: pg.url }, 'error', servingLimits({ statementMs: 500, acquireMs: 1000 }));
  });
  afterAll(async () => {
    await dataSource?.destroy().catch(() => undefined);
    pg?.destroy();
  });

  it('fails the waiting query within the statement timeout plus a second, then recovers', async () => {
    expect(await dataSource.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    pg.freeze();
    const started = Date.now();
    let failure: unknown;
    try {
      await dataSource.query('SELECT 2 AS two');
    } catch (error) {
      failure = error;
    } finally {
      pg.thaw();
    }
    const waited = Date.now() - started;
    expect(failure).toBeDefined();
    expect(isDatabaseUnavailable(failure)).toBe(true);
    expect(waited).toBeGreaterThanOrEqual(1400);
    expect(waited).toBeLessThan(4000);
    expect(await dataSource.query('SELECT 3 AS three')).toEqual([{ three: 3 }]);
  });

  it('leaves idle connections alone however long they wait', async () => {
    const pool = pgPoolOf(dataSource)!;
    const open = pool.totalCount;
    expect(open).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(pool.totalCount).toBe(open);
    expect(await dataSource.query('SELECT 4 AS four')).toEqual([{ four: 4 }]);
  });
});
