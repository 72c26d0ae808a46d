import { contentGeneration } from '../../src/services/cache';
import { describeEachDatabase } from '../support/databases';
import { writeFixtureFolder } from '../support/fixtures';
import { startTestServer, TestServer } from '../support/server';

const SITE = 'https://blog.example.com';

/** A small Jekyll site: author profiles in `_data/authors.yml`, posts naming their authors by handle. */
const FIXTURE: Record<string, string> = {
  '_config.yml': 'title: Profiles\n',
  '_data/authors.yml': [
    'dirtyf:',
    '  name: Frank Taillandier',
    '  bio: Keeps Jekyll going.',
    '  avatar: /img/dirtyf.jpg',
    '  url: https://dirtyf.example',
    '  twitter: "@DirtyF"',
    '  github: DirtyF',
    'parkr:',
    '  name: Parker Moore',
    '  avatar: "javascript:alert(1)"',
    'ghost: [1, 2]',
    '',
  ].join('\n'),
  '_posts/2024-01-10-first.md': '---\ntitle: First\ndate: 2024-01-10\nauthor: dirtyf\ntags: [GraphQL]\ncategories: [guides]\n---\n\nThe first post.\n',
  '_posts/2024-02-01-second.md': '---\ntitle: Second\ndate: 2024-02-01\nauthors: [parkr, DirtyF]\ntags: [GraphQL, Performance]\n---\n\nThe second post.\n',
};

interface Answer<T = unknown> {
  data?: T;
  errors?: { message: string; extensions: Record<string, unknown> }[];
}

interface AuthorView {
  slug: string;
  name: string;
  bio: string | null;
  avatarUrl: string | null;
  url: string;
  links: { kind: string; url: string }[];
  seo: { title: string; description: string; canonicalUrl: string; ogImage: string | null; noindex: boolean };
  postCount: number;
}
type PostsView = { posts: { edges: { node: { slug: string } & Record<string, unknown> }[] } };

describeEachDatabase('author profiles, tag and category descriptions', (kind) => {
  let server: TestServer;
  let site: string;
  const keys = {} as Record<'reader' | 'editor', string>;

  /** A POST as an app sends it; the answer and whether the response cache served it. */
  async function send<T = Record<string, Record<string, unknown>>>(query: string, variables: object = {}, key?: string): Promise<Answer<T> & { cache: string | null }> {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return { ...((await response.json()) as Answer<T>), cache: response.headers.get('x-kiji-cache') };
  }

  /** What anonymous readers get once the response cache holds the answer. */
  async function cached<T>(query: string, variables: object = {}): Promise<Answer<T>> {
    for (let attempt = 0; ; attempt += 1) {
      const answer = await send<T>(query, variables);
      if (answer.cache === 'hit' || attempt === 40) {
        expect(answer.cache).toBe('hit');
        return answer;
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  const code = (answer: Answer) => answer.errors?.[0]?.extensions.code;

  beforeAll(async () => {
    server = await startTestServer(kind, { site: { siteUrl: SITE } });
    site = writeFixtureFolder(FIXTURE);
    const summary = await server.importPaths([site]);
    expect(summary.failed).toEqual([]);
    expect(summary.imported).toBe(2);
    expect(summary.warnings.map((w) => [w.file.endsWith('_data/authors.yml'), w.line, w.code])).toEqual([
      [true, 10, 'AUTHOR_URL'],
      [true, 11, 'AUTHOR_ENTRY'],
    ]);
    for (const role of ['reader', 'editor'] as const) keys[role] = (await server.services.keys.create(role, `${role} key`)).secret;
  });
  afterAll(() => server?.stop());

  const AUTHOR = `query Author($slug: String!) {
    author(slug: $slug) { slug name bio avatarUrl url links { kind url } seo { title description canonicalUrl ogImage noindex } postCount }
  }`;

  it("shows the profile of the site's _data/authors.yml on the posts that name the author by handle", async () => {
    const answer = await send<{ post: { authors: Partial<AuthorView>[] } }>(`{ post(slug: "second") { authors { slug name bio avatarUrl url links { kind url } } } }`);
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.post.authors).toEqual([
      { slug: 'parkr', name: 'Parker Moore', bio: null, avatarUrl: null, url: `${SITE}/authors/parkr`, links: [] },
      {
        slug: 'dirtyf',
        name: 'Frank Taillandier',
        bio: 'Keeps Jekyll going.',
        avatarUrl: `${SITE}/img/dirtyf.jpg`,
        url: `${SITE}/authors/dirtyf`,
        links: [
          { kind: 'website', url: 'https://dirtyf.example' },
          { kind: 'twitter', url: 'https://twitter.com/DirtyF' },
          { kind: 'github', url: 'https://github.com/DirtyF' },
        ],
      },
    ]);
    const author = await send<{ author: AuthorView }>(AUTHOR, { slug: 'dirtyf' });
    expect(author.data!.author.seo).toEqual({
      title: 'Frank Taillandier',
      description: 'Keeps Jekyll going.',
      canonicalUrl: `${SITE}/authors/dirtyf`,
      ogImage: `${SITE}/img/dirtyf.jpg`,
      noindex: false,
    });
    expect(author.data!.author.postCount).toBe(2);
  });

  it('gives tags and categories their page and SEO, with no description until an editor writes one', async () => {
    const answer = await send(`{ tag(slug: "graphql") { description url seo { title description canonicalUrl ogImage noindex } }
      category(slug: "guides") { description url seo { title canonicalUrl } } }`);
    expect(answer.data).toEqual({
      tag: { description: null, url: `${SITE}/tags/graphql`, seo: { title: 'GraphQL', description: '', canonicalUrl: `${SITE}/tags/graphql`, ogImage: null, noindex: false } },
      category: { description: null, url: `${SITE}/categories/guides`, seo: { title: 'guides', canonicalUrl: `${SITE}/categories/guides` } },
    });
  });

  it('writes nothing when the same site is imported again, and keeps what the file does not say', async () => {
    const set = await send<{ updateAuthor: AuthorView }>(`mutation { updateAuthor(slug: "parkr", input: { avatarUrl: "/img/parkr.png" }) { avatarUrl } }`, {}, keys.editor);
    expect(set.data!.updateAuthor.avatarUrl).toBe(`${SITE}/img/parkr.png`);
    const before = await contentGeneration(server.dataSource.manager);
    const again = await server.importPaths([site]);
    expect([again.imported, again.updated, again.unchanged]).toEqual([0, 0, 2]);
    expect(await contentGeneration(server.dataSource.manager)).toBe(before);
    expect((await send<{ author: AuthorView }>(AUTHOR, { slug: 'parkr' })).data!.author.avatarUrl).toBe(`${SITE}/img/parkr.png`);
  });

  it("shows anonymous readers an editor's change at once, though the response cache held the old answer", async () => {
    const feed = '{ posts(first: 5) { edges { node { slug author { name bio } tags { slug name description } categories { description } } } } }';
    expect((await cached<{ author: AuthorView }>(AUTHOR, { slug: 'dirtyf' })).data!.author.bio).toBe('Keeps Jekyll going.');
    await cached(feed);

    const author = await send(
      `mutation { updateAuthor(slug: "dirtyf", input: { name: "Frank T.", bio: "Now writes Go.", links: [{ kind: "mastodon", url: "https://hachyderm.io/@dirtyf" }] }) {
        slug name bio links { kind url } } }`,
      {},
      keys.editor,
    );
    expect(author.errors).toBeUndefined();
    expect(author.data!.updateAuthor).toEqual({ slug: 'dirtyf', name: 'Frank T.', bio: 'Now writes Go.', links: [{ kind: 'mastodon', url: 'https://hachyderm.io/@dirtyf' }] });
    const tag = await send(`mutation { updateTag(slug: "graphql", input: { description: "Queries and schemas." }) { description } }`, {}, keys.editor);
    expect(tag.data!.updateTag.description).toBe('Queries and schemas.');
    const { id } = (await send('{ category(slug: "guides") { id } }')).data!.category;
    const category = await send('mutation($id: ID!) { updateCategory(id: $id, input: { description: "How-tos." }) { slug description } }', { id }, keys.editor);
    expect(category.data!.updateCategory).toEqual({ slug: 'guides', description: 'How-tos.' });

    const profile = await send<{ author: AuthorView }>(AUTHOR, { slug: 'dirtyf' });
    expect(profile.cache).not.toBe('hit');
    expect(profile.data!.author).toMatchObject({
      name: 'Frank T.',
      bio: 'Now writes Go.',
      avatarUrl: `${SITE}/img/dirtyf.jpg`,
      seo: { title: 'Frank T.', description: 'Now writes Go.' },
    });
    const first = (await send<PostsView>(feed)).data!.posts.edges.find((e) => e.node.slug === 'first')?.node;
    expect(first).toEqual({
      slug: 'first',
      author: { name: 'Frank T.', bio: 'Now writes Go.' },
      tags: [{ slug: 'graphql', name: 'GraphQL', description: 'Queries and schemas.' }],
      categories: [{ description: 'How-tos.' }],
    });
  });

  it('clears bio, avatar and links with null, and finds posts by the new name of a renamed tag', async () => {
    const cleared = await send(
      `mutation { updateAuthor(slug: "dirtyf", input: { bio: null, avatarUrl: null, links: null }) { name bio avatarUrl links { url } seo { ogImage } } }`,
      {},
      keys.editor,
    );
    expect(cleared.data!.updateAuthor).toEqual({ name: 'Frank T.', bio: null, avatarUrl: null, links: [], seo: { ogImage: null } });
    const renamed = await send(`mutation { updateTag(slug: "performance", input: { name: "Speedups" }) { slug name } }`, {}, keys.editor);
    expect(renamed.data!.updateTag).toEqual({ slug: 'performance', name: 'Speedups' });
    const search = (query: string) => send<PostsView>('query($q: String!) { posts(filter: { query: $q }) { edges { node { slug } } } }', { q: query });
    expect((await search('speedups')).data!.posts.edges.map((e) => e.node.slug)).toEqual(['second']);
    expect((await search('performance')).data!.posts.edges).toEqual([]);
  });

  it('refuses anonymous callers (UNAUTHENTICATED) and reader keys (FORBIDDEN), and changes nothing', async () => {
    const mutations = [
      'mutation { updateAuthor(slug: "parkr", input: { bio: "x" }) { bio } }',
      'mutation { updateTag(slug: "graphql", input: { description: "x" }) { description } }',
      'mutation { updateCategory(slug: "guides", input: { name: "x" }) { name } }',
    ];
    for (const mutation of mutations) {
      expect(code(await send(mutation))).toBe('UNAUTHENTICATED');
      expect(code(await send(mutation, {}, keys.reader))).toBe('FORBIDDEN');
    }
    const now = await send('{ author(slug: "parkr") { bio } tag(slug: "graphql") { description } category(slug: "guides") { name } }');
    expect(now.data).toEqual({ author: { bio: null }, tag: { description: 'Queries and schemas.' }, category: { name: 'guides' } });
  });

  it('refuses bad input naming the field and its limit, and unknown terms with NOT_FOUND, before anything is written', async () => {
    const before = await contentGeneration(server.dataSource.manager);
    const refused = async (mutation: string, variables: object = {}) => {
      const answer = await send(mutation, variables, keys.editor);
      expect(code(answer)).toBe('BAD_USER_INPUT');
      return answer.errors![0];
    };
    const author = 'mutation($input: AuthorInput!) { updateAuthor(slug: "parkr", input: $input) { name } }';
    const term = 'mutation($input: TermInput!) { updateTag(slug: "graphql", input: $input) { name } }';
    const cases: [string, object, string, number | undefined][] = [
      [author, { name: '  ' }, 'input.name', 200],
      [author, { name: null }, 'input.name', undefined],
      [author, { name: 'n'.repeat(201) }, 'input.name', 200],
      [author, { bio: 'b'.repeat(5001) }, 'input.bio', 5000],
      [author, { avatarUrl: 'javascript:alert(1)' }, 'input.avatarUrl', 2000],
      [author, { avatarUrl: `https://a.example/${'a'.repeat(2000)}` }, 'input.avatarUrl', 2000],
      [author, { links: Array.from({ length: 21 }, (_, i) => ({ kind: 'website', url: `https://a.example/${i}` })) }, 'input.links', 20],
      [
        author,
        {
          links: [
            { kind: 'website', url: 'https://ok.example' },
            { kind: 'blog', url: 'ftp://a.example' },
          ],
        },
        'input.links[1].url',
        2000,
      ],
      [author, { links: [{ kind: 'Not a word!', url: 'https://a.example' }] }, 'input.links[0].kind', 30],
      [term, { description: 'd'.repeat(5001) }, 'input.description', 5000],
      [term, { name: null }, 'input.name', undefined],
    ];
    for (const [mutation, input, field, limit] of cases) {
      const error = await refused(mutation, { input });
      expect(error.extensions.field).toBe(field);
      expect(error.message).toContain(field);
      if (limit) expect(error.extensions.limit).toBe(limit);
    }
    expect(code(await send('mutation { updateAuthor(slug: "nobody", input: { bio: "x" }) { name } }', {}, keys.editor))).toBe('NOT_FOUND');
    const tagId = (await send('{ tag(slug: "graphql") { id } }')).data!.tag.id;
    expect((await refused('mutation($id: ID!) { updateAuthor(id: $id, input: { bio: "x" }) { name } }', { id: tagId })).extensions.argument).toBe('id');
    expect((await refused('mutation { updateTag(input: { name: "x" }) { name } }')).extensions.argument).toBe('slug');
    expect(await contentGeneration(server.dataSource.manager)).toBe(before);
  });
});
