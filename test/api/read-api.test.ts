import fs from 'node:fs';
import {
  ArticleDocument,
  AuthorPageDocument,
  CategoryListDocument,
  CategoryPageDocument,
  FeedDocument,
  FeedSlugsDocument,
  NodeByIdDocument,
  TagListDocument,
  TagPageDocument,
} from '../generated/graphql';
import { describeEachDatabase } from '../support/databases';
import { READ_FIXTURE, writeFixtureFolder } from '../support/fixtures';
import { startTestServer, TestServer } from '../support/server';

const PUBLISHED = ['zebra', 'kanji', 'tuning', 'first-steps'];

describeEachDatabase('read API', (kind) => {
  let server: TestServer;
  let dir: string;

  beforeAll(async () => {
    server = await startTestServer(kind);
    dir = writeFixtureFolder(READ_FIXTURE);
    const summary = await server.importPaths([dir]);
    expect(summary.failed).toEqual([]);
    expect(summary.imported).toBe(6);
  });
  afterAll(async () => {
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const slugsOf = (edges: { node: { slug: string } }[]) => edges.map((e) => e.node.slug);

  it('lists published posts newest first, without drafts or scheduled posts', async () => {
    const { data, error } = await server.client.query(FeedDocument, {}).toPromise();
    expect(error).toBeUndefined();
    expect(slugsOf(data!.posts.edges)).toEqual(['zebra', 'kanji', 'tuning', 'first-steps']);
    expect(data!.posts.totalCount).toBe(4);
    expect(data!.posts.pageInfo.hasNextPage).toBe(false);
    const kanji = data!.posts.edges[1].node;
    expect(kanji.title).toBe('液浸冷却の可能性とは？');
    expect(kanji.publishedAt).toBe('2024-03-05T00:00:00.000Z');
    expect(kanji.author.name).toBe('田中 花子');
    expect(kanji.tags.map((t) => t.name)).toEqual(['冷却', 'データセンター']);
    expect(kanji.categories.map((c) => c.name)).toEqual(['インフラ']);
    expect(kanji.url).toBe('/posts/kanji');
    expect(kanji.language).toBe('ja');
  });

  it('stores a date with an offset as its UTC instant', async () => {
    const { data } = await server.client.query(ArticleDocument, { slug: 'first-steps' }).toPromise();
    // 2024-01-10 09:00:00 +0900 is midnight UTC.
    expect(data!.post!.publishedAt).toBe('2024-01-10T00:00:00.000Z');
  });

  it('pages forwards and backwards with cursors', async () => {
    const first = await server.client.query(FeedSlugsDocument, { first: 3 }).toPromise();
    expect(slugsOf(first.data!.posts.edges)).toEqual(PUBLISHED.slice(0, 3));
    expect(first.data!.posts.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const next = await server.client.query(FeedSlugsDocument, { first: 3, after: first.data!.posts.pageInfo.endCursor }).toPromise();
    expect(slugsOf(next.data!.posts.edges)).toEqual(PUBLISHED.slice(3));
    expect(next.data!.posts.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    const back = await server.client.query(FeedSlugsDocument, { last: 2, before: next.data!.posts.pageInfo.startCursor }).toPromise();
    expect(slugsOf(back.data!.posts.edges)).toEqual(PUBLISHED.slice(1, 3));
    expect(back.data!.posts.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: true });
    const last = await server.client.query(FeedSlugsDocument, { last: 1 }).toPromise();
    expect(slugsOf(last.data!.posts.edges)).toEqual(['first-steps']);
  });

  it('orders oldest first and by title', async () => {
    const oldest = await server.client.query(FeedSlugsDocument, { orderBy: 'OLDEST' }).toPromise();
    expect(slugsOf(oldest.data!.posts.edges)).toEqual([...PUBLISHED].reverse());
    const byTitle = await server.client.query(FeedSlugsDocument, { orderBy: 'TITLE', first: 2 }).toPromise();
    expect(byTitle.data!.posts.edges.map((e) => e.node.title)).toEqual(['First steps with Kiji', 'Tuning the feed']);
    const rest = await server.client.query(FeedSlugsDocument, { orderBy: 'TITLE', after: byTitle.data!.posts.pageInfo.endCursor }).toPromise();
    expect(rest.data!.posts.edges.map((e) => e.node.title)).toEqual(['Zebra crossings and APIs', '液浸冷却の可能性とは？']);
  });

  it('filters by tag, all of several tags, category, author and dates', async () => {
    const feed = async (filter: object) => slugsOf((await server.client.query(FeedSlugsDocument, { filter }).toPromise()).data!.posts.edges);
    expect(await feed({ tag: 'graphql' })).toEqual(['tuning', 'first-steps']);
    expect(await feed({ tags: ['graphql', 'intro'] })).toEqual(['first-steps']);
    expect(await feed({ category: 'guides' })).toEqual(['tuning', 'first-steps']);
    expect(await feed({ category: 'インフラ' })).toEqual(['kanji']);
    expect(await feed({ author: 'dirtyf' })).toEqual(['tuning', 'first-steps']);
    expect(await feed({ publishedAfter: '2024-02-01T00:00:00Z', publishedBefore: '2024-04-01T00:00:00Z' })).toEqual(['kanji', 'tuning']);
    expect(await feed({ tag: 'no-such-tag' })).toEqual([]);
  });

  it('merges authors that differ only in case and lists their posts', async () => {
    const { data } = await server.client.query(AuthorPageDocument, { slug: 'dirtyf' }).toPromise();
    expect(data!.author).toMatchObject({ slug: 'dirtyf', name: 'dirtyf', postCount: 2 });
    expect(data!.author!.posts.edges.map((e) => e.node.slug)).toEqual(['tuning', 'first-steps']);
    const second = await server.client.query(AuthorPageDocument, { slug: 'dirtyf', first: 1 }).toPromise();
    expect(second.data!.author!.posts.pageInfo.hasNextPage).toBe(true);
    const rest = await server.client.query(AuthorPageDocument, { slug: 'dirtyf', first: 1, after: second.data!.author!.posts.pageInfo.endCursor }).toPromise();
    expect(rest.data!.author!.posts.edges.map((e) => e.node.slug)).toEqual(['first-steps']);
  });

  it('serves tag and category pages with counts of visible posts only', async () => {
    const intro = await server.client.query(TagPageDocument, { slug: 'intro' }).toPromise();
    // The scheduled post also carries Intro, but it is not visible yet.
    expect(intro.data!.tag).toMatchObject({ name: 'Intro', postCount: 2 });
    const essays = await server.client.query(CategoryPageDocument, { slug: 'essays' }).toPromise();
    expect(essays.data!.category!.posts.edges.map((e) => e.node.slug)).toEqual(['zebra']);
    const tags = await server.client.query(TagListDocument, { first: 100 }).toPromise();
    const names = tags.data!.tags.edges.map((e) => e.node.name);
    expect(names).not.toContain('DraftOnlyTag');
    expect(names).toEqual(expect.arrayContaining(['GraphQL', 'Intro', 'Performance', '冷却', 'データセンター']));
    expect(tags.data!.tags.totalCount).toBe(names.length);
    const categories = await server.client.query(CategoryListDocument, {}).toPromise();
    expect(categories.data!.categories.edges.map((e) => [e.node.slug, e.node.postCount])).toEqual([
      ['essays', 1],
      ['guides', 2],
      ['インフラ', 1],
    ]);
  });

  it('finds a post by slug, by ID and through node(id), and hides drafts as if absent', async () => {
    const bySlug = await server.client.query(ArticleDocument, { slug: 'first-steps' }).toPromise();
    const post = bySlug.data!.post!;
    expect(post.status).toBe('PUBLISHED');
    const byId = await server.client.query(ArticleDocument, { id: post.id }).toPromise();
    expect(byId.data!.post!.slug).toBe('first-steps');
    const node = await server.client.query(NodeByIdDocument, { id: post.author.id }).toPromise();
    expect(node.data!.node).toMatchObject({ __typename: 'Author', slug: 'dirtyf' });
    for (const slug of ['secret-draft', 'future']) {
      const hidden = await server.client.query(ArticleDocument, { slug }).toPromise();
      expect(hidden.error).toBeUndefined();
      expect(hidden.data!.post).toBeNull();
    }
  });

  it('renders Markdown to sanitized HTML with a heading outline', async () => {
    const { data } = await server.client.query(ArticleDocument, { slug: 'first-steps' }).toPromise();
    const post = data!.post!;
    expect(post.bodyHtml).toContain('<strong>Markdown</strong>');
    expect(post.bodyHtml).not.toMatch(/<script|javascript:|onerror/i);
    expect(post.headings).toEqual([{ level: 2, text: 'Why Kiji', anchor: 'why-kiji' }]);
    expect(post.bodyHtml).toContain('id="why-kiji"');
    expect(post.readingTimeMinutes).toBeGreaterThanOrEqual(1);
    expect(post.excerpt.length).toBeGreaterThan(0);
    const kanji = await server.client.query(ArticleDocument, { slug: 'kanji' }).toPromise();
    const excerpt = kanji.data!.post!.excerpt;
    expect(excerpt.startsWith('液浸冷却はデータセンターの消費電力を下げる技術です。今後の普及が期待されます。')).toBe(true);
    expect(excerpt).toMatch(/。$/);
    expect(excerpt.length).toBeLessThan(160);
    expect(kanji.data!.post!.headings).toEqual([{ level: 3, text: '仕組み', anchor: '仕組み' }]);
  });

  it('shows a scheduled post once its time has come, with no job to run', async () => {
    server.clock.set(new Date('2030-01-02T00:00:00Z'));
    try {
      const { data } = await server.client.query(FeedSlugsDocument, { first: 1 }).toPromise();
      expect(slugsOf(data!.posts.edges)).toEqual(['future']);
    } finally {
      server.clock.set(new Date('2026-06-01T00:00:00Z'));
    }
  });
});
