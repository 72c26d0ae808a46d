import http from 'node:http';
import zlib from 'node:zlib';
import { getIntrospectionQuery } from 'graphql';
import { CORS_EXPOSED_HEADERS } from '../../src/http/cors';
import { describeEachDatabase } from '../support/databases';
import { SAMPLE_CONTENT_DIR } from '../../src/paths';
import { startTestServer, TestServer } from '../support/server';
import { FULL_INTROSPECTION } from '../support/clients';

/*
 * What browsers and the usual clients notice of the endpoint's HTTP: CORS, compression of fresh
 * and cached answers, Vary, nosniff, batches, introspection in full. Raw node:http for the
 * compressed cases: fetch would decode the body and hide the encoding.
 */

const FEED = '{ posts(first: 20) { edges { node { slug title bodyHtml } } } }';
const ORIGIN = 'https://app.example.com';

type EndpointSettings = NonNullable<Parameters<typeof startTestServer>[1]>['endpoint'];

interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

function rawPost(url: string, body: unknown, headers: Record<string, string> = {}): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
    });
    request.on('error', reject);
    request.end(JSON.stringify(body));
  });
}

function decoded(answer: RawAnswer): string {
  const encoding = answer.headers['content-encoding'];
  if (encoding === 'br') return zlib.brotliDecompressSync(answer.body).toString();
  if (encoding === 'gzip') return zlib.gunzipSync(answer.body).toString();
  return answer.body.toString();
}

describeEachDatabase('HTTP for browsers and clients', (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind);
    await server.importPaths([SAMPLE_CONTENT_DIR]);
  });
  afterAll(() => server?.stop());

  describe('CORS (default: any origin)', () => {
    it('answers a preflight with 204, the methods, headers and max-age a client needs', async () => {
      const response = await fetch(server.url, {
        method: 'OPTIONS',
        headers: { origin: ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, authorization' },
      });
      expect(response.status).toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
      expect(response.headers.get('access-control-allow-methods')).toBe('GET,POST');
      const allowed = response.headers.get('access-control-allow-headers')?.split(',') ?? [];
      expect(allowed).toEqual(expect.arrayContaining(['content-type', 'authorization', 'apollo-require-preflight', 'x-apollo-operation-name', 'if-none-match']));
      expect(Number(response.headers.get('access-control-max-age'))).toBeGreaterThan(0);
    });

    it('lets a page read answers and the caching and tracing headers', async () => {
      const response = await fetch(server.url, { method: 'POST', headers: { origin: ORIGIN, 'content-type': 'application/json' }, body: JSON.stringify({ query: FEED }) });
      expect(response.status).toBe(200);
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
      expect(response.headers.get('access-control-expose-headers')?.split(',')).toEqual(expect.arrayContaining(['etag', 'age', 'x-kiji-cache', 'x-request-id']));
      expect(response.headers.get('access-control-expose-headers')?.split(',')).toEqual(CORS_EXPOSED_HEADERS);
    });
  });

  describe('headers on every answer', () => {
    it('says what answers vary by, and that they are not to be sniffed, fresh or cached', async () => {
      for (let i = 0; i < 2; i += 1) {
        const response = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: `${FEED} # vary` }) });
        expect(response.headers.get('x-kiji-cache')).toBe(i === 0 ? 'miss' : 'hit');
        expect(response.headers.get('vary')?.split(/,\s*/)).toEqual(expect.arrayContaining(['Accept', 'Accept-Encoding', 'Authorization']));
        expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      }
      const refused = await fetch(`${server.url}/nowhere`);
      expect(refused.headers.get('x-content-type-options')).toBe('nosniff');
    });
  });

  describe('compression', () => {
    for (const encoding of ['br', 'gzip'] as const) {
      it(`sends ${encoding} to a client that accepts it, for a fresh answer and for a cached one`, async () => {
        const query = `${FEED} # ${encoding}`;
        const plain = await rawPost(server.url, { query });
        expect(plain.headers['content-encoding']).toBeUndefined();
        const fresh = await rawPost(server.url, { query: `${query} fresh` }, { 'accept-encoding': encoding });
        const first = await rawPost(server.url, { query }, { 'accept-encoding': encoding });
        const second = await rawPost(server.url, { query }, { 'accept-encoding': encoding });
        expect(fresh.headers['x-kiji-cache']).toBe('miss');
        expect([first.headers['x-kiji-cache'], second.headers['x-kiji-cache']]).toEqual(['hit', 'hit']);
        for (const answer of [fresh, first, second]) {
          expect(answer.headers['content-encoding']).toBe(encoding);
          expect(answer.body.length).toBeLessThan(plain.body.length / 2);
          expect(JSON.parse(decoded(answer))).toEqual(JSON.parse(plain.body.toString()));
          expect(answer.headers['content-type']).toBe(plain.headers['content-type']);
        }
      });
    }

    it('prefers brotli when both are accepted, and leaves small answers alone', async () => {
      const both = await rawPost(server.url, { query: FEED }, { 'accept-encoding': 'gzip, deflate, br' });
      expect(both.headers['content-encoding']).toBe('br');
      const small = await rawPost(server.url, { query: '{ __typename }' }, { 'accept-encoding': 'gzip, br' });
      expect(small.headers['content-encoding']).toBeUndefined();
    });
  });

  describe('batches (Apollo BatchHttpLink)', () => {
    it('answers a JSON array of operations with an array of answers, each costed on its own', async () => {
      const response = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify([
          { query: '{ posts(first: 2) { edges { node { slug } } } }' },
          { query: '{ a: posts(first: 100) { edges { node { related(first: 100) { post { slug } } } } } }' },
        ]),
      });
      const answers = (await response.json()) as { data?: { posts: { edges: unknown[] } }; errors?: { extensions: { code: string } }[] }[];
      expect(answers).toHaveLength(2);
      expect(answers[0].data?.posts.edges).toHaveLength(2);
      expect(answers[1].errors?.[0].extensions.code).toBe('QUERY_TOO_COMPLEX');
    });
  });

  it('answers the full introspection query graphql-js, GraphiQL and codegen send', async () => {
    const query = FULL_INTROSPECTION;
    const response = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
    const body = (await response.json()) as { data?: { __schema: { types: { name: string }[] } }; errors?: unknown };
    expect(body.errors).toBeUndefined();
    expect(body.data?.__schema.types.map((t) => t.name)).toEqual(expect.arrayContaining(['Post', 'Query', 'PageInfo']));
  });
});

describeEachDatabase('HTTP settings for browsers and clients', (kind) => {
  let servers: TestServer[] = [];
  afterAll(() => Promise.all(servers.map((s) => s.stop())));
  const start = async (endpoint: EndpointSettings) => {
    const server = await startTestServer(kind, { endpoint });
    servers = [...servers, server];
    return server;
  };

  it('KIJI_CORS_ORIGINS with a list: names the caller that is listed, varies by Origin, and tells others nothing', async () => {
    const server = await start({ corsOrigins: [ORIGIN, 'http://localhost:3000'] });
    const allowed = await fetch(server.url, { method: 'OPTIONS', headers: { origin: ORIGIN, 'access-control-request-method': 'POST' } });
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(allowed.headers.get('vary')).toMatch(/Origin/);
    const other = await fetch(server.url, {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('KIJI_CORS_ORIGINS=off: no CORS headers; KIJI_INTROSPECTION=off: introspection refused; KIJI_MAX_BATCH=0: batches refused', async () => {
    const server = await start({ corsOrigins: null, introspection: false, maxBatch: 0 });
    const post = (body: unknown) => fetch(server.url, { method: 'POST', headers: { origin: ORIGIN, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const plain = await post({ query: '{ __typename }' });
    expect(plain.headers.get('access-control-allow-origin')).toBeNull();
    const introspection = (await (await post({ query: getIntrospectionQuery() })).json()) as { errors?: { message: string }[] };
    expect(introspection.errors?.[0].message).toMatch(/introspection/i);
    const batch = await post([{ query: '{ __typename }' }]);
    expect(batch.status).toBe(400);
    expect(((await batch.json()) as { errors: { message: string }[] }).errors[0].message).toMatch(/KIJI_MAX_BATCH/);
  });
});
