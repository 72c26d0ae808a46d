import http from 'node:http';
import { DEFAULT_LIMITS, Limits } from '../../src/config';
import { metrics } from '../../src/http/metrics';
import { describeEachDatabase } from '../support/databases';
import { startTestServer, TestServer } from '../support/server';
import { redisServerAvailable, startThrowawayRedis, ThrowawayRedis } from '../support/throwaway-redis';

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: { data?: unknown; errors?: { message: string; extensions: Record<string, unknown> }[] };
}

/** Costs 1 + 20 = 21: a page of 20 posts' titles. */
const PAGE = '{ posts(first: 20) { edges { node { title } } } }';
const PAGE_COST = 21;

/** A budget of 100 per minute: four pages pass (84), the fifth does not. */
const LIMITS: Limits = {
  ...DEFAULT_LIMITS,
  cost: { anonymous: 100, reader: 100, editor: 100 },
  budget: { anonymous: 100, reader: 100, editor: 1000 },
  windowSeconds: 60,
};

/** POST /graphql over node:http, so that the source address (any of 127.0.0.0/8) can be chosen. */
function send(url: string, query: string, options: { from?: string; key?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
  const body = JSON.stringify({ query });
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        method: 'POST',
        localAddress: options.from ?? '127.0.0.1',
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          ...(options.key ? { authorization: `Bearer ${options.key}` } : {}),
          ...options.headers,
        },
        timeout: 10_000,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body: JSON.parse(Buffer.concat(chunks).toString()) as Answer['body'] }));
      },
    );
    request.on('timeout', () => request.destroy(new Error('no answer within 10 s')));
    request.on('error', reject);
    request.end(body);
  });
}

/** Spends a client's whole budget: four pages answered, the fifth refused. */
async function exhaust(url: string, options: Parameters<typeof send>[2] = {}): Promise<Answer> {
  const remaining: string[] = [];
  for (let i = 0; i < 4; i++) {
    const answer = await send(url, PAGE, options);
    expect(answer.status).toBe(200);
    remaining.push(String(answer.headers['x-ratelimit-remaining']));
  }
  expect(remaining).toEqual(['79', '58', '37', '16']);
  return send(url, PAGE, options);
}

function expectRateLimited(answer: Answer): void {
  expect(answer.status).toBe(429);
  const error = answer.body.errors![0];
  expect(error.extensions).toMatchObject({ code: 'RATE_LIMITED', cost: PAGE_COST, limit: 100, remaining: 0 });
  const retryAfter = error.extensions.retryAfter as number;
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
  expect(answer.headers['retry-after']).toBe(String(retryAfter));
  expect(answer.headers['x-ratelimit-remaining']).toBe('0');
  expect(answer.body.data).toBeUndefined();
}

describeEachDatabase('rate limits by cost', (kind) => {
  let server: TestServer;
  let behindProxy: TestServer;
  beforeAll(async () => {
    // No response cache: its hits are free, and these tests repeat one query.
    server = await startTestServer(kind, { responseCache: 'off', limits: LIMITS });
    await server.importPaths(['content/sample']);
    behindProxy = await startTestServer(kind, { responseCache: 'off', limits: { ...LIMITS, trustProxy: ['loopback'] }, shareDatabaseWith: server });
  });
  afterAll(async () => {
    await behindProxy?.stop();
    await server?.stop();
  });

  it('refuses an address over its budget with RATE_LIMITED and retryAfter; other addresses keep theirs', async () => {
    const counted = async () => (await metrics.rateLimited.get()).values[0]?.value ?? 0;
    const before = await counted();
    const refused = await exhaust(server.url, { from: '127.0.0.2' });
    expectRateLimited(refused);
    expect(await counted()).toBe(before + 1);
    expect(refused.headers['x-ratelimit-limit']).toBe('100');
    const other = await send(server.url, PAGE, { from: '127.0.0.3' });
    expect(other.status).toBe(200);
    expect(other.headers['x-ratelimit-remaining']).toBe('79');
  });

  it('ignores X-Forwarded-For unless told to trust the proxy that sends it', async () => {
    expectRateLimited(await exhaust(server.url, { from: '127.0.0.4' }));
    expectRateLimited(await send(server.url, PAGE, { from: '127.0.0.4', headers: { 'x-forwarded-for': '198.51.100.1' } }));
  });

  it('behind a trusted proxy, counts each forwarded client address on its own', async () => {
    expectRateLimited(await exhaust(behindProxy.url, { headers: { 'x-forwarded-for': '198.51.100.7' } }));
    const other = await send(behindProxy.url, PAGE, { headers: { 'x-forwarded-for': '198.51.100.8' } });
    expect(other.status).toBe(200);
  });

  it('counts each API key on its own, whatever address it comes from', async () => {
    const first = (await server.services.keys.create('reader', 'rate one')).secret;
    const second = (await server.services.keys.create('reader', 'rate two')).secret;
    expectRateLimited(await exhaust(server.url, { key: first, from: '127.0.0.5' }));
    expectRateLimited(await send(server.url, PAGE, { key: first, from: '127.0.0.6' }));
    expect((await send(server.url, PAGE, { key: second, from: '127.0.0.5' })).status).toBe(200);
    // The address the exhausted key came from still has its anonymous budget.
    expect((await send(server.url, PAGE, { from: '127.0.0.5' })).status).toBe(200);
  });

  it('gives editors their larger budget', async () => {
    const editor = (await server.services.keys.create('editor', 'rate editor')).secret;
    for (let i = 0; i < 6; i++) expect((await send(server.url, PAGE, { key: editor, from: '127.0.0.7' })).status).toBe(200);
    const last = await send(server.url, PAGE, { key: editor, from: '127.0.0.7' });
    expect(last.headers['x-ratelimit-limit']).toBe('1000');
    expect(last.headers['x-ratelimit-remaining']).toBe(String(1000 - 7 * PAGE_COST));
  });

  (redisServerAvailable() ? describe : describe.skip)('shared through Redis', () => {
    let redis: ThrowawayRedis;
    let first: TestServer;
    let second: TestServer;
    beforeAll(async () => {
      redis = await startThrowawayRedis();
      const shared = { responseCache: 'off', limits: LIMITS, redisUrl: redis.url, cacheNamespace: `kiji-rate-${process.pid}-${kind}`, shareDatabaseWith: server } as const;
      first = await startTestServer(kind, shared);
      second = await startTestServer(kind, shared);
    });
    afterAll(async () => {
      await redis?.stop();
      await first?.stop();
      await second?.stop();
    });

    it('counts one budget across instances, and keeps answering (counting in memory) when Redis freezes or dies', async () => {
      for (let i = 0; i < 4; i++) expect((await send(first.url, PAGE, { from: '127.0.0.8' })).status).toBe(200);
      // The other instance sees what the first one counted.
      expectRateLimited(await send(second.url, PAGE, { from: '127.0.0.8' }));

      // Frozen: the connection stays open but nothing answers. Kiji waits a moment, then counts in memory.
      redis.freeze();
      const started = performance.now();
      const whileFrozen = await send(second.url, PAGE, { from: '127.0.0.8' });
      expect(whileFrozen.status).toBe(200);
      expect(whileFrozen.headers['x-ratelimit-remaining']).toBe('79');
      expect(performance.now() - started).toBeLessThan(2000);

      await redis.stop();
      // Redis is gone: each instance counts in its own memory, from a fresh budget.
      const answers = [];
      for (let i = 0; i < 5; i++) answers.push(await send(first.url, PAGE, { from: '127.0.0.8' }));
      expect(answers.slice(0, 4).map((answer) => answer.status)).toEqual([200, 200, 200, 200]);
      expect(answers[0].headers['x-ratelimit-remaining']).toBe('79');
      expectRateLimited(answers[4]);
    });
  });
});
