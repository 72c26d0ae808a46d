import fs from 'node:fs';
import { print } from 'graphql';
import { FeedDocument } from '../generated/graphql';
import { describeEachDatabase } from '../support/databases';
import { READ_FIXTURE, writeFixtureFolder } from '../support/fixtures';
import { LogCapture } from '../support/log-capture';
import { rawRequest } from '../support/raw-http';
import { startTestServer, TestServer } from '../support/server';

/*
 * What an operator sees: one JSON log line per request (id, operation, duration, status, SQL
 * statements, cache state, role, error codes), a warning for slow ones, and Prometheus metrics on
 * a listener of their own.
 */

const FEED = print(FeedDocument);

describeEachDatabase('observability', (kind) => {
  let server: TestServer;
  let slow: TestServer;
  const logs = new LogCapture();
  const slowLogs = new LogCapture();
  let editorKey: string;
  let dir: string;

  beforeAll(async () => {
    server = await startTestServer(kind, {
      logDestination: logs,
      observability: { metricsPort: 0, metricsHost: '127.0.0.1', slowMs: 60_000, sqlTally: true },
    });
    dir = writeFixtureFolder(READ_FIXTURE);
    await server.importPaths([dir]);
    editorKey = (await server.services.keys.create('editor', 'observability')).secret;
    // Same database, but every request counts as slow.
    slow = await startTestServer(kind, {
      shareDatabaseWith: server,
      logDestination: slowLogs,
      observability: { metricsPort: null, metricsHost: '127.0.0.1', slowMs: 0, sqlTally: true },
    });
  });
  afterAll(async () => {
    await slow?.stop();
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function post(target: TestServer, requestId: string, body: unknown, headers: Record<string, string> = {}) {
    return rawRequest(target.url, {
      headers: { 'content-type': 'application/json', 'x-request-id': requestId, ...headers },
      body: JSON.stringify(body),
    });
  }

  it('logs one line per request with what the request cost', async () => {
    const id = `${kind}-feed-1`;
    const response = await post(server, id, { query: FEED, operationName: 'Feed', variables: { first: 3 } });
    expect(response.status).toBe(200);
    const line = await logs.requestLine(id);
    expect(line).toMatchObject({
      level: 'info',
      msg: 'request',
      requestId: id,
      method: 'POST',
      path: '/graphql',
      status: 200,
      operation: 'Feed',
      role: 'anonymous',
      cache: 'miss',
      sqlStatements: Number(response.headers['x-kiji-sql-statements']),
    });
    expect(line.sqlStatements).toBeGreaterThan(0);
    expect(typeof line.durationMs).toBe('number');
    expect(line.errorCodes).toBeUndefined();
    expect(logs.forRequest(id)).toHaveLength(1);
  });

  it('counts no statements where KIJI_SQL_TALLY is off, and logs the rest of the line as before', async () => {
    const quiet = new LogCapture();
    const untallied = await startTestServer(kind, {
      shareDatabaseWith: server,
      logDestination: quiet,
      observability: { metricsPort: null, metricsHost: '127.0.0.1', slowMs: 60_000, sqlTally: false },
    });
    try {
      const id = `${kind}-untallied-1`;
      const response = await post(untallied, id, { query: FEED, operationName: 'Feed', variables: { first: 3 } });
      expect(response.status).toBe(200);
      expect(response.headers['x-kiji-sql-statements']).toBeUndefined();
      const line = await quiet.requestLine(id);
      expect(line).toMatchObject({ status: 200, operation: 'Feed', role: 'anonymous', cache: 'miss' });
      expect(line).not.toHaveProperty('sqlStatements');
      const broken = `${kind}-untallied-2`;
      await post(untallied, broken, { query: 'query Broken { posts(first: 1) { nope } }' }, { authorization: `Bearer ${editorKey}` });
      expect(await quiet.requestLine(broken)).toMatchObject({ status: 400, role: 'editor', errorCodes: ['GRAPHQL_VALIDATION_FAILED'] });
    } finally {
      await untallied.stop();
    }
  });

  it('logs the code of a refusal Apollo words itself (406 for an Accept it cannot answer)', async () => {
    const id = `${kind}-406`;
    const response = await rawRequest(server.url, {
      headers: { 'content-type': 'application/json', 'x-request-id': id, accept: 'text/plain' },
      body: JSON.stringify({ query: '{ posts(first: 1) { totalCount } }' }),
    });
    expect(response.status).toBe(406);
    expect(await logs.requestLine(id)).toMatchObject({ status: 406, errorCodes: ['BAD_REQUEST'] });
  });

  it('answers a read whose cache lifetime cannot be worked out with no-store, and logs why under its id', async () => {
    const uncached = new LogCapture();
    const plain = await startTestServer(kind, { shareDatabaseWith: server, logDestination: uncached, responseCache: 'off' });
    // The content state (read for the answer's max-age) fails as a database that just went away would.
    const state = plain.services.contentState as unknown as Record<'read' | 'readRecent', () => Promise<never>>;
    const fail = () => Promise.reject(new Error('content_state unreadable'));
    state.read = fail;
    state.readRecent = fail;
    try {
      const id = `${kind}-state-gone`;
      const response = await post(plain, id, { query: '{ posts(first: 1) { totalCount } }' });
      expect(response.status).toBe(200);
      expect(response.headers['cache-control']).toBe('no-store');
      expect(uncached.forRequest(id).find((line) => line.msg === 'content state unreadable: answer sent with no-store')?.err).toMatchObject({
        message: 'content_state unreadable',
      });
    } finally {
      await plain.stop();
    }
  });

  it('logs a response-cache hit as such', async () => {
    await post(server, `${kind}-feed-2a`, { query: FEED, operationName: 'Feed', variables: { first: 2 } });
    const id = `${kind}-feed-2b`;
    const response = await post(server, id, { query: FEED, operationName: 'Feed', variables: { first: 2 } });
    expect(response.headers['x-kiji-cache']).toBe('hit');
    expect(await logs.requestLine(id)).toMatchObject({ status: 200, cache: 'hit', operation: 'Feed', role: 'anonymous' });
  });

  it("logs the viewer's role and the error codes of the answer", async () => {
    const id = `${kind}-editor-1`;
    await post(server, id, { query: 'query Broken { posts(first: 1) { nope } }' }, { authorization: `Bearer ${editorKey}` });
    expect(await logs.requestLine(id)).toMatchObject({
      status: 400,
      role: 'editor',
      errorCodes: ['GRAPHQL_VALIDATION_FAILED'],
    });
    const refused = `${kind}-bad-json`;
    await rawRequest(server.url, { headers: { 'content-type': 'application/json', 'x-request-id': refused }, body: '{' });
    expect(await logs.requestLine(refused)).toMatchObject({ status: 400, errorCodes: ['BAD_REQUEST'] });
  });

  it('logs slow requests as warnings with the threshold', async () => {
    const id = `${kind}-slow-1`;
    await post(slow, id, { query: '{ posts(first: 1) { totalCount } }' });
    expect(await slowLogs.requestLine(id)).toMatchObject({ level: 'warn', msg: 'slow request', slowMs: 0, status: 200, operation: '(anonymous)' });
  });

  it('writes nothing about the request into its line that a client chose freely', async () => {
    const id = `${kind}-secret`;
    await post(server, id, { query: '{ posts(first: 1) { totalCount } }', variables: { password: 'hunter2' } }, { authorization: 'Bearer not-a-key' });
    const lines = logs.forRequest(id);
    expect(lines.length).toBeGreaterThan(0);
    expect(JSON.stringify(lines)).not.toMatch(/hunter2|not-a-key/);
  });

  describe('metrics', () => {
    let text: string;
    const sample = (pattern: RegExp): number => Number(pattern.exec(text)?.[1] ?? NaN);

    beforeAll(async () => {
      for (let i = 0; i < 3; i++) await post(server, `${kind}-m-${i}`, { query: FEED, operationName: 'Feed', variables: { first: 4 } });
      // More distinct operation names than the metrics keep: the rest are counted as (other).
      for (let i = 0; i < 110; i++) await post(server, `${kind}-op-${i}`, { query: `query Op${i} { __typename }` });
      text = await (await fetch(server.metricsUrl!)).text();
    });

    it('serves /metrics on its own listener, not on the public port', async () => {
      expect(server.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
      const publicMetrics = await rawRequest(server.url, { method: 'GET', path: '/metrics' });
      expect(publicMetrics.status).toBe(404);
    });

    it('has request durations by operation and outcome', () => {
      expect(sample(/^kiji_graphql_request_duration_seconds_count\{operation="Feed",outcome="ok"\} (\d+)/m)).toBeGreaterThanOrEqual(3);
      expect(sample(/^kiji_graphql_request_duration_seconds_count\{operation="\(none\)",outcome="client_error"\} (\d+)/m)).toBeGreaterThanOrEqual(1);
    });

    it('keeps the operation label bounded', () => {
      const operations = new Set([...text.matchAll(/^kiji_graphql_request_duration_seconds_count\{operation="([^"]*)"/gm)].map((m) => m[1]));
      expect(operations.size).toBeLessThanOrEqual(101 + 3);
      expect(operations.has('(other)')).toBe(true);
    });

    it('has cache hits and misses, SQL statements, the pool and the refusal counters', () => {
      expect(sample(/^kiji_response_cache_lookups_total\{result="hit"\} (\d+)/m)).toBeGreaterThanOrEqual(2);
      expect(sample(/^kiji_response_cache_lookups_total\{result="miss"\} (\d+)/m)).toBeGreaterThanOrEqual(1);
      expect(sample(/^kiji_sql_statements_per_request_count (\d+)/m)).toBeGreaterThanOrEqual(3);
      expect(sample(/^kiji_sql_statements_per_request_sum (\d+)/m)).toBeGreaterThan(0);
      expect(sample(/^kiji_db_pool_in_use (\d+)/m)).toBeGreaterThanOrEqual(0);
      expect(sample(/^kiji_db_pool_waiting (\d+)/m)).toBe(0);
      expect(sample(/^kiji_rate_limited_total (\d+)/m)).toBeGreaterThanOrEqual(0);
      expect(sample(/^kiji_rejected_by_cost_total (\d+)/m)).toBeGreaterThanOrEqual(0);
      expect(sample(/^kiji_http_responses_total\{status="200"\} (\d+)/m)).toBeGreaterThanOrEqual(3);
    });

    it('counts pooled connections in use (PostgreSQL; SQLite has no pool)', async () => {
      const runner = server.dataSource.createQueryRunner();
      await runner.connect();
      try {
        const during = await (await fetch(server.metricsUrl!)).text();
        const inUse = Number(/^kiji_db_pool_in_use (\d+)/m.exec(during)?.[1]);
        if (kind === 'postgres') expect(inUse).toBeGreaterThanOrEqual(1);
        else expect(inUse).toBe(0);
      } finally {
        await runner.release();
      }
    });

    it('has the event-loop delay and process metrics', () => {
      expect(text).toMatch(/^nodejs_eventloop_lag_p99_seconds \d/m);
      expect(text).toMatch(/^process_resident_memory_bytes \d/m);
    });
  });
});
