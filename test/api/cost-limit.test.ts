import { getIntrospectionQuery } from 'graphql';
import { DEFAULT_LIMITS } from '../../src/config';
import { metrics } from '../../src/http/metrics';
import { describeEachDatabase } from '../support/databases';
import { startTestServer, TestServer } from '../support/server';

interface Answer {
  status: number;
  headers: Headers;
  body: { data?: Record<string, unknown> | null; errors?: { message: string; extensions: Record<string, unknown> }[] };
  ms: number;
}

const FEED = '{ posts(first: 3) { edges { node { title author { name } } } } }';

/** The attack shapes of issue 11: each must be refused before anything runs. */
const ATTACKS: Record<string, { query: string; refusal: Record<string, unknown> }> = {
  'related nested four levels under 100 posts (175 bytes)': {
    query:
      '{ posts(first: 100) { edges { node { related(first: 20) { post { related(first: 20) { post { related(first: 20) { post { related(first: 20) { post { title } } } } } } } } } } } }',
    refusal: { postListNesting: 5, limit: 3 },
  },
  'related nested twice under 100 posts, within the nesting limit': {
    query: '{ posts(first: 100) { edges { node { related(first: 20) { post { related(first: 20) { post { title } } } } } } } }',
    refusal: { cost: 1 + 100 * (1 + 20 * (2 + 20 * 2)), limit: DEFAULT_LIMITS.cost.anonymous },
  },
  '1,000 aliases of posts(first: 100) { bodyHtml }': {
    query: `{ ${Array.from({ length: 1000 }, (_, i) => `a${i}: posts(first: 100) { edges { node { bodyHtml } } }`).join(' ')} }`,
    refusal: { fields: 4000, limit: 1000 },
  },
  '60 aliases of posts': {
    query: `{ ${Array.from({ length: 60 }, (_, i) => `a${i}: posts(first: 1) { totalCount }`).join(' ')} }`,
    refusal: { aliases: 60, limit: DEFAULT_LIMITS.maxAliases },
  },
  'a fan-out of fragments 22 levels deep': {
    query: `{ posts(first: 1) { edges { node { ...F1 } } } }\n${Array.from({ length: 21 }, (_, i) => `fragment F${i + 1} on Post { ...F${i + 2} ...F${i + 2} }`).join('\n')}\nfragment F22 on Post { title }`,
    refusal: { fields: 2 ** 21 + 3, limit: 1000 },
  },
  'one field repeated 300 times': {
    query: `{ post(slug: "vim-registers") { ${'related { post { title } } '.repeat(300)} } }`,
    refusal: { repeatedField: 300, limit: 20 },
  },
};

describeEachDatabase('query cost limits', (kind) => {
  let server: TestServer;
  let readerKey: string;
  let editorKey: string;
  beforeAll(async () => {
    server = await startTestServer(kind);
    await server.importPaths(['content/sample']);
    readerKey = (await server.services.keys.create('reader', 'cost tests')).secret;
    editorKey = (await server.services.keys.create('editor', 'cost tests')).secret;
  });
  afterAll(async () => {
    await server?.stop();
  });

  async function post(query: string, options: { variables?: Record<string, unknown>; key?: string } = {}): Promise<Answer> {
    const started = performance.now();
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(options.key ? { authorization: `Bearer ${options.key}` } : {}) },
      body: JSON.stringify({ query, variables: options.variables }),
      // A hang fails the test here rather than at jest's timeout.
      signal: AbortSignal.timeout(10_000),
    });
    const body = (await response.json()) as Answer['body'];
    return { status: response.status, headers: response.headers, body, ms: performance.now() - started };
  }

  it.each(Object.entries(ATTACKS))('refuses %s with QUERY_TOO_COMPLEX before running it, while a normal feed still answers', async (_name, attack) => {
    const [refused, feed] = await Promise.all([post(attack.query), post(FEED)]);
    expect(refused.status).toBe(400);
    expect(refused.body.data).toBeUndefined();
    expect(refused.body.errors).toHaveLength(1);
    expect(refused.body.errors![0].extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', ...attack.refusal });
    expect(refused.body.errors![0].message).toMatch(/the limit is \d+/);
    // A generous bound that catches the stalls of before (8 to 140 s), not a benchmark.
    expect(refused.ms).toBeLessThan(1000);
    // Nothing ran but the response cache's freshness check, made before the query is parsed.
    expect(Number(refused.headers.get('x-kiji-sql-statements') ?? 0)).toBeLessThanOrEqual(1);
    expect(feed.status).toBe(200);
    expect((feed.body.data?.posts as { edges: unknown[] }).edges).toHaveLength(3);
  });

  it('reports the cost of every operation it runs in x-kiji-query-cost; answers from the response cache run nothing and cost nothing', async () => {
    const query = '{ posts(first: 3) { edges { node { slug author { name } } } } }';
    const first = await post(query);
    expect(first.headers.get('x-kiji-cache')).toBe('miss');
    expect(first.headers.get('x-kiji-query-cost')).toBe(String(1 + 3 * (1 + 1)));
    const again = await post(query);
    expect(again.headers.get('x-kiji-cache')).toBe('hit');
    expect(again.headers.get('x-kiji-query-cost')).toBeNull();
    const page = await post('query Page($n: Int) { posts(first: $n) { edges { node { title related(first: 2) { post { title } } } } } }', { variables: { n: 4 } });
    expect(page.status).toBe(200);
    expect(page.headers.get('x-kiji-query-cost')).toBe(String(1 + 4 * (1 + 2 * 2)));
  });

  it('uses the variables to cost a page, and refuses the same document when they ask for too much', async () => {
    const query = 'query Page($n: Int) { posts(first: $n) { edges { node { related(first: 20) { post { tags { name } } } } } } }';
    expect((await post(query, { variables: { n: 1 } })).status).toBe(200);
    const refused = await post(query, { variables: { n: 100 } });
    expect(refused.status).toBe(400);
    expect(refused.body.errors![0].extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', cost: 1 + 100 * (1 + 20 * (2 + 10)), limit: DEFAULT_LIMITS.cost.anonymous });
  });

  it('allows keyed readers and editors more than anonymous clients', async () => {
    // 24,101: over the anonymous limit (10,000), under the readers' (25,000).
    const query = '{ posts(first: 100) { edges { node { related(first: 20) { post { title tags { name } } } } } } }';
    const anonymous = await post(query);
    expect(anonymous.body.errors![0].extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', cost: 24_101, limit: DEFAULT_LIMITS.cost.anonymous });
    const reader = await post(query, { key: readerKey });
    expect(reader.status).toBe(200);
    expect(reader.body.errors).toBeUndefined();
    expect(reader.headers.get('x-kiji-query-cost')).toBe('24101');
    // 44,101: over the readers' limit, under the editors' (50,000).
    const bigger = '{ posts(first: 100) { edges { node { related(first: 20) { post { title tags { name } categories { name } } } } } } }';
    expect((await post(bigger, { key: readerKey })).body.errors![0].extensions).toMatchObject({ cost: 44_101, limit: DEFAULT_LIMITS.cost.reader });
    expect((await post(bigger, { key: editorKey })).status).toBe(200);
  });

  it('counts refusals in kiji_rejected_by_cost_total, for the shape and for the cost', async () => {
    const counted = async () => (await metrics.rejectedByCost.get()).values[0]?.value ?? 0;
    const before = await counted();
    await post(ATTACKS['a fan-out of fragments 22 levels deep'].query);
    await post(ATTACKS['related nested twice under 100 posts, within the nesting limit'].query);
    await post(FEED);
    expect(await counted()).toBe(before + 2);
  });

  it('answers the standard introspection query (15 levels deep)', async () => {
    const answer = await post(getIntrospectionQuery());
    expect(answer.status).toBe(200);
    expect(answer.body.errors).toBeUndefined();
    expect((answer.body.data?.__schema as { types: { name: string }[] }).types.map((t) => t.name)).toContain('Post');
  });

  it('refuses a document over the token limit at parse', async () => {
    const answer = await post(`{ ${'__typename '.repeat(DEFAULT_LIMITS.maxTokens)} }`);
    expect(answer.status).toBe(400);
    expect(answer.body.errors![0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');
    expect(answer.body.errors![0].message).toContain(`${DEFAULT_LIMITS.maxTokens} tokens`);
  });
});
