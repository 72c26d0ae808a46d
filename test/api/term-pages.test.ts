import { TermPages1765300000000 } from '../../migrations/1765300000000-TermPages';
import { SAMPLE_CONTENT_DIR } from '../../src/paths';
import { graphqlPost } from '../support/clients';
import { describeEachDatabase } from '../support/databases';
import { startTestServer, TEST_NOW, TestServer } from '../support/server';

/*
 * A tag's, author's or category's page reads its posts from the links' listing index and its
 * post count from a count the writes keep (issue 16). What a reader sees must be what the general
 * post list says about the same term (`posts(filter: { tag })`, which reads the posts themselves):
 * the same posts in the same order, page by page in both directions, the same count, through
 * every kind of write, the clock reaching a scheduled post, and the migration's backfill.
 */

type Kind = 'tag' | 'author' | 'category';
type Order = 'NEWEST' | 'OLDEST';

interface Connection {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  edges: { node: { slug: string } }[];
}

const DAY = 86_400_000;
const daysAgo = (n: number) => new Date(TEST_NOW.getTime() - n * DAY).toISOString();
const PUBLISH = 'mutation($id: ID!, $at: DateTime) { r: publishPost(id: $id, at: $at) { id version } }';
const UNPUBLISH = 'mutation($id: ID!, $v: Int!) { r: unpublishPost(id: $id, expectedVersion: $v) { id version } }';
const DELETE = 'mutation($id: ID!, $v: Int!) { r: deletePost(id: $id, expectedVersion: $v) { id version } }';
const RESTORE = 'mutation($id: ID!) { r: restorePost(id: $id) { id version } }';
const MOVE =
  'mutation($id: ID!, $v: Int!, $at: DateTime) { r: updatePost(id: $id, expectedVersion: $v, input: { tags: ["rare"], author: "Bob", categories: ["notes"], publishedAt: $at }) { id version } }';
const CONNECTION = 'totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { node { slug } }';

describeEachDatabase('term pages', (dbKind) => {
  let server: TestServer;
  let editor: string;
  /** Posts by title: their id and the version an editor's next write names. */
  const posts = new Map<string, { id: string; version: number }>();

  const gql = <T>(query: string, variables: object = {}, key?: string) => graphqlPost<T>(server.url, query, variables, key);

  /** An editor's write to the post `title` (`$id`, and `$v` its version); keeps its new version. */
  async function write(title: string, mutation: string, variables: object = {}): Promise<void> {
    const { id, version } = posts.get(title)!;
    const data = await gql<{ r: { id: string; version: number } }>(mutation, { id, v: version, ...variables }, editor);
    posts.set(title, data.r);
  }

  /** A post by `author` with these tags and categories: a draft, or published at `at` (in the future: scheduled). */
  async function post(title: string, options: { tags?: string[]; author?: string; categories?: string[]; at?: string } = {}): Promise<void> {
    const input = { title, bodyMarkdown: `Body of ${title}.`, author: options.author ?? 'Ann', tags: options.tags ?? ['busy'], categories: options.categories ?? ['news'] };
    const created = await gql<{ createPost: { id: string; version: number } }>('mutation($input: PostInput!) { createPost(input: $input) { id version } }', { input }, editor);
    posts.set(title, created.createPost);
    if (options.at) await write(title, PUBLISH, { at: options.at });
  }

  /** The term's page: its count, and one page of its posts. */
  async function termPage(kind: Kind, slug: string, order: Order, page: { first?: number; after?: string; last?: number; before?: string }) {
    const data = await gql<Record<Kind, { postCount: number; posts: Connection } | null>>(
      `query($slug: String!, $order: PostOrder!, $first: Int, $after: String, $last: Int, $before: String) {
        ${kind}(slug: $slug) { postCount posts(orderBy: $order, first: $first, after: $after, last: $last, before: $before) { ${CONNECTION} } } }`,
      { slug, order, ...page },
    );
    return data[kind];
  }

  /** What the general post list (filtered by the term) says: every post, in order, and the count. */
  async function expected(kind: Kind, slug: string, order: Order): Promise<{ slugs: string[]; count: number }> {
    const data = await gql<{ posts: Connection }>(
      `query($filter: PostFilter!, $order: PostOrder!) { posts(first: 100, filter: $filter, orderBy: $order) { ${CONNECTION} } }`,
      {
        filter: { [kind]: slug },
        order,
      },
    );
    return { slugs: data.posts.edges.map((e) => e.node.slug), count: data.posts.totalCount };
  }

  /** The term's page agrees with the post list: whole and (`paged`) page by page forwards and backwards, in both orders. */
  /** A term page's slugs, three posts a page, read from the first page on (`after`) or from the last back (`before`). */
  async function pageThrough(kind: Kind, slug: string, order: Order, direction: 'forwards' | 'backwards'): Promise<string[]> {
    const slugs: string[] = [];
    let cursor: string | undefined;
    for (;;) {
      const args = direction === 'forwards' ? { first: 3, after: cursor } : { last: 3, before: cursor };
      const page = (await termPage(kind, slug, order, args))!.posts;
      const read = page.edges.map((e) => e.node.slug);
      if (direction === 'forwards') slugs.push(...read);
      else slugs.unshift(...read);
      const more = direction === 'forwards' ? page.pageInfo.hasNextPage : page.pageInfo.hasPreviousPage;
      if (!more) return slugs;
      cursor = (direction === 'forwards' ? page.pageInfo.endCursor : page.pageInfo.startCursor)!;
    }
  }

  async function expectAgreement(kind: Kind, slug: string, paged: boolean): Promise<number> {
    let count = 0;
    for (const order of ['NEWEST', 'OLDEST'] as const) {
      const want = await expected(kind, slug, order);
      count = want.count;
      const whole = await termPage(kind, slug, order, { first: 100 });
      if (want.count === 0) {
        expect(whole).toBeNull();
        continue;
      }
      expect(whole!.postCount).toBe(want.count);
      expect(whole!.posts.totalCount).toBe(want.count);
      expect(whole!.posts.edges.map((e) => e.node.slug)).toEqual(want.slugs);
      if (!paged) continue;

      expect(await pageThrough(kind, slug, order, 'forwards')).toEqual(want.slugs);
      expect(await pageThrough(kind, slug, order, 'backwards')).toEqual(want.slugs);
    }
    return count;
  }

  /** Every term the posts of this file use, on its page; page by page too for the busy tag, or (`paged`) for all. */
  async function expectAllAgree(paged = false): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const [kind, slug] of [
      ['tag', 'busy'],
      ['tag', 'rare'],
      ['tag', 'hidden'],
      ['author', 'ann'],
      ['author', 'bob'],
      ['category', 'news'],
      ['category', 'notes'],
    ] as const)
      counts[`${kind}:${slug}`] = await expectAgreement(kind, slug, paged || slug === 'busy');
    return counts;
  }

  beforeAll(async () => {
    server = await startTestServer(dbKind, { responseCache: 'off' });
    editor = (await server.services.keys.create('editor', 'term pages')).secret;
    for (let i = 1; i <= 9; i++) await post(`Busy ${i}`, { at: daysAgo(i), author: i % 3 ? 'Ann' : 'Bob', categories: i % 2 ? ['news'] : ['news', 'notes'] });
    // Three posts at the same instant: ties are broken by id, as the cursors expect.
    for (let i = 1; i <= 3; i++) await post(`Tied ${i}`, { at: daysAgo(20), tags: ['busy', 'rare'] });
    await post('Draft on busy', { tags: ['busy', 'hidden'] });
    await post('Scheduled on busy', { at: new Date(TEST_NOW.getTime() + 2 * DAY).toISOString(), author: 'Bob' });
    await post('Deleted on busy', { at: daysAgo(3) });
    await write('Deleted on busy', DELETE);
  }, 180_000);
  afterAll(() => server?.stop());

  it('lists and counts what the post list lists: published posts only, ties in id order, in both orders and directions', async () => {
    const counts = await expectAllAgree(true);
    expect(counts).toEqual({ 'tag:busy': 12, 'tag:rare': 3, 'tag:hidden': 0, 'author:ann': 9, 'author:bob': 3, 'category:news': 12, 'category:notes': 4 });
  }, 180_000);

  it('lists several terms in one request, each its own page and count', async () => {
    const data = await gql<{ tags: { edges: { node: { slug: string; postCount: number; posts: Connection } }[] } }>(
      `{ tags(first: 10) { edges { node { slug postCount posts(first: 2) { ${CONNECTION} } } } } }`,
    );
    const bySlug = new Map(data.tags.edges.map((e) => [e.node.slug, e.node]));
    expect([...bySlug.keys()].sort()).toEqual(['busy', 'rare']);
    for (const [slug, node] of bySlug) {
      const want = await expected('tag', slug, 'NEWEST');
      expect(node.postCount).toBe(want.count);
      expect(node.posts.edges.map((e) => e.node.slug)).toEqual(want.slugs.slice(0, 2));
      expect(node.posts.pageInfo.hasNextPage).toBe(true);
    }
  });

  it('follows every write: unpublish, delete, restore, retag, publish, and the clock reaching a scheduled post', async () => {
    await write('Busy 2', UNPUBLISH);
    expect((await expectAllAgree())['tag:busy']).toBe(11);

    await write('Busy 4', DELETE);
    await write('Deleted on busy', RESTORE);
    expect((await expectAllAgree())['tag:busy']).toBe(11);

    // Moved from busy to rare (and to another author, another category), and published later than before.
    await write('Busy 5', MOVE, { at: daysAgo(0.5) });
    let counts = await expectAllAgree();
    expect(counts['tag:busy']).toBe(10);
    expect(counts['tag:rare']).toBe(4);

    // The draft carrying the hidden tag is published: the tag appears, with its post.
    await write('Draft on busy', PUBLISH);
    counts = await expectAllAgree();
    expect(counts['tag:hidden']).toBe(1);
    expect(counts['tag:busy']).toBe(11);

    // No write at all: the scheduled post's time comes.
    server.clock.set(new Date(TEST_NOW.getTime() + 3 * DAY));
    try {
      counts = await expectAllAgree(true);
      expect(counts['tag:busy']).toBe(12);
      expect(counts['author:bob']).toBe(5);
    } finally {
      server.clock.set(TEST_NOW);
    }
  }, 240_000);

  it('lists and counts what an import wrote as it does what editors wrote', async () => {
    expect((await server.importPaths([SAMPLE_CONTENT_DIR])).failed).toEqual([]);
    const data = await gql<Record<'tags' | 'authors' | 'categories', { edges: { node: { slug: string; postCount: number } }[] }>>(
      '{ tags(first: 100) { edges { node { slug postCount } } } authors(first: 100) { edges { node { slug postCount } } } categories(first: 100) { edges { node { slug postCount } } } }',
    );
    const kinds = { tags: 'tag', authors: 'author', categories: 'category' } as const;
    for (const [plural, kind] of Object.entries(kinds) as [keyof typeof kinds, Kind][]) {
      expect(data[plural].edges.length).toBeGreaterThan(1);
      for (const { node } of data[plural].edges) expect(node.postCount).toBe((await expected(kind, node.slug, 'NEWEST')).count);
    }
  }, 180_000);

  it("the migration's backfill lists and counts what the writes listed and counted", async () => {
    const before = await expectAllAgree();
    const runner = server.dataSource.createQueryRunner();
    // As the migration runner runs it (on SQLite, with foreign keys off while tables are rebuilt).
    await runner.beforeMigration();
    try {
      await new TermPages1765300000000().down(runner);
      await new TermPages1765300000000().up(runner);
    } finally {
      await runner.afterMigration();
      await runner.release();
    }
    expect(await expectAllAgree()).toEqual(before);
  }, 180_000);
});

describeEachDatabase('term pages of hundreds of terms in one request', (dbKind) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(dbKind, { responseCache: 'off' });
    const editor = (await server.services.keys.create('editor', 'many terms')).secret;
    // 11 posts of 50 tags each (the most a post takes): 550 tags, more than SQLite's 500 arms of a UNION ALL.
    for (let p = 0; p < 11; p++) {
      const tags = Array.from({ length: 50 }, (_, i) => `t${String(p * 50 + i).padStart(3, '0')}`);
      const input = { title: `Many ${p}`, bodyMarkdown: 'Body.', author: 'Ann', tags };
      const created = await graphqlPost<{ createPost: { id: string } }>(server.url, 'mutation($input: PostInput!) { createPost(input: $input) { id } }', { input }, editor);
      await graphqlPost(server.url, PUBLISH, { id: created.createPost.id, at: daysAgo(p + 1) }, editor);
    }
  }, 180_000);
  afterAll(() => server?.stop());

  it('answers the posts of every tag of six pages of 100 tags, each its own', async () => {
    const cursors: (string | null)[] = [null];
    for (let i = 0; i < 5; i++) {
      const page = await graphqlPost<{ tags: { pageInfo: { endCursor: string } } }>(
        server.url,
        'query($after: String) { tags(first: 100, after: $after) { pageInfo { endCursor } } }',
        {
          after: cursors[i],
        },
      );
      cursors.push(page.tags.pageInfo.endCursor);
    }
    const aliases = cursors.map((_, i) => `p${i}: tags(first: 100, after: $c${i}) { edges { node { slug posts(first: 1) { edges { node { slug } } } } } }`);
    const variables = Object.fromEntries(cursors.map((c, i) => [`c${i}`, c]));
    const data = await graphqlPost<Record<string, { edges: { node: { slug: string; posts: { edges: { node: { slug: string } }[] } } }[] }>>(
      server.url,
      `query(${cursors.map((_, i) => `$c${i}: String`).join(', ')}) { ${aliases.join(' ')} }`,
      variables,
    );
    const nodes = Object.values(data).flatMap((page) => page.edges.map((e) => e.node));
    expect(nodes).toHaveLength(550);
    for (const node of nodes) {
      const n = Number(node.slug.slice(1));
      expect(node.posts.edges.map((e) => e.node.slug)).toEqual([`many-${Math.floor(n / 50)}`]);
    }
  }, 180_000);
});
