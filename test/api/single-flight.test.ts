import crypto from 'node:crypto';
import { DEFAULT_TIMEOUTS } from '../../src/config';
import { badInput } from '../../src/services/shared';
import { describeEachDatabaseIf, testRedisUrl } from '../support/databases';
import { eventually } from '../support/kiji-process';
import { startTestServer, TestServer } from '../support/server';
import { redisServerAvailable, startThrowawayRedis, ThrowawayRedis } from '../support/throwaway-redis';

/*
 * Identical anonymous reads that miss the response cache together make their answer once
 * (src/http/single-flight.ts): within one instance, and across instances sharing one Redis.
 *
 * The operation is `redirect(path:)`, whose one service call (RedirectReader.find) the test wraps
 * to count how often the operation really ran and to hold it until every other request is
 * waiting for it (the `kiji_response_cache_waiting` gauge on /metrics), so that the requests are
 * concurrent misses for sure, whatever the machine's speed.
 */

const METRICS = { metricsPort: 0, metricsHost: '127.0.0.1', slowMs: 60_000, sqlTally: true };
const REQUESTS = 6;

interface Answer {
  status: number;
  cache: string | null;
  etag: string | null;
  sql: number;
  text: string;
}

/** The operation's runs, held until `release()`; `fail` makes the first run answer with an error. */
class HeldOperation {
  runs = 0;
  private open!: () => void;
  private readonly gate = new Promise<void>((resolve) => (this.open = resolve));

  constructor(
    servers: TestServer[],
    private readonly fail = false,
  ) {
    for (const server of servers) {
      const redirects = server.services.redirects;
      const find = redirects.find.bind(redirects);
      redirects.find = async (inputs) => {
        this.runs += 1;
        const first = this.runs === 1;
        await this.gate;
        if (first && this.fail) throw badInput('held operation failed on purpose');
        return find(inputs);
      };
    }
  }

  release(): void {
    this.open();
  }
}

async function ask(server: TestServer, path: string): Promise<Answer> {
  const response = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: `{ redirect(path: ${JSON.stringify(path)}) { location } }` }),
  });
  return {
    status: response.status,
    cache: response.headers.get('x-kiji-cache'),
    etag: response.headers.get('etag'),
    sql: Number(response.headers.get('x-kiji-sql-statements')),
    text: await response.text(),
  };
}

function errorCode(answer: Answer): string | undefined {
  return (JSON.parse(answer.text) as { errors?: { extensions: { code: string } }[] }).errors?.[0].extensions.code;
}

/** How many requests wait for another's answer, as /metrics says (all servers of this process). */
async function waiting(server: TestServer): Promise<number> {
  const text = await (await fetch(server.metricsUrl!)).text();
  return Number(/^kiji_response_cache_waiting (\d+)/m.exec(text)?.[1] ?? -1);
}

/**
 * Sends REQUESTS identical requests for a fresh key, spread over `servers`, holds the operation
 * until all but one wait, then lets it go; the answers, in the order sent.
 */
async function concurrentMisses(servers: TestServer[], held: HeldOperation, waiters = REQUESTS - 1): Promise<Answer[]> {
  const path = `/single-flight/${crypto.randomBytes(6).toString('hex')}/`;
  const answers = Promise.all(Array.from({ length: REQUESTS }, (_, i) => ask(servers[i % servers.length], path)));
  const allWaiting = await eventually(async () => (await waiting(servers[0])) === waiters, 10_000);
  held.release();
  expect(allWaiting).toBe(true);
  return answers;
}

function tally(answers: Answer[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { cache } of answers) counts[String(cache)] = (counts[String(cache)] ?? 0) + 1;
  return counts;
}

describeEachDatabaseIf(true, 'single-flight (memory store)', (kind) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(kind, { responseCache: 'memory', observability: METRICS });
  });
  afterAll(() => server?.stop());

  it('runs concurrent identical misses once and serves every request the same answer', async () => {
    const held = new HeldOperation([server]);
    const answers = await concurrentMisses([server], held);
    expect(held.runs).toBe(1);
    expect(tally(answers)).toEqual({ miss: 1, coalesced: REQUESTS - 1 });
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.text)).toEqual({ data: { redirect: null } });
      expect(answer.text).toBe(answers[0].text);
      expect(answer.etag).toBe(answers[0].etag);
    }
    // The followers ran no SQL but the freshness check.
    for (const answer of answers.filter((a) => a.cache === 'coalesced')) expect(answer.sql).toBeLessThanOrEqual(1);
  });

  it('does not share an error: the waiting requests run their own', async () => {
    const held = new HeldOperation([server], true);
    const answers = await concurrentMisses([server], held);
    const failed = answers.filter((a) => a.text.includes('"errors"'));
    expect(failed).toHaveLength(1);
    expect(errorCode(failed[0])).toBe('BAD_USER_INPUT');
    // Every other request ran the operation itself and got its answer.
    expect(held.runs).toBe(REQUESTS);
    for (const answer of answers.filter((a) => a !== failed[0])) {
      expect(answer.status).toBe(200);
      expect(answer.cache).toBe('miss');
      expect(JSON.parse(answer.text)).toEqual({ data: { redirect: null } });
    }
  });
});

describeEachDatabaseIf(true, 'single-flight when the leader runs out of time', (kind) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(kind, { responseCache: 'memory', observability: METRICS, timeouts: { ...DEFAULT_TIMEOUTS, requestMs: 3000 } });
  });
  afterAll(() => server?.stop());

  it('gives the waiting requests their own run, not its TIMEOUT', async () => {
    const held = new HeldOperation([server]);
    const path = `/single-flight/${crypto.randomBytes(6).toString('hex')}/`;
    const asked = Array.from({ length: REQUESTS }, () => ask(server, path));
    const arrived: Awaited<(typeof asked)[number]>[] = [];
    for (const answer of asked) void answer.then((a) => arrived.push(a));
    const answers = Promise.all(asked);
    expect(await eventually(async () => (await waiting(server)) === REQUESTS - 1, 10_000)).toBe(true);
    // The followers wait half the request timeout (1.5 s), then each runs the operation itself;
    // all stay held until the leader's own deadline (3 s) has answered it, within the followers' (4.5 s).
    expect(await eventually(async () => held.runs === REQUESTS, 10_000)).toBe(true);
    expect(await eventually(async () => arrived.some((a) => a.status === 503), 10_000)).toBe(true);
    held.release();
    const all = await answers;
    const timedOut = all.filter((a) => a.status === 503);
    expect(timedOut).toHaveLength(1);
    expect(errorCode(timedOut[0])).toBe('TIMEOUT');
    for (const answer of all.filter((a) => a !== timedOut[0])) {
      expect(answer.status).toBe(200);
      expect(answer.cache).toBe('miss');
      expect(JSON.parse(answer.text)).toEqual({ data: { redirect: null } });
    }
  });
});

const redisUrl = testRedisUrl();
describeEachDatabaseIf(redisUrl !== null, 'single-flight across two instances sharing Redis', (kind) => {
  let first: TestServer;
  let second: TestServer;

  beforeAll(async () => {
    const cacheNamespace = `kiji-test-${crypto.randomBytes(6).toString('hex')}`;
    first = await startTestServer(kind, { responseCache: 'redis', redisUrl: redisUrl!, cacheNamespace, observability: METRICS });
    second = await startTestServer(kind, { responseCache: 'redis', redisUrl: redisUrl!, cacheNamespace, observability: METRICS, shareDatabaseWith: first });
    // Connections to Redis are made in the background: both instances are to use it from the first request.
    for (const server of [first, second]) {
      const ready = server.url.replace(/\/graphql$/, '/health/ready');
      expect(await eventually(async () => ((await (await fetch(ready)).json()) as { checks: { redis: string } }).checks.redis === 'ok', 5000)).toBe(true);
    }
  });
  afterAll(async () => {
    await second?.stop();
    await first?.stop();
  });

  it('runs a concurrent miss once for both instances', async () => {
    const held = new HeldOperation([first, second]);
    const answers = await concurrentMisses([first, second], held);
    expect(held.runs).toBe(1);
    expect(tally(answers)).toEqual({ miss: 1, coalesced: REQUESTS - 1 });
    for (const answer of answers) {
      expect(answer.text).toBe(answers[0].text);
      expect(answer.etag).toBe(answers[0].etag);
    }
  });
});

describeEachDatabaseIf(redisServerAvailable(), 'single-flight with its Redis down', (kind) => {
  let redis: ThrowawayRedis;
  let server: TestServer;

  beforeAll(async () => {
    redis = await startThrowawayRedis();
    server = await startTestServer(kind, { responseCache: 'redis', redisUrl: redis.url, observability: METRICS });
  });
  afterAll(async () => {
    await server?.stop();
    await redis?.stop();
  });

  it('still answers, and still runs concurrent misses once within the instance', async () => {
    await redis.stop();
    const held = new HeldOperation([server]);
    const answers = await concurrentMisses([server], held);
    expect(held.runs).toBe(1);
    expect(tally(answers)).toEqual({ miss: 1, coalesced: REQUESTS - 1 });
    for (const answer of answers) expect(JSON.parse(answer.text)).toEqual({ data: { redirect: null } });
  });
});
