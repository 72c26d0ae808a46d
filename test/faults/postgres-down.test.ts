import { spawnSync } from 'node:child_process';
import { Client } from 'pg';
import { eventually, getJson, graphqlPost, KIJI_MAIN, KijiProcess, startKiji } from '../support/kiji-process';
import { anyString, stringMatching } from '../support/matchers';
import { postgresBinariesAvailable, startThrowawayPostgres, ThrowawayPostgres } from '../support/throwaway-postgres';

/*
 * A PostgreSQL of the test's own, stopped, frozen (SIGSTOP) and locked under a running Kiji:
 * readiness answers 503 within a second, answers already in the response cache keep being served,
 * other requests get a JSON 503 at once, and Kiji recovers by itself when the database is back.
 */

const CACHED = '{ posts(first: 3) { edges { node { title url } } } }';
/** Each phase asks something new, so that its answer cannot come from the cache. */
const uncached = (n: number) => `{ posts(first: ${n}) { totalCount edges { node { slug } } } }`;
// Generous bound on "at once": it catches a request that waits for a connection or statement timeout.
const QUICKLY_MS = 1500;

const describeWithPostgres = postgresBinariesAvailable() ? describe : describe.skip;

describeWithPostgres('PostgreSQL failing under a running Kiji', () => {
  let pg: ThrowawayPostgres;
  let kiji: KijiProcess;
  let cachedBody: unknown;
  let readerKey: string;

  beforeAll(async () => {
    pg = await startThrowawayPostgres();
    kiji = await startKiji('start', { DATABASE_URL: pg.url, KIJI_REQUEST_TIMEOUT_MS: '1000', KIJI_SHUTDOWN_GRACE_MS: '300' });
    const created = spawnSync(process.execPath, [KIJI_MAIN, 'keys', 'create', '--role', 'reader', '--name', 'fault test', '--json'], {
      env: { ...process.env, DATABASE_URL: pg.url, LOG_LEVEL: 'error' },
      encoding: 'utf8',
    });
    readerKey = (JSON.parse(created.stdout) as { key: string }).key;
    expect((await graphqlPost(kiji.graphql, uncached(11), { authorization: `Bearer ${readerKey}` })).status).toBe(200);
    const first = await graphqlPost(kiji.graphql, CACHED);
    expect(first.status).toBe(200);
    cachedBody = first.body;
    expect((await graphqlPost(kiji.graphql, CACHED)).cache).toBe('hit');
  });
  afterAll(async () => {
    await kiji?.kill();
    pg?.destroy();
  });

  async function expectDatabaseUnavailable(n: number): Promise<void> {
    const ready = await getJson(`${kiji.base}/health/ready`);
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({ status: 'unavailable', checks: { database: 'unavailable', draining: false } });
    expect(ready.ms).toBeLessThan(QUICKLY_MS);

    const cached = await graphqlPost(kiji.graphql, CACHED);
    expect(cached.status).toBe(200);
    expect(cached.body).toEqual(cachedBody);
    expect(cached.cache).toBe('stale');
    expect(cached.ms).toBeLessThan(QUICKLY_MS);

    const anonymousAndKeyed: Record<string, string>[] = [{}, { authorization: `Bearer ${readerKey}` }];
    for (const headers of anonymousAndKeyed) {
      const other = await graphqlPost(kiji.graphql, uncached(n), headers);
      expect(other.status).toBe(503);
      expect(other.type).toMatch(/application\/json/);
      expect(other.body).toEqual({ errors: [{ message: anyString(), extensions: { code: 'SERVICE_UNAVAILABLE' } }] });
      expect(JSON.stringify(other.body)).not.toMatch(/127\.0\.0\.1|ECONN|postgres|:\d{4,5}/i);
      expect(other.ms).toBeLessThan(QUICKLY_MS);
    }

    const live = await getJson(`${kiji.base}/health/live`);
    expect(live).toMatchObject({ status: 200, body: { status: 'ok' } });
  }

  async function expectRecovery(n: number): Promise<void> {
    expect(await eventually(async () => (await getJson(`${kiji.base}/health/ready`)).status === 200, 15_000)).toBe(true);
    const answer = await graphqlPost<{ posts: { totalCount: number } }>(kiji.graphql, uncached(n));
    expect(answer.status).toBe(200);
    expect(answer.body.data?.posts.totalCount).toBeGreaterThan(0);
  }

  it('stopped: readiness 503, cached answers served, others a JSON 503, then recovery', async () => {
    pg.stop();
    // The first request to find the database gone (keyed: no cache in front) fails while executing.
    const first = await graphqlPost(kiji.graphql, uncached(1), { authorization: `Bearer ${readerKey}` });
    expect(first.status).toBe(503);
    expect(first.type).toMatch(/application\/json/);
    expect(JSON.stringify(first.body)).not.toMatch(/127\.0\.0\.1|ECONN|postgres|:\d{4,5}/i);
    await expectDatabaseUnavailable(2);
    pg.start();
    await expectRecovery(3);
  });

  it('frozen: the same, and nothing hangs', async () => {
    pg.freeze();
    try {
      // The first request waits for the freshness read's one-second bound, then finds out.
      const first = await graphqlPost(kiji.graphql, uncached(4));
      expect(first.ms).toBeLessThan(2 * QUICKLY_MS);
      await expectDatabaseUnavailable(5);
    } finally {
      pg.thaw();
    }
    await expectRecovery(6);
  });

  it('a table locked: the request deadline answers TIMEOUT, readiness 503 within a second, cached answers served, then recovery', async () => {
    const locker = new Client({ connectionString: pg.url });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE posts IN ACCESS EXCLUSIVE MODE');
      // A keyed reader skips the response cache: its read waits on the lock until the 1 s deadline.
      const late = await graphqlPost(kiji.graphql, uncached(9), { authorization: `Bearer ${readerKey}` });
      expect({ status: late.status, body: late.body }).toEqual({
        status: 503,
        body: { errors: [{ message: stringMatching(/1000 ms/), extensions: { code: 'TIMEOUT' } }] },
      });
      expect(late.ms).toBeLessThan(QUICKLY_MS);
      const ready = await getJson(`${kiji.base}/health/ready`);
      expect(ready.status).toBe(503);
      expect(ready.ms).toBeLessThan(QUICKLY_MS);
      const cached = await graphqlPost(kiji.graphql, CACHED);
      expect(cached).toMatchObject({ status: 200, body: cachedBody });
      expect(cached.ms).toBeLessThan(QUICKLY_MS);
      const other = await graphqlPost(kiji.graphql, uncached(7), { authorization: `Bearer ${readerKey}` });
      expect(other.status).toBe(503);
      expect(other.body.errors?.[0].extensions.code).toMatch(/^(SERVICE_UNAVAILABLE|TIMEOUT)$/);
    } finally {
      await locker.query('ROLLBACK');
      await locker.end();
    }
    await expectRecovery(8);
  });

  it('logs the outage and the recovery, not a line per request', () => {
    const log = kiji.output();
    expect(log.match(/database unreachable/g)).toHaveLength(3);
    expect(log.match(/database reachable again/g)).toHaveLength(3);
  });

  it('past the shutdown grace period, a request still waiting gets a JSON 503 and the process exits 1', async () => {
    const locker = new Client({ connectionString: pg.url });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE posts IN ACCESS EXCLUSIVE MODE');
      const stuck = graphqlPost(kiji.graphql, uncached(10), { authorization: `Bearer ${readerKey}` });
      await new Promise((resolve) => setTimeout(resolve, 150));
      kiji.signal('SIGTERM');
      const answer = await stuck;
      expect(answer.status).toBe(503);
      expect(answer.body).toEqual({ errors: [{ message: stringMatching(/shutting down/), extensions: { code: 'SERVICE_UNAVAILABLE' } }] });
      expect(await kiji.exited).toBe(1);
    } finally {
      await locker.query('ROLLBACK');
      await locker.end();
    }
  });
});
