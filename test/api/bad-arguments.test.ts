import crypto from 'node:crypto';
import { SAMPLE_CONTENT_DIR } from '../../src/paths';
import { encodeCursor } from '../../src/services/shared/cursor';
import { describeEachDatabase } from '../support/databases';
import { anyNumber } from '../support/matchers';
import { startTestServer, TestServer } from '../support/server';

/*
 * Argument values a hostile or careless client sends: NUL bytes, IDs and cursors out of the
 * database's integer range, wrong persisted-query hashes, a slug raced by 20 writers. Each is a
 * client error with a code (and the argument named), the same on SQLite and PostgreSQL, never
 * INTERNAL_SERVER_ERROR.
 */

type Answer = { status: number; body: { data?: Record<string, unknown> | null; errors?: { message: string; extensions: Record<string, unknown> }[] } };

const NUL = '\u0000';
const globalId = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

describeEachDatabase('bad argument values', (kind) => {
  let server: TestServer;
  let editorKey: string;

  beforeAll(async () => {
    // Answers go through Apollo every time: the response cache has its own tests.
    server = await startTestServer(kind, { responseCache: 'off' });
    expect((await server.importPaths([SAMPLE_CONTENT_DIR])).failed).toEqual([]);
    editorKey = (await server.services.keys.create('editor', 'bad arguments')).secret;
  });
  afterAll(() => server?.stop());

  async function ask(body: object, key?: string): Promise<Answer> {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
      body: JSON.stringify(body),
    });
    expect(response.headers.get('content-type')).toMatch(/json/);
    return { status: response.status, body: (await response.json()) as Answer['body'] };
  }

  /** The one error of an answer, which must be a client error naming `field`. */
  function expectRefused(answer: Answer, field: string, code = 'BAD_USER_INPUT') {
    expect(answer.body.errors).toHaveLength(1);
    const [error] = answer.body.errors!;
    expect(error.extensions).toMatchObject({ code, field });
    expect(error.message).toContain(field);
    return error;
  }

  /** How many posts are stored, whatever their status. */
  const stored = async () => {
    const answer = await ask({ query: '{ posts(filter: { status: [DRAFT, SCHEDULED, PUBLISHED, DELETED] }) { totalCount } }' }, editorKey);
    return (answer.body.data!.posts as { totalCount: number }).totalCount;
  };

  describe('NUL bytes', () => {
    it.each([
      ['post', 'post(slug: $v) { id }', 'String', 'slug'],
      ['tag', 'tag(slug: $v) { id }', 'String', 'slug'],
      ['author', 'author(slug: $v) { id }', 'String', 'slug'],
      ['category', 'category(slug: $v) { id }', 'String', 'slug'],
      ['filter.tag', 'posts(filter: { tag: $v }) { totalCount }', 'String', 'filter.tag'],
      ['filter.author', 'posts(filter: { author: $v }) { totalCount }', 'String', 'filter.author'],
      ['filter.category', 'posts(filter: { category: $v }) { totalCount }', 'String', 'filter.category'],
      ['filter.query', 'posts(filter: { query: $v }) { totalCount }', 'String', 'filter.query'],
    ])('refuses one in %s, naming the argument', async (_name, selection, type, field) => {
      expectRefused(await ask({ query: `query ($v: ${type}) { ${selection} }`, variables: { v: `vim${NUL}` } }), field);
    });

    it('refuses one in a list of tags, naming the entry', async () => {
      const answer = await ask({ query: 'query ($f: PostFilter) { posts(filter: $f) { totalCount } }', variables: { f: { tags: ['vim', `x${NUL}`] } } });
      expectRefused(answer, 'filter.tags[1]');
    });

    it('refuses one inside a cursor', async () => {
      const after = encodeCursor([`Vim${NUL}`, 1]);
      expectRefused(await ask({ query: `{ posts(first: 2, orderBy: TITLE, after: "${after}") { totalCount } }` }), 'after');
    });

    it.each([
      ['title', { title: `Title${NUL}` }],
      ['bodyMarkdown', { bodyMarkdown: `Body${NUL}` }],
      ['author', { author: `jane${NUL}` }],
      ['slug', { slug: `slug${NUL}x` }],
      ['tags[1]', { tags: ['fine', `bad${NUL}`] }],
      ['categories[0]', { categories: [`${NUL}`] }],
    ])('refuses one in input.%s of createPost and writes nothing', async (field, change) => {
      const before = await stored();
      const input = { title: 'NUL test', bodyMarkdown: 'Body.', author: 'jane', tags: ['nul'], ...change };
      const answer = await ask({ query: 'mutation ($i: PostInput!) { createPost(input: $i) { id } }', variables: { i: input } }, editorKey);
      expectRefused(answer, `input.${field}`);
      expect(await stored()).toBe(before);
    });

    it('refuses one in a file given to importMarkdown, and imports nothing', async () => {
      const before = await stored();
      const files = [{ path: '_posts/2024-01-01-nul.md', content: `---\ntitle: NUL\n---\n\nBody${NUL}.` }];
      const answer = await ask({ query: 'mutation ($f: [MarkdownFileInput!]!) { importMarkdown(files: $f) { imported } }', variables: { f: files } }, editorKey);
      expectRefused(answer, 'files[0].content');
      expect(await stored()).toBe(before);
    });

    it('refuses one in an updatePost patch', async () => {
      const answer = await ask(
        {
          query: 'mutation ($id: ID!, $p: PostPatch!) { updatePost(id: $id, expectedVersion: 1, input: $p) { id } }',
          variables: { id: globalId('Post:1'), p: { title: `x${NUL}` } },
        },
        editorKey,
      );
      expectRefused(answer, 'input.title');
    });
  });

  describe('IDs and cursors out of range', () => {
    it.each([
      ['Post:9999999999999999 in base64', globalId('Post:9999999999999999')],
      ['one past the largest row id', globalId('Post:2147483648')],
      ['a negative id', globalId('Post:-1')],
      ['a non-numeric id', globalId('Post:12abc')],
      ['the text Post:9999999999999999', 'Post:9999999999999999'],
      ['a 200-digit id', globalId(`Tag:${'9'.repeat(200)}`)],
    ])('post(id:) refuses %s, and node(id:) answers null for it', async (_name, id) => {
      expectRefused(await ask({ query: 'query ($id: ID) { post(id: $id) { id } }', variables: { id } }), 'id');
      // Relay refetches by node(id:) and expects null for an object it cannot have (node-ids.test.ts).
      expect((await ask({ query: 'query ($id: ID!) { node(id: $id) { id } }', variables: { id } })).body).toEqual({ data: { node: null } });
    });

    it('answers null for the largest row id, which could exist', async () => {
      const answer = await ask({ query: 'query ($id: ID!) { node(id: $id) { id } post(id: $id) { id } }', variables: { id: globalId('Post:2147483647') } });
      expect(answer.body).toEqual({ data: { node: null, post: null } });
    });

    it.each([
      ['post', 'Post'],
      ['tag', 'Tag'],
      ['author', 'Author'],
      ['category', 'Category'],
    ])('%s(id:) refuses an id out of range', async (field, type) => {
      const answer = await ask({ query: `query ($id: ID) { ${field}(id: $id) { id } }`, variables: { id: globalId(`${type}:99999999999`) } });
      expectRefused(answer, 'id');
    });

    it.each([
      ['a huge row id', encodeCursor(['2024-01-01T00:00:00.000Z', 1e20])],
      ['a row id past the integer range', encodeCursor(['2024-01-01T00:00:00.000Z', 2 ** 31])],
      ['a negative row id', encodeCursor(['2024-01-01T00:00:00.000Z', -3])],
      ['a fractional row id', encodeCursor(['2024-01-01T00:00:00.000Z', 1.5])],
    ])('posts(after:) refuses a cursor with %s', async (_name, after) => {
      expectRefused(await ask({ query: 'query ($a: String) { posts(first: 2, after: $a) { totalCount } }', variables: { a: after } }), 'after');
    });

    it('refuses a cursor far longer than any Kiji gives', async () => {
      const after = encodeCursor(['x'.repeat(75_000), 1]);
      expectRefused(await ask({ query: 'query ($a: String) { posts(first: 2, orderBy: TITLE, after: $a) { totalCount } }', variables: { a: after } }), 'after');
    });

    it('refuses such cursors on term lists and nested connections too', async () => {
      const huge = encodeCursor(['vim', 99999999999]);
      expectRefused(await ask({ query: `{ tags(first: 2, after: "${huge}") { totalCount } }` }), 'after');
      const nested = await ask({ query: `{ tag(slug: "vim") { posts(first: 1, before: "${encodeCursor(['2024-01-01T00:00:00.000Z', 2 ** 40])}") { totalCount } } }` });
      expect(nested.body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'before' });
    });

    it('updatePost refuses an id out of range before looking for it', async () => {
      const answer = await ask(
        { query: 'mutation ($id: ID!) { updatePost(id: $id, expectedVersion: 1, input: { title: "x" }) { id } }', variables: { id: globalId('Post:99999999999') } },
        editorKey,
      );
      expectRefused(answer, 'id');
    });
  });

  it.each(['tag(slug: "vim")', 'author(slug: "kenji-m")', 'category(slug: "ツール")'])(
    'refuses orderBy: RELEVANCE on the posts of %s, which has no search to rank by',
    async (parent) => {
      expectRefused(await ask({ query: `{ ${parent} { posts(orderBy: RELEVANCE) { totalCount } } }` }), 'orderBy');
    },
  );

  describe('null where an argument may not be null', () => {
    it.each([
      ['node(id:), through a variable with a default', 'query ($id: ID = "UG9zdDox") { node(id: $id) { id } }', { id: null }, 'id'],
      ['related(first:), which has a default', 'query ($n: Int) { post(slug: "vim-registers") { related(first: $n) { score } } }', { n: null }, 'first'],
    ])('is BAD_USER_INPUT naming the argument: %s', async (_name, query, variables, argument) => {
      const answer = await ask({ query, variables });
      expect(answer.body.errors).toHaveLength(1);
      expect(answer.body.errors![0].extensions.code).toBe('BAD_USER_INPUT');
      expect(answer.body.errors![0].message).toContain(`"${argument}"`);
    });
  });

  describe('persisted queries', () => {
    const query = '{ posts(first: 1) { totalCount } }';
    const sha256 = (text: string) => crypto.createHash('sha256').update(text).digest('hex');

    it('refuses a hash that does not match the query sent with it, and does not store it', async () => {
      const wrong = sha256('something else');
      const answer = await ask({ query, extensions: { persistedQuery: { version: 1, sha256Hash: wrong } } });
      expect(answer.status).toBe(400);
      expect(answer.body.errors?.[0].extensions.code).toBe('BAD_REQUEST');
      const later = await ask({ extensions: { persistedQuery: { version: 1, sha256Hash: wrong } } });
      expect(later.body.errors?.[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    });

    it.each([
      ['an unknown hash', { version: 1, sha256Hash: sha256('never sent') }],
      ['a hash that is not hex', { version: 1, sha256Hash: `zz${NUL}` }],
      ['a very long hash', { version: 1, sha256Hash: 'a'.repeat(100_000) }],
    ])('answers PERSISTED_QUERY_NOT_FOUND for %s alone', async (_name, persistedQuery) => {
      const answer = await ask({ extensions: { persistedQuery } });
      expect(answer.body.errors?.[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
      expect(answer.body.data).toBeUndefined();
    });

    it.each([
      ['a hash that is a number', { version: 1, sha256Hash: 12 }],
      ['an unsupported version', { version: 2, sha256Hash: sha256(query) }],
      ['a persistedQuery that is a string', 'yes'],
    ])('answers a client error for %s', async (_name, persistedQuery) => {
      const answer = await ask({ query, extensions: { persistedQuery } });
      expect(answer.status).toBe(400);
      expect(answer.body.errors?.[0].extensions.code).toMatch(/^(BAD_REQUEST|PERSISTED_QUERY_NOT_FOUND)$/);
    });

    it('still serves the query with its right hash', async () => {
      const answer = await ask({ query, extensions: { persistedQuery: { version: 1, sha256Hash: sha256(query) } } });
      expect(answer.body.errors).toBeUndefined();
      expect(answer.body.data).toEqual({ posts: { totalCount: anyNumber() } });
    });
  });

  describe('a slug raced by 20 writers', () => {
    it('creates one post and refuses the 19 others with BAD_USER_INPUT naming the slug', async () => {
      const slug = `race-${kind}`;
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          ask(
            {
              query: 'mutation ($i: PostInput!) { createPost(input: $i) { slug } }',
              variables: { i: { title: `Racer ${i}`, slug, bodyMarkdown: 'Body.', author: 'racer', tags: ['race', `racer-${i}`] } },
            },
            editorKey,
          ),
        ),
      );
      const created = answers.filter((a) => a.body.data?.createPost);
      expect(created.map((a) => a.body.data!.createPost)).toEqual([{ slug }]);
      const refused = answers.filter((a) => a.body.errors);
      expect(refused).toHaveLength(19);
      for (const answer of refused) {
        const error = expectRefused(answer, 'input.slug');
        expect(error.message).toContain(slug);
      }
    });

    it('gives each of 10 concurrent posts with one title a slug of its own', async () => {
      const answers = await Promise.all(
        Array.from({ length: 10 }, () =>
          ask(
            {
              query: 'mutation ($i: PostInput!) { createPost(input: $i) { slug } }',
              variables: { i: { title: `Same title ${kind}`, bodyMarkdown: 'Body.', author: 'racer' } },
            },
            editorKey,
          ),
        ),
      );
      for (const answer of answers) expect(answer.body.errors).toBeUndefined();
      const slugs = answers.map((a) => (a.body.data!.createPost as { slug: string }).slug);
      expect(new Set(slugs).size).toBe(10);
    });
  });
});
