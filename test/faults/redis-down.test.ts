import Redis from 'ioredis';
import { createTestDatabase, describeEachDatabaseIf, TestDatabase, databaseUrlOf } from '../support/databases';
import { eventually, getJson, graphqlPost, KijiProcess, startKiji } from '../support/kiji-process';
import { redisServerAvailable, startThrowawayRedis, ThrowawayRedis } from '../support/throwaway-redis';

/*
 * Redis stopped under a running Kiji (a Redis of the test's own): reads keep being answered from
 * the database and the in-process cache, readiness says `degraded`, the outage and the recovery
 * are logged once each, and Kiji uses Redis again once it is back.
 */

const FEED = '{ posts(first: 3) { edges { node { title url } } } }';
describeEachDatabaseIf(redisServerAvailable(), 'Redis going away and coming back', (kind) => {
  let redis: ThrowawayRedis;
  let database: TestDatabase;
  let kiji: KijiProcess;

  beforeAll(async () => {
    redis = await startThrowawayRedis();
    database = await createTestDatabase(kind);
    const url = databaseUrlOf(database);
    kiji = await startKiji('start', { DATABASE_URL: url, REDIS_URL: redis.url, KIJI_RESPONSE_CACHE: 'redis', KIJI_CACHE_NAMESPACE: 'kiji-fault' });
  });
  afterAll(async () => {
    await kiji?.kill();
    await redis?.stop();
    await database?.drop();
  });

  it('answers reads while Redis is down, says degraded, logs once, and recovers', async () => {
    const before = await graphqlPost<{ posts: { edges: unknown[] } }>(kiji.graphql, FEED);
    expect(before.status).toBe(200);
    expect(before.body.data?.posts.edges).toHaveLength(3);
    expect((await getJson(`${kiji.base}/health/ready`)).body).toMatchObject({ status: 'ok', checks: { redis: 'ok' } });

    await redis.stop();
    for (let i = 0; i < 5; i++) {
      const during = await graphqlPost(kiji.graphql, FEED);
      expect(during.status).toBe(200);
      expect(during.type).toMatch(/application\/json/);
      expect(during.body).toEqual(before.body);
      // Generous bound that catches ioredis's default of waiting and retrying.
      expect(during.ms).toBeLessThan(1000);
    }
    // The in-process fallback caches while Redis is away.
    expect((await graphqlPost(kiji.graphql, FEED)).cache).toBe('hit');
    const ready = await getJson(`${kiji.base}/health/ready`);
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'degraded', checks: { database: 'ok', migrations: 'ok', redis: 'unavailable', draining: false } });

    await redis.start();
    expect(await eventually(async () => (await getJson(`${kiji.base}/health/ready`)).body.status === 'ok', 10_000)).toBe(true);
    // Answers are shared through Redis again.
    const other = '{ tags(first: 2) { edges { node { name } } } }';
    expect((await graphqlPost(kiji.graphql, other)).cache).toBe('miss');
    const client = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 0 });
    try {
      await client.connect();
      expect(await eventually(async () => (await client.keys('kiji-fault:*response*')).length > 0, 5000)).toBe(true);
    } finally {
      client.disconnect();
    }

    const log = kiji.output();
    // One connection serves the cache and the rate limits: one line for the outage, one for the recovery.
    expect(log.match(/"level":"warn".*"msg":"redis unavailable/g)).toHaveLength(1);
    expect(log.match(/"msg":"redis available again/g)).toHaveLength(1);
    expect(log).not.toMatch(/MaxRetriesPerRequest|Unhandled error event/);
  });
});
