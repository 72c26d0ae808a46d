import fs from 'node:fs';
import { ArticleDocument, FeedDocument, NodeByIdDocument, TagPageDocument } from '../generated/graphql';
import { describeEachDatabase } from '../support/databases';
import { LogCapture } from '../support/log-capture';
import type { GraphQLBody } from '../support/raw-http';
import { startTestServer, TestServer } from '../support/server';
import { writeSyntheticPosts } from '../support/synthetic';

/** Bad input gets a clear BAD_USER_INPUT; nothing internal (SQL, stacks, paths) ever leaks. */
describeEachDatabase('errors', (kind) => {
  let server: TestServer;
  let dir: string;
  const logs = new LogCapture();
  beforeAll(async () => {
    server = await startTestServer(kind, { logDestination: logs });
    dir = writeSyntheticPosts(5);
    await server.importPaths([dir]);
  });
  afterAll(async () => {
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function firstError(result: { error?: { graphQLErrors: { message: string; extensions: Record<string, unknown> }[] } }) {
    expect(result.error?.graphQLErrors.length).toBeGreaterThan(0);
    return result.error!.graphQLErrors[0];
  }

  it.each([
    ['first', { first: 101 }],
    ['first', { first: -1 }],
    ['last', { last: 101 }],
    ['last', { last: -5 }],
  ])('refuses %s out of range naming the limit of 100', async (argument, variables) => {
    const error = firstError(await server.client.query(FeedDocument, variables).toPromise());
    expect(error.extensions.code).toBe('BAD_USER_INPUT');
    expect(error.message).toContain(argument);
    expect(error.message).toContain('100');
  });

  it('refuses the limit on nested connections too', async () => {
    const error = firstError(await server.client.query(TagPageDocument, { slug: 'series-1', first: 500 }).toPromise());
    expect(error.extensions.code).toBe('BAD_USER_INPUT');
    expect(error.message).toContain('100');
  });

  it.each(['not-a-cursor!', 'WzFd', 'eyJ4IjoxfQ', ''])('refuses a malformed cursor %p', async (after) => {
    const error = firstError(await server.client.query(FeedDocument, { first: 2, after }).toPromise());
    expect(error.extensions.code).toBe('BAD_USER_INPUT');
    expect(error.message).toMatch(/cursor/);
  });

  it.each(['nope', 'UG9zdDowMQ', Buffer.from('Spaceship:1').toString('base64url'), Buffer.from('Post:abc').toString('base64url')])(
    'refuses a malformed global ID %p in post(id:), and answers null for it in node(id:)',
    async (id) => {
      const error = firstError(await server.client.query(ArticleDocument, { id }).toPromise());
      expect(error.extensions.code).toBe('BAD_USER_INPUT');
      // Relay refetches by node(id:) and expects null for an object it cannot have (node-ids.test.ts).
      const node = await server.client.query(NodeByIdDocument, { id }).toPromise();
      expect(node.error).toBeUndefined();
      expect(node.data!.node).toBeNull();
    },
  );

  it('answers null, not an error, for an unknown slug or ID', async () => {
    const bySlug = await server.client.query(ArticleDocument, { slug: 'no-such-post' }).toPromise();
    expect(bySlug.error).toBeUndefined();
    expect(bySlug.data!.post).toBeNull();
    const byId = await server.client.query(NodeByIdDocument, { id: Buffer.from('Post:999999').toString('base64url') }).toPromise();
    expect(byId.error).toBeUndefined();
    expect(byId.data!.node).toBeNull();
  });

  it('asks for exactly one of slug or id', async () => {
    const error = firstError(await server.client.query(ArticleDocument, {}).toPromise());
    expect(error.extensions.code).toBe('BAD_USER_INPUT');
  });

  it('always sets extensions.code, and leaks no SQL, stack or path', async () => {
    const bodies: unknown[] = [];
    for (const query of ['{ posts(first: 1) { edges { node { nope } } } }', '{ posts(first: "x") { totalCount } }', '{ post(', '{ post(id: "%%%") { id } }']) {
      const response = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
        body: JSON.stringify({ query }),
      });
      const body = (await response.json()) as { errors: { extensions?: { code?: string } }[] };
      bodies.push(body);
      for (const error of body.errors) expect(typeof error.extensions?.code).toBe('string');
    }
    const text = JSON.stringify(bodies);
    expect(text).not.toMatch(/SELECT|INSERT|sqlite|postgres|stacktrace|\/work\/|node_modules|\.ts:\d/i);
  });

  it('refuses posts of authors of posts … nested too deep with QUERY_TOO_COMPLEX, before running it', async () => {
    let selection = 'slug';
    for (let i = 0; i < 4; i++) selection = `posts(first: 100) { edges { node { author { ${selection} } } } }`;
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ authors(first: 100) { edges { node { ${selection} } } } }` }),
    });
    const body = (await response.json()) as { errors: { message: string; extensions: { code: string; limit: number } }[] };
    expect(response.status).toBe(400);
    expect(body.errors[0].extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', postListNesting: 4, limit: 3 });
    expect(body.errors[0].message).toMatch(/4 lists of posts nested in each other; the limit is 3/);
    // Nothing ran but the response cache's freshness check (made before the query is parsed).
    const freshnessCheck = response.headers.get('x-kiji-cache') ? 1 : 0;
    expect(Number(response.headers.get('x-kiji-sql-statements') ?? 0)).toBe(freshnessCheck);
  });

  it('hides an internal failure behind INTERNAL_SERVER_ERROR', async () => {
    // Break the database under the server: the client must see a generic error, not the driver's,
    // while the operator's log gets the details.
    await server.dataSource.query('ALTER TABLE post_tags RENAME TO post_tags_gone');
    try {
      const response = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ posts(first: 2) { edges { node { tags { slug } } } } }' }),
      });
      const body = await response.text();
      expect(body).toContain('INTERNAL_SERVER_ERROR');
      expect(body).not.toMatch(/post_tags|SELECT|no such table|does not exist/i);
      const requestId = response.headers.get('x-request-id')!;
      expect((JSON.parse(body) as GraphQLBody).errors?.[0].extensions.requestId).toBe(requestId);
      expect(JSON.stringify(logs.forRequest(requestId).find((line) => line.msg === 'internal error'))).toMatch(/post_tags/);
    } finally {
      await server.dataSource.query('ALTER TABLE post_tags_gone RENAME TO post_tags');
    }
  });
});
