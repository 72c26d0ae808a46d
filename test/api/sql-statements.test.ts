import fs from 'node:fs';
import { AuthorListDocument, FeedDocument } from '../generated/graphql';
import { describeEachDatabase } from '../support/databases';
import { writeFixtureFolder } from '../support/fixtures';
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

  it('reads a term page by slug (the term, its post count and its first posts) in one statement, the same page as by ID', async () => {
    const send = async (query: string, variables: Record<string, unknown> = {}) => {
      const result = await server.client.query<Record<string, TermPage | null>>(query, variables).toPromise();
      expect(result.error).toBeUndefined();
      return { statements: Number(server.lastHeaders().get('x-kiji-sql-statements')), data: result.data! };
    };
    type TermPage = {
      id: string;
      postCount: number;
      posts: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string }; edges: { node: { slug: string; publishedAt: string } }[] };
    };
    const fields = (posts: string) =>
      `id name postCount posts${posts ? `(${posts})` : ''} { totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { cursor node { slug publishedAt author { slug } tags { slug } categories { slug } } } }`;
    for (const [kind, slug] of [
      ['author', 'writer-3'],
      ['tag', 'series-1'],
      ['category', 'section-2'],
    ]) {
      const bySlug = await send(`{ ${kind}(slug: "${slug}") { ${fields('first: 5')} } }`);
      expect(bySlug.statements).toBe(1);
      const term = bySlug.data[kind]!;
      expect(term.posts.edges).toHaveLength(5);
      expect(term.postCount).toBeGreaterThan(5);
      expect(term.posts.totalCount).toBe(term.postCount);
      expect(term.posts.pageInfo.hasNextPage).toBe(true);
      const dates = term.posts.edges.map((e) => e.node.publishedAt);
      expect(dates).toEqual([...dates].sort().reverse());
      // By ID the term and its posts are read one after the other, as any list of terms is: the same page.
      const byId = await send(`{ ${kind}(id: "${term.id}") { ${fields('first: 5')} } }`);
      expect(byId.statements).toBeGreaterThan(1);
      expect(byId.data[kind]).toEqual(term);
      // The default page size, and the next page from the first one's cursor.
      const defaults = await send(`{ ${kind}(slug: "${slug}") { ${fields('')} } }`);
      expect(defaults.statements).toBe(1);
      expect(defaults.data[kind]!.posts.edges).toHaveLength(Math.min(20, term.postCount));
      const next = await send(`{ ${kind}(slug: "${slug}") { ${fields(`first: 5, after: "${term.posts.pageInfo.endCursor}"`)} } }`);
      expect(next.data[kind]!.posts.edges.map((e) => e.node.slug)).toEqual(defaults.data[kind]!.posts.edges.slice(5, 10).map((e) => e.node.slug));
    }
    // The oldest first, asked inside a fragment: one statement too, the same page as by ID.
    const oldest = await send(`{ tag(slug: "series-1") { ...Page } } fragment Page on Tag { ${fields('first: 4, orderBy: OLDEST')} }`);
    expect(oldest.statements).toBe(1);
    const oldestDates = oldest.data.tag!.posts.edges.map((e) => e.node.publishedAt);
    expect(oldestDates).toEqual([...oldestDates].sort());
    expect((await send(`{ tag(id: "${oldest.data.tag!.id}") { ${fields('first: 4, orderBy: OLDEST')} } }`)).data.tag).toEqual(oldest.data.tag);
    // A page shown on a condition is left to the field: not shown, it is not read.
    for (const show of [false, true]) {
      const shown = await send(`query ($show: Boolean!) { tag(slug: "series-1") { id posts(first: 4) @include(if: $show) { totalCount } } }`, { show });
      expect(shown.statements).toBe(show ? 2 : 1);
      expect(shown.data.tag!.posts?.totalCount).toBe(show ? oldest.data.tag!.postCount : undefined);
    }
    // An empty page is answered as by ID: no posts, and no next page said to follow.
    const empty = await send(`{ tag(slug: "series-1") { ${fields('first: 0')} } }`);
    expect(empty.data.tag!.posts).toMatchObject({ edges: [], pageInfo: { hasNextPage: false } });
    // A slug nobody has: null, in one statement.
    const unknown = await send(`{ tag(slug: "no-such-tag") { ${fields('first: 5')} } }`);
    expect(unknown.data.tag).toBeNull();
    expect(unknown.statements).toBe(1);
    // Several terms by slug (aliases) are read together, then their pages together: each gets its own.
    const two = await send(`{ a: author(slug: "writer-1") { ${fields('first: 3')} } b: author(slug: "writer-2") { ${fields('first: 3')} } }`);
    expect(two.statements).toBe(2);
    for (const alias of ['a', 'b']) {
      const alone = await send(`{ author(slug: "writer-${alias === 'a' ? 1 : 2}") { ${fields('first: 3')} } }`);
      expect(two.data[alias]).toEqual(alone.data.author);
    }
  });

  it('reads an article page by slug (the post, its author and tags, its related posts) in one statement, the same page as by ID', async () => {
    type Article = {
      id: string;
      slug: string;
      related: { score: number; post: { id: string; slug: string; title: string; publishedAt: string; author: { slug: string }; tags: { slug: string }[] } }[];
    };
    const send = async (query: string, variables: Record<string, unknown> = {}) => {
      const result = await server.client.query<{ post: Article | null }>(query, variables).toPromise();
      expect(result.error).toBeUndefined();
      return { statements: Number(server.lastHeaders().get('x-kiji-sql-statements')), post: result.data!.post };
    };
    const relatedFields = 'score post { id slug title publishedAt author { slug } tags { slug } }';
    const fields = (related: string) => `id slug title bodyHtml readingTimeMinutes author { slug name bio } tags { slug name } related${related} { ${relatedFields} }`;
    const bySlug = await send(`{ post(slug: "synthetic-60") { ${fields('(first: 3)')} } }`);
    expect(bySlug.statements).toBe(1);
    const article = bySlug.post!;
    expect(article.slug).toBe('synthetic-60');
    expect(article.related).toHaveLength(3);
    const scores = article.related.map((r) => r.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    expect(article.related.map((r) => r.post.slug)).not.toContain('synthetic-60');
    for (const { post } of article.related) expect(post.tags.length).toBeGreaterThan(0);
    // By ID the post and its related posts are read one after the other: the same page.
    const byId = await send(`{ post(id: "${article.id}") { ${fields('(first: 3)')} } }`);
    expect(byId.statements).toBe(2);
    expect(byId.post).toEqual(article);
    // The default count, asked inside a fragment with a variable: one statement, the same list.
    const fragment = await send(`query ($slug: String!) { post(slug: $slug) { ...Article } } fragment Article on Post { ${fields('')} }`, { slug: 'synthetic-60' });
    expect(fragment.statements).toBe(1);
    expect(fragment.post!.related).toHaveLength(5);
    expect(fragment.post!.related.slice(0, 3)).toEqual(article.related);
    // Related posts that show their bodies are left to the field, as are lists shown on a condition, and they answer the same.
    const withBodies = await send(`{ post(slug: "synthetic-60") { id related(first: 3) { score post { slug bodyHtml } } } }`);
    expect(withBodies.statements).toBe(2);
    expect(withBodies.post!.related.map((r) => r.post.slug)).toEqual(article.related.map((r) => r.post.slug));
    for (const show of [false, true]) {
      const shown = await send(`query ($show: Boolean!) { post(slug: "synthetic-60") { id related(first: 3) @include(if: $show) { ${relatedFields} } } }`, { show });
      expect(shown.statements).toBe(show ? 2 : 1);
      expect(shown.post!.related).toEqual(show ? article.related : undefined);
    }
    // No related posts asked for, and too many: the field answers, as by ID.
    expect((await send(`{ post(slug: "synthetic-60") { ${fields('(first: 0)')} } }`)).post!.related).toEqual([]);
    const tooMany = await server.client.query(`{ post(slug: "synthetic-60") { ${fields('(first: 21)')} } }`, {}).toPromise();
    expect(tooMany.error?.graphQLErrors[0].extensions.code).toBe('BAD_USER_INPUT');
    // A slug nobody has: null, after looking among old slugs too (two statements, as without related posts).
    const unknown = await send(`{ post(slug: "no-such-post") { ${fields('(first: 3)')} } }`);
    expect(unknown.post).toBeNull();
    expect(unknown.statements).toBe(2);
    // Two articles by slug (aliases): each its own post and list.
    const two = await server.client
      .query<Record<'a' | 'b', Article>>(`{ a: post(slug: "synthetic-60") { ${fields('(first: 3)')} } b: post(slug: "synthetic-61") { ${fields('(first: 3)')} } }`, {})
      .toPromise();
    expect(two.data!.a).toEqual(article);
    expect(two.data!.b).toEqual((await send(`{ post(slug: "synthetic-61") { ${fields('(first: 3)')} } }`)).post);
    expect(two.data!.b.slug).toBe('synthetic-61');
  });

  it("costs the same for editors' preview links of a page of 20 and of 100 posts", async () => {
    const editor = server.clientWith((await server.services.keys.create('editor', 'preview links')).secret);
    const query = 'query Links($first: Int) { posts(first: $first) { edges { node { id previewLinks { id createdBy } } } } }';
    type Links = { posts: { edges: { node: { id: string; previewLinks: { id: string; createdBy: string }[] } }[] } };
    const first = await editor.query<Links>(query, { first: 100 }).toPromise();
    // Links on every third post, two on some, so the loader has lists of every length to fill.
    for (const [i, { node }] of first.data!.posts.edges.entries()) {
      for (let n = 0; n < i % 3; n++) await server.services.previews.create({ role: 'editor', keyId: null, keyName: 'test' }, node.id, 2);
    }
    const counts: number[] = [];
    for (const size of [20, 100]) {
      const result = await editor.query<Links>(query, { first: size }).toPromise();
      expect(result.error).toBeUndefined();
      const edges = result.data!.posts.edges;
      expect(edges).toHaveLength(size);
      expect(edges.map((e) => e.node.previewLinks.length)).toEqual(edges.map((_, i) => i % 3));
      counts.push(Number(server.lastHeaders().get('x-kiji-sql-statements')));
    }
    expect(counts[1]).toBe(counts[0]);
    expect(counts[0]).toBeLessThanOrEqual(5);
  });

  it("reads authors' profiles and tags' descriptions in one statement per kind, for 20 posts as for 100", async () => {
    const editor = { role: 'editor', keyId: null, keyName: 'test' } as const;
    const profile = { bio: 'Writes.', avatarUrl: '/img/w1.png', links: [{ kind: 'github', url: 'https://github.com/w1' }] };
    await server.services.termWriter.updateAuthor(editor, { slug: 'writer-1' }, profile);
    await server.services.termWriter.updateTag(editor, { slug: 'topic-1' }, { description: 'The first topic.' });
    const feed = (author: string, tags: string, first = 20) => `{ posts(first: ${first}) { edges { node { slug author { slug ${author} } tags { slug ${tags} } } } } }`;
    type Feed = { posts: { edges: { node: { author: { slug: string } & Record<string, unknown> } }[] } };
    const statements = async (query: string, posts = 20) => {
      const result = await server.client.query<Feed>(query, {}).toPromise();
      expect(result.error).toBeUndefined();
      expect(result.data!.posts.edges).toHaveLength(posts);
      return { count: Number(server.lastHeaders().get('x-kiji-sql-statements')), data: result.data! };
    };
    const plain = await statements(feed('', ''));
    // Feeds that do not show profiles do not read them (post-rows.ts PROFILE_COLUMNS); shown, one statement per kind.
    const profiles = await statements(feed('avatarUrl url links { kind url } seo { title }', 'description url'));
    expect(profiles.count).toBe(plain.count + 2);
    expect((await statements(feed('avatarUrl url links { kind url } seo { title }', 'description url', 100), 100)).count).toBe(profiles.count);
    const writer = profiles.data.posts.edges.map((e) => e.node.author).find((a) => a.slug === 'writer-1');
    expect(writer).toMatchObject({ avatarUrl: '/img/w1.png', links: [{ kind: 'github', url: 'https://github.com/w1' }] });
  });

  it('costs the same for a feed of 20 posts with cover images and SEO as without, and for posts found through `node`', async () => {
    type Feed = { posts: { edges: { node: { id: string; seo?: { title: string } } }[] } };
    const feed = (fields: string) => `{ posts(first: 20) { edges { node { id author { slug } ${fields} } } } }`;
    const statements = async (query: string) => {
      const result = await server.client.query<Feed>(query, {}).toPromise();
      expect(result.error).toBeUndefined();
      return { count: Number(server.lastHeaders().get('x-kiji-sql-statements')), data: result.data };
    };
    const plain = await statements(feed(''));
    const meta = await statements(feed('coverImage { url alt width height } seo { title description canonicalUrl ogImage noindex }'));
    expect(meta.count).toBe(plain.count);
    expect(meta.data!.posts.edges).toHaveLength(20);
    for (const { node } of meta.data!.posts.edges) expect(node.seo?.title).toBeTruthy();
    // `node` reads cards without these columns: they are read again, batched, once for all the posts.
    const ids = plain.data!.posts.edges.map((e) => e.node.id);
    const nodeQuery = (list: string[]) => `{ ${list.map((id, i) => `n${i}: node(id: "${id}") { ... on Post { coverImage { url } seo { title } } }`).join(' ')} }`;
    const few = await statements(nodeQuery(ids.slice(0, 2)));
    const all = await statements(nodeQuery(ids));
    expect(all.count).toBe(few.count);
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

describeEachDatabase('SQL statements for pages and redirects', (kind) => {
  let server: TestServer;
  let dir: string;
  beforeAll(async () => {
    server = await startTestServer(kind, { responseCache: 'off' });
    const files: Record<string, string> = {};
    for (let i = 1; i <= 25; i++) files[`pages/page-${String(i).padStart(2, '0')}.md`] = `---\ntitle: Page ${i}\n---\n\n## Part ${i}\n\nText of page ${i}.\n`;
    for (let i = 1; i <= 3; i++) files[`_posts/2024-01-0${i}-post-${i}.md`] = `---\ntitle: Post ${i}\ntags: [a, b]\nredirect_from: /old/${i}/\n---\n\nBody ${i}.\n`;
    dir = writeFixtureFolder(files);
    const summary = await server.importPaths([dir]);
    expect(summary).toMatchObject({ imported: 28, pages: 25, failed: [] });
  });
  afterAll(async () => {
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const statements = async (query: string) => {
    const result = await server.client.query<Record<string, unknown>>(query, {}).toPromise();
    expect(result.error).toBeUndefined();
    return { count: Number(server.lastHeaders().get('x-kiji-sql-statements')), data: result.data! };
  };

  it('costs one statement for pages(first: 20) with every field, as for pages(first: 2), and one more for totalCount', async () => {
    const pages = (first: number, extra = '') =>
      `{ pages(first: ${first}) { ${extra} edges { node { id slug url title excerpt bodyHtml headings { text } updatedAt language status seo { title canonicalUrl } coverImage { url } } } } }`;
    const small = await statements(pages(2));
    const large = await statements(pages(20));
    expect((large.data.pages as { edges: unknown[] }).edges).toHaveLength(20);
    expect(large.count).toBe(small.count);
    expect(large.count).toBe(1);
    expect((await statements(pages(20, 'totalCount'))).count).toBe(2);
  });

  it('costs the same for one redirect as for three, each with its post and tags', async () => {
    const redirects = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `r${i}: redirect(path: "/old/${i + 1}") { location post { slug tags { slug } } }`).join(' ')} }`;
    const one = await statements(redirects(1));
    expect((one.data.r0 as { post: { slug: string } }).post.slug).toBe('post-1');
    // The paths are looked up together, then the posts and their tags, each in one statement.
    const three = await statements(redirects(3));
    expect(three.count).toBe(one.count);
    expect(one.count).toBeLessThanOrEqual(3);
  });
});
