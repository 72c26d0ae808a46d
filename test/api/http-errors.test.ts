import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import express from 'express';
import { jsonErrors, notFound } from '../../src/http/errors-middleware';
import { requestFrame } from '../../src/http/request-frame';
import { createLogger } from '../../src/log';
import { describeEachDatabase } from '../support/databases';
import { LogCapture } from '../support/log-capture';
import { stringMatching } from '../support/matchers';
import { graphqlErrors, leakIn, rawRequest, RawResponse } from '../support/raw-http';
import { startTestServer, TestServer } from '../support/server';

/*
 * Every answer is GraphQL JSON: whatever a client sends (broken bodies, wrong methods and paths,
 * huge payloads), it gets `{ errors: [{ message, extensions: { code } }] }` with the right status,
 * and nothing about the server's insides, with NODE_ENV unset (Express's development mode, which
 * would show stacks) as in production.
 */

const JSON_TYPE = { 'content-type': 'application/json' };
const query = (text: string) => JSON.stringify({ query: text });

interface Case {
  name: string;
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  status: number;
  code: string;
}

const MB = 1024 * 1024;

const CASES: Case[] = [
  { name: 'JSON cut short', headers: JSON_TYPE, body: '{"query":', status: 400, code: 'BAD_REQUEST' },
  { name: 'a null body', headers: JSON_TYPE, body: 'null', status: 400, code: 'BAD_REQUEST' },
  { name: 'a string body', headers: JSON_TYPE, body: '"{ posts { totalCount } }"', status: 400, code: 'BAD_REQUEST' },
  { name: 'an empty JSON object', headers: JSON_TYPE, body: '{}', status: 400, code: 'BAD_REQUEST' },
  {
    name: 'an unknown charset',
    headers: { 'content-type': 'application/json; charset=latin-9' },
    body: query('{ __typename }'),
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
  },
  {
    name: 'an unknown content-encoding',
    headers: { ...JSON_TYPE, 'content-encoding': 'x-kiji' },
    body: query('{ __typename }'),
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
  },
  {
    name: 'gzip that is not gzip',
    headers: { ...JSON_TYPE, 'content-encoding': 'gzip' },
    body: query('{ __typename }'),
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    name: 'a 10 MB body',
    headers: JSON_TYPE,
    body: query(`{ __typename } # ${'x'.repeat(10 * MB)}`),
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
  },
  {
    name: 'a gzip bomb (3 MB inflated)',
    headers: { ...JSON_TYPE, 'content-encoding': 'gzip' },
    body: zlib.gzipSync(query(`{ __typename } # ${' '.repeat(3 * MB)}`)),
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
  },
  {
    name: 'a 1 MB document of garbage',
    headers: JSON_TYPE,
    body: query('x'.repeat(MB)),
    status: 400,
    code: 'GRAPHQL_PARSE_FAILED',
  },
  {
    name: 'a batch of more operations than KIJI_MAX_BATCH',
    headers: JSON_TYPE,
    body: JSON.stringify(Array.from({ length: 11 }, () => ({ query: '{ __typename }' }))),
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    name: 'an operationName that names no operation',
    headers: JSON_TYPE,
    body: JSON.stringify({ query: 'query A { __typename } query B { __typename }', operationName: 'C' }),
    status: 400,
    code: 'OPERATION_RESOLUTION_FAILURE',
  },
  {
    name: 'several operations and no operationName',
    headers: JSON_TYPE,
    body: query('query A { __typename } query B { __typename }'),
    status: 400,
    code: 'OPERATION_RESOLUTION_FAILURE',
  },
  { name: 'a path below /graphql', path: '/graphql/x', headers: JSON_TYPE, body: query('{ __typename }'), status: 404, code: 'NOT_FOUND' },
  { name: 'GET on a path below /graphql', method: 'GET', path: '/graphql/a/b?query=%7B__typename%7D', status: 404, code: 'NOT_FOUND' },
  { name: 'an unknown path', method: 'GET', path: '/wp-admin/setup.php', status: 404, code: 'NOT_FOUND' },
  { name: 'GET without a query', method: 'GET', headers: { 'apollo-require-preflight': '1' }, status: 400, code: 'BAD_REQUEST' },
  { name: 'PUT', method: 'PUT', headers: JSON_TYPE, body: query('{ __typename }'), status: 405, code: 'METHOD_NOT_ALLOWED' },
  { name: 'DELETE', method: 'DELETE', status: 405, code: 'METHOD_NOT_ALLOWED' },
  { name: 'PATCH without a content type', method: 'PATCH', body: 'x', status: 405, code: 'METHOD_NOT_ALLOWED' },
  { name: 'a form post (CSRF)', headers: { 'content-type': 'text/plain' }, body: query('{ __typename }'), status: 400, code: 'BAD_REQUEST' },
  { name: 'XML', headers: { 'content-type': 'application/xml', 'apollo-require-preflight': '1' }, body: '<q/>', status: 400, code: 'BAD_REQUEST' },
];

function expectGraphqlError(response: RawResponse, status: number, code: string): Record<string, unknown> {
  expect({ status: response.status, leak: leakIn(response.text) }).toEqual({ status, leak: undefined });
  const [error] = graphqlErrors(response);
  expect(error.extensions.code).toBe(code);
  expect(typeof error.message).toBe('string');
  expect(response.headers['x-request-id']).toBeTruthy();
  return error.extensions;
}

describeEachDatabase('HTTP errors', (kind) => {
  describe.each([
    ['NODE_ENV unset', undefined],
    ['NODE_ENV=production', 'production'],
  ])('%s', (_label, nodeEnv) => {
    let server: TestServer;
    const logs = new LogCapture();
    beforeAll(async () => {
      // Express takes its mode (stack traces in error pages or not) from NODE_ENV when the app is made.
      const saved = process.env.NODE_ENV;
      if (nodeEnv === undefined) delete process.env.NODE_ENV;
      else process.env.NODE_ENV = nodeEnv;
      try {
        server = await startTestServer(kind, { logDestination: logs });
      } finally {
        process.env.NODE_ENV = saved;
      }
    });
    afterAll(() => server?.stop());

    it.each(CASES)('answers $name with $status $code', async (c) => {
      const response = await rawRequest(server.url, { method: c.method, path: c.path, headers: c.headers, body: c.body });
      expectGraphqlError(response, c.status, c.code);
      if (c.status === 405) expect(response.headers.allow).toBe('GET, POST');
    });

    it('still answers a well-formed request', async () => {
      const response = await rawRequest(server.url, { headers: JSON_TYPE, body: query('{ posts(first: 1) { totalCount } }') });
      expect(response.status).toBe(200);
      expect(JSON.parse(response.text)).toEqual({ data: { posts: { totalCount: 0 } } });
    });

    it('keeps a plain x-request-id and replaces anything else', async () => {
      const kept = await rawRequest(server.url, { headers: { ...JSON_TYPE, 'x-request-id': 'edge-7f3a.b_9:1' }, body: '{' });
      expect(kept.headers['x-request-id']).toBe('edge-7f3a.b_9:1');
      for (const sent of ['a'.repeat(129), 'two words', '<script>', '"quoted"']) {
        const replaced = await rawRequest(server.url, { headers: { ...JSON_TYPE, 'x-request-id': sent }, body: '{' });
        expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      }
    });

    /** Renames a table for the duration of `work`: every statement on it fails, as in a broken database. */
    async function withTableGone<T>(table: string, work: () => Promise<T>): Promise<T> {
      await server.dataSource.query(`ALTER TABLE ${table} RENAME TO ${table}_gone`);
      try {
        return await work();
      } finally {
        await server.dataSource.query(`ALTER TABLE ${table}_gone RENAME TO ${table}`);
      }
    }

    function expectInternalError(response: RawResponse, detail: RegExp): void {
      const extensions = expectGraphqlError(response, 500, 'INTERNAL_SERVER_ERROR');
      const requestId = response.headers['x-request-id'] as string;
      expect(extensions.requestId).toBe(requestId);
      // The details, stack included, are in the log under the same id, and only there.
      const logged = logs.forRequest(requestId).find((line) => line.msg === 'internal error');
      expect(JSON.stringify(logged)).toMatch(detail);
      expect((logged?.err as { stack?: string })?.stack).toMatch(/\n\s+at /);
    }

    it('answers a failure while authenticating with a JSON 500 and a request id', async () => {
      const { secret } = await server.services.keys.create('reader', `http-errors-${nodeEnv ?? 'dev'}`);
      const response = await withTableGone('api_keys', () =>
        rawRequest(server.url, {
          headers: { ...JSON_TYPE, authorization: `Bearer ${secret}` },
          body: query('{ posts(first: 1) { totalCount } }'),
        }),
      );
      expectInternalError(response, /api_keys/);
    });
  });
});

/*
 * A failure in any middleware (the request path's own, or one added later) reaches the app's error
 * handler. Nothing in Kiji is known to fail there today (dependencies degrade instead), so the
 * handler is tried on an app of its own, made of the same request log and error handler, over HTTP.
 */
describe('the error handler', () => {
  const logs = new LogCapture();
  let httpServer: http.Server;
  let url: string;
  beforeAll(async () => {
    const app = express();
    app.use(requestFrame({ logger: createLogger('info', logs), slowMs: 60_000 }));
    app.get('/sync', () => {
      throw new Error('SELECT * FROM api_keys failed at /work/main/src/x.ts:1 (127.0.0.1:5432)');
    });
    app.get('/async', async () => {
      await Promise.resolve();
      throw new Error('connect ECONNREFUSED 127.0.0.1:6379');
    });
    app.use(notFound);
    app.use(jsonErrors);
    httpServer = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => httpServer.once('listening', resolve));
    url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise((resolve) => httpServer.close(resolve)));

  it.each(['/sync', '/async'])('answers an error thrown in %s with a JSON 500, the details only in the log', async (path) => {
    const response = await rawRequest(url, { method: 'GET', path });
    const extensions = expectGraphqlError(response, 500, 'INTERNAL_SERVER_ERROR');
    const requestId = response.headers['x-request-id'] as string;
    expect(extensions.requestId).toBe(requestId);
    const lines = logs.forRequest(requestId);
    expect(lines.find((line) => line.msg === 'internal error')?.err).toMatchObject({ message: stringMatching(/127\.0\.0\.1/) });
    expect(await logs.requestLine(requestId)).toMatchObject({ level: 'error', status: 500, errorCodes: ['INTERNAL_SERVER_ERROR'] });
  });
});
