import fs from 'node:fs';
import { AuthorListDocument, FeedDocument } from '../generated/graphql';
import { describeEachDatabase } from '../support/databases';
import { startTestServer, TestServer } from '../support/server';
import { writeSyntheticPosts } from '../support/synthetic';

/*
 * Every relation goes through a per-request DataLoader, so a page of posts costs the same
 * number of SQL statements whatever its size. The server reports the count per request in the
 * `x-kiji-sql-statements` header.
 */
describeEachDatabase('SQL statements per request', (kind) => {
  let server: TestServer;
  let dir: string;

  beforeAll(async () => {
    // The loaders alone: without the response cache, which adds one freshness check (tested below).
    server = await startTestServer(kind, { responseCache: 'off' });
    dir = writeSyntheticPosts(130);
    const summary = await server.importPaths([dir]);
    expect(summary.failed).toEqual([]);
    expect(summary.imported).toBe(130);
  });

  afterAll(async () => {
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function statementsFor(first: number): Promise<{ statements: number; posts: number }> {
    const result = await server.client.query(FeedDocument, { first }).toPromise();
    expect(result.error).toBeUndefined();
    const posts = result.data!.posts.edges;
    // Every post really carries its relations, so the count covers author, tags and categories.
    for (const { node } of posts) {
      expect(node.author.slug).toMatch(/^writer-\d$/);
      expect(node.tags.length).toBeGreaterThan(0);
      expect(node.categories).toHaveLength(1);
    }
    return { statements: Number(server.lastHeaders().get('x-kiji-sql-statements')), posts: posts.length };
  }

  it('costs the same, at most 5, for a feed of 20 and of 100 posts with author, tags and categories', async () => {
    const small = await statementsFor(20);
    const large = await statementsFor(100);
    expect(small.posts).toBe(20);
    expect(large.posts).toBe(100);
    expect(large.statements).toBe(small.statements);
    expect(large.statements).toBeLessThanOrEqual(5);
    expect(large.statements).toBeGreaterThan(0);
    process.stderr.write(`[${kind}] feed: ${small.statements} statements for 20 posts, ${large.statements} for 100\n`);
  });

  it('costs the same for a page of authors, each with a page of posts and counts', async () => {
    const counts: number[] = [];
    for (const first of [2, 7]) {
      const result = await server.client.query(AuthorListDocument, { first, postsFirst: 5 }).toPromise();
      expect(result.error).toBeUndefined();
      const authors = result.data!.authors.edges;
      expect(authors).toHaveLength(first);
      for (const { node } of authors) {
        expect(node.posts.edges).toHaveLength(5);
        expect(node.posts.totalCount).toBe(node.postCount);
      }
      counts.push(Number(server.lastHeaders().get('x-kiji-sql-statements')));
    }
    expect(counts[1]).toBe(counts[0]);
    expect(counts[0]).toBeLessThanOrEqual(5);
  });
});

describeEachDatabase('SQL statements with the response cache', (kind) => {
  let server: TestServer;
  let dir: string;
  beforeAll(async () => {
    server = await startTestServer(kind, { responseCache: 'memory' });
    dir = writeSyntheticPosts(40);
    await server.importPaths([dir]);
  });
  afterAll(async () => {
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('adds one freshness check to a miss, and a hit costs only that check', async () => {
    const statements = async (first: number) => {
      const result = await server.client.query(FeedDocument, { first }).toPromise();
      expect(result.data!.posts.edges).toHaveLength(first);
      return Number(server.lastHeaders().get('x-kiji-sql-statements'));
    };
    const miss = await statements(20);
    expect(await statements(30)).toBe(miss);
    expect(miss).toBeLessThanOrEqual(6);
    expect(await statements(20)).toBe(1);
    process.stderr.write(`[${kind}] with response cache: miss ${miss} statements, hit 1\n`);
  });
});
