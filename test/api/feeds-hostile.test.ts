import { SAMPLE_CONTENT_DIR } from '../../src/paths';
import { DEFAULT_TIMEOUTS } from '../../src/config';
import { equivalentFeedQuery } from '../../src/http/document-cost';
import { UNCACHED_DOCUMENTS_WARNING } from '../../src/http/feeds';
import { databaseKinds, describeEachDatabase } from '../support/databases';
import { LogCapture } from '../support/log-capture';
import { graphqlErrors, leakIn, rawRequest, RawResponse } from '../support/raw-http';
import { startTestServer, TEST_LIMITS, TestServer } from '../support/server';

/*
 * Feeds and the sitemap face the public internet as /graphql does (README "Partners → Feeds and
 * sitemap"): the same per-address budget, CORS, methods, deadline, and JSON errors with a code
 * and nothing internal; and a client writing random Host headers cannot fill or bust the cache.
 */

const PATHS = ['/feeds/posts.rss', '/feeds/tags/%E5%86%B7%E5%8D%B4.atom', '/feeds/authors/nobody.json', '/sitemap.xml', '/sitemaps/1.xml'];

/** The answer's error, checked to be GraphQL-shaped JSON with nothing internal in it. */
function errorOf(response: RawResponse) {
  expect(leakIn(response.text)).toBeUndefined();
  expect(response.headers['cache-control']).toBe('no-store');
  const errors = graphqlErrors(response);
  expect(errors).toHaveLength(1);
  return errors[0];
}

describeEachDatabase('feeds and sitemap facing hostile clients', (kind) => {
  let server: TestServer;
  let origin: string;
  beforeAll(async () => {
    server = await startTestServer(kind, { site: { siteUrl: 'https://example.com' } });
    await server.importPaths([SAMPLE_CONTENT_DIR]);
    origin = server.url.replace(/\/graphql$/, '');
  });
  afterAll(() => server?.stop());

  it('refuses methods other than GET and HEAD with a JSON 405 naming them, on every document path', async () => {
    for (const path of [...PATHS, '/feeds/no/such/thing']) {
      for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
        const response = await rawRequest(origin, { method, path, headers: { 'content-type': 'application/json' }, body: '{"query":"{ x }"}' });
        expect(response.status).toBe(405);
        expect(response.headers.allow).toBe('GET, HEAD');
        expect(errorOf(response).extensions.code).toBe('METHOD_NOT_ALLOWED');
      }
    }
  });

  it('answers HEAD as GET without the body, errors included', async () => {
    const get = await rawRequest(origin, { method: 'GET', path: '/feeds/posts.atom' });
    const head = await rawRequest(origin, { method: 'HEAD', path: '/feeds/posts.atom' });
    expect(head.status).toBe(200);
    expect(head.text).toBe('');
    for (const header of ['content-type', 'etag', 'cache-control', 'vary']) expect(head.headers[header]).toBe(get.headers[header]);
    for (const [path, status] of [
      ['/feeds/tags/no-such-tag.rss', 404],
      ['/feeds/posts.rss?limit=0', 400],
    ] as const) {
      const answer = await rawRequest(origin, { method: 'HEAD', path });
      expect(answer.status).toBe(status);
      expect(answer.headers['content-type']).toMatch(/^application\/json/);
      expect(answer.headers['cache-control']).toBe('no-store');
      expect(answer.text).toBe('');
    }
  });

  it('answers every refusal as JSON with a code and nothing internal', async () => {
    const cases: [string, Record<string, string>, number, string][] = [
      ['/feeds/posts.rss?limit=1000', {}, 400, 'BAD_USER_INPUT'],
      ['/feeds/posts.rss?limit=1&limit=2', {}, 400, 'BAD_USER_INPUT'],
      ['/feeds/tags/%E5%86%B7%E5%8D%B4%27%3B%20DROP%20TABLE%20posts.rss', {}, 404, 'NOT_FOUND'],
      ['/feeds/categories/%00.json', {}, 400, 'BAD_USER_INPUT'],
      ['/feeds/posts.exe', {}, 404, 'NOT_FOUND'],
      ['/sitemaps/0.xml', {}, 404, 'NOT_FOUND'],
      ['/sitemaps/99999999.xml', {}, 404, 'NOT_FOUND'],
    ];
    for (const [path, headers, status, code] of cases) {
      const response = await rawRequest(origin, { method: 'GET', path, headers });
      expect({ path, status: response.status }).toEqual({ path, status });
      expect(errorOf(response).extensions.code).toBe(code);
    }
    // PostgreSQL cannot hold U+0000 in text: refused by name before any SQL, on both databases alike.
    const nul = await rawRequest(origin, { method: 'GET', path: '/feeds/tags/a%00b.rss' });
    expect(errorOf(nul)).toEqual({ message: '`slug` must not contain the NUL character (U+0000)', extensions: { code: 'BAD_USER_INPUT', argument: 'slug' } });
  });

  it('allows any origin to read documents, as /graphql does, and varies only by encoding', async () => {
    const response = await rawRequest(origin, { method: 'GET', path: '/feeds/posts.json', headers: { origin: 'https://reader.example' } });
    expect(response.status).toBe(200);
    expect(response.headers['access-control-allow-origin']).toBe('*');
    expect(response.headers['access-control-expose-headers']).toContain('etag');
    // An Authorization header changes nothing in a document, and `Accept` is not negotiated.
    expect(response.headers.vary).toBe('Accept-Encoding');
    const preflight = await rawRequest(origin, {
      method: 'OPTIONS',
      path: '/feeds/posts.json',
      headers: { origin: 'https://reader.example', 'access-control-request-method': 'GET', 'access-control-request-headers': 'if-none-match' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-methods']).toBe('GET,HEAD');
    expect(preflight.headers['access-control-allow-headers']).toContain('if-none-match');
  });
});

describeEachDatabase('feeds with listed CORS origins', (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind, { site: { siteUrl: 'https://example.com' }, endpoint: { corsOrigins: ['https://app.example'] } });
  });
  afterAll(() => server?.stop());

  it('names a listed origin, and no other, and varies by Origin besides the encoding', async () => {
    const origin = server.url.replace(/\/graphql$/, '');
    const listed = await rawRequest(origin, { method: 'GET', path: '/sitemap.xml', headers: { origin: 'https://app.example' } });
    expect(listed.status).toBe(200);
    expect(listed.headers['access-control-allow-origin']).toBe('https://app.example');
    expect(listed.headers.vary).toBe('Accept-Encoding, Origin');
    const other = await rawRequest(origin, { method: 'GET', path: '/sitemap.xml', headers: { origin: 'https://evil.example' } });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });
});

/** A budget that holds two site feeds of 20 posts (621 points each) and not three. */
const BUDGET = 1500;

describeEachDatabase('feeds and the per-address budget', (kind) => {
  let server: TestServer;
  let origin: string;
  beforeAll(async () => {
    server = await startTestServer(kind, {
      site: { siteUrl: 'https://example.com' },
      limits: { ...TEST_LIMITS, cost: { ...TEST_LIMITS.cost, anonymous: BUDGET }, budget: { ...TEST_LIMITS.budget, anonymous: BUDGET } },
    });
    await server.importPaths([SAMPLE_CONTENT_DIR]);
    origin = server.url.replace(/\/graphql$/, '');
  });
  afterAll(() => server?.stop());

  const get = (path: string, headers: Record<string, string> = {}) => rawRequest(origin, { method: 'GET', path, headers });

  it('charges an uncached feed what the same read costs over GraphQL, from the same budget; hits are free', async () => {
    const graphql = await rawRequest(server.url, {
      headers: { 'content-type': 'application/json', authorization: undefined },
      body: JSON.stringify({ query: equivalentFeedQuery('site', 20) }),
    });
    expect(graphql.status).toBe(200);
    const cost = Number(graphql.headers['x-kiji-query-cost']);
    expect(cost).toBeGreaterThan(20);

    const miss = await get('/feeds/posts.rss');
    expect(miss.status).toBe(200);
    expect(miss.headers['x-kiji-cache']).toBe('miss');
    expect(Number(miss.headers['x-kiji-query-cost'])).toBe(cost);
    expect(miss.headers['x-ratelimit-limit']).toBe(String(BUDGET));
    expect(Number(miss.headers['x-ratelimit-remaining'])).toBe(BUDGET - 2 * cost);

    // Hits: answered from the store before any charge.
    let hit = await get('/feeds/posts.rss');
    for (let attempt = 0; hit.headers['x-kiji-cache'] !== 'hit' && attempt < 40; attempt += 1) hit = await get('/feeds/posts.rss');
    expect(hit.headers['x-kiji-cache']).toBe('hit');
    expect(hit.headers['x-ratelimit-remaining']).toBeUndefined();

    const refused = await get('/feeds/posts.atom');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    const error = errorOf(refused);
    expect(error.extensions).toMatchObject({ code: 'RATE_LIMITED', cost, limit: BUDGET, retryAfter: Number(refused.headers['retry-after']) });
    // The budget is one: GraphQL refuses this address now too, and a cached feed is still served.
    const graphqlAfter = await rawRequest(server.url, {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ posts(first: 1) { totalCount } }' }),
    });
    expect(graphqlAfter.status).toBe(429);
    expect((await get('/feeds/posts.rss')).status).toBe(200);
    // A sitemap reads every post: it costs the most an anonymous operation may.
    const sitemap = await get('/sitemap.xml');
    expect(sitemap.status).toBe(429);
    expect(errorOf(sitemap).extensions).toMatchObject({ code: 'RATE_LIMITED', cost: BUDGET });
  });
});

describeEachDatabase('feeds without KIJI_SITE_URL and hostile Host headers', (kind) => {
  let server: TestServer;
  let origin: string;
  const log = new LogCapture();
  beforeAll(async () => {
    server = await startTestServer(kind, { limits: { ...TEST_LIMITS, budget: { ...TEST_LIMITS.budget, anonymous: 40_000 } }, logDestination: log });
    await server.importPaths([SAMPLE_CONTENT_DIR]);
    origin = server.url.replace(/\/graphql$/, '');
  });
  afterAll(() => server?.stop());

  const get = (path: string, host?: string) => rawRequest(origin, { method: 'GET', path, headers: host ? { host } : {} });

  it('warns once at start that documents are not cached until KIJI_SITE_URL is set', () => {
    const warnings = log.lines.filter((line) => line.msg === UNCACHED_DOCUMENTS_WARNING);
    expect(warnings).toHaveLength(1);
    expect(String(warnings[0].level)).toMatch(/^(warn|40)$/);
  });

  it("links to the host asked, keeps no host's documents (not even the first one seen), and charges each one", async () => {
    const host = new URL(origin).host;
    // Whoever asks first (an attacker, a curl after a deploy) owns nothing: every host is made each time.
    const other = await get('/feeds/posts.rss', 'kiji.example:8080');
    expect(other.status).toBe(200);
    expect(other.headers['x-kiji-cache']).toBe('bypass');
    expect(other.text).toContain('<link>http://kiji.example:8080/posts/');
    expect(other.text).not.toContain(host);
    const own: RawResponse[] = [];
    for (let i = 0; i < 3; i += 1) own.push(await get('/feeds/posts.rss'));
    for (const response of own) {
      expect(response.headers['x-kiji-cache']).toBe('bypass');
      expect(response.text).toContain(`<link>${origin}/posts/`);
      expect(Number(response.headers['x-kiji-sql-statements'])).toBe(Number(own[0].headers['x-kiji-sql-statements']));
    }
    // The same document, so the same ETag: a client's 304s still work.
    expect(own[1].headers.etag).toBe(own[0].headers.etag);
    expect(Number(own[0].headers['x-ratelimit-remaining']) - Number(own[1].headers['x-ratelimit-remaining'])).toBe(Number(own[0].headers['x-kiji-query-cost']));
    const sitemap = await get('/sitemap.xml');
    expect(sitemap.headers['x-kiji-cache']).toBe('bypass');
    expect(sitemap.text).toContain(`<loc>${origin}/posts/`);

    // Random hosts are made each time and charged, until the budget says no.
    const remaining: number[] = [];
    let refused: RawResponse | undefined;
    for (let i = 0; i < 20 && !refused; i += 1) {
      const random = await get('/feeds/posts.json?limit=100', `h${i}-${Math.random().toString(36).slice(2)}.example`);
      if (random.status !== 200) refused = random;
      else {
        expect(random.headers['x-kiji-cache']).toBe('bypass');
        remaining.push(Number(random.headers['x-ratelimit-remaining']));
      }
    }
    expect(remaining.length).toBeGreaterThan(1);
    const cost = remaining[0] - remaining[1];
    expect(cost).toBeGreaterThan(3000); // 100 posts with their authors, tags and categories
    for (let i = 1; i < remaining.length; i += 1) expect(remaining[i - 1] - remaining[i]).toBe(cost);
    expect(remaining[remaining.length - 1]).toBeLessThan(cost);
    expect(refused && errorOf(refused).extensions).toMatchObject({ code: 'RATE_LIMITED', cost });
  });

  it('refuses a Host that is not host[:port] with a JSON 400', async () => {
    for (const host of ['evil.example/path', 'a b', 'user@evil.example', 'evil.example:port', '<script>']) {
      const response = await get('/feeds/posts.rss', host);
      expect(response.status).toBe(400);
      expect(errorOf(response).extensions.code).toBe('BAD_REQUEST');
    }
  });
});

// A read held up by a lock is the only way to make one slow on demand; SQLite reads cannot be held so.
describe.each(databaseKinds().filter((kind) => kind === 'postgres'))('feeds past their deadline [%s]', (kind) => {
  let server: TestServer;
  const log = new LogCapture();
  beforeAll(async () => {
    server = await startTestServer(kind, { site: { siteUrl: 'https://example.com' }, timeouts: { ...DEFAULT_TIMEOUTS, requestMs: 500 }, logDestination: log });
    await server.importPaths([SAMPLE_CONTENT_DIR]);
  });
  afterAll(() => server?.stop());

  it('answers 503 TIMEOUT when making a document outlasts the deadline, while cached documents are served', async () => {
    const origin = server.url.replace(/\/graphql$/, '');
    const get = (path: string) => rawRequest(origin, { method: 'GET', path });
    let cached = await get('/feeds/posts.rss');
    for (let attempt = 0; cached.headers['x-kiji-cache'] !== 'hit' && attempt < 40; attempt += 1) cached = await get('/feeds/posts.rss');
    expect(cached.headers['x-kiji-cache']).toBe('hit');
    const locker = server.dataSource.createQueryRunner();
    await locker.connect();
    try {
      await locker.startTransaction();
      // The feed's page reads its posts' categories; the freshness read does not.
      await locker.query('LOCK TABLE post_categories IN ACCESS EXCLUSIVE MODE');
      const late = await get('/feeds/posts.rss?limit=7');
      expect(late.status).toBe(503);
      expect(errorOf(late)).toEqual({ message: 'The request did not finish within 500 ms and was stopped', extensions: { code: 'TIMEOUT' } });
      expect(await log.requestLine(String(late.headers['x-request-id']))).toMatchObject({ path: '/feeds/posts.rss', status: 503, errorCodes: ['TIMEOUT'] });
      expect((await get('/feeds/posts.rss')).headers['x-kiji-cache']).toBe('hit');
    } finally {
      await locker.rollbackTransaction();
      await locker.release();
    }
    expect((await get('/feeds/posts.rss?limit=7')).status).toBe(200);
  });
});
