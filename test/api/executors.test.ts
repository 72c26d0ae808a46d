import { SAMPLE_CONTENT_DIR } from '../../src/paths';
import { describeEachDatabase } from '../support/databases';
import type { GraphQLBody } from '../support/raw-http';
import { startTestServer, TestServer } from '../support/server';

/*
 * Kiji executes operations with graphql-jit by default (KIJI_GRAPHQL_JIT=on). Whatever a client
 * sends, the answer must be the one graphql-js gives: same body, same status, same errors.
 */

const CASES: { name: string; query: string; variables?: object }[] = [
  {
    name: 'a feed through fragments, with relations and cursors',
    query: `fragment Card on Post { slug title url publishedAt author { name } tags { slug } }
      query { posts(first: 3) { edges { cursor node { id ...Card ... on Post { categories { name } } } } pageInfo { hasNextPage endCursor } totalCount } }`,
  },
  {
    name: 'an article with body, headings, related and shared tags',
    query: `query ($slug: String!) { post(slug: $slug) { title bodyHtml headings { level text anchor } frontMatter readingTimeMinutes
      related(first: 2) { score sharedTags { slug } post { slug author { slug } } } } }`,
    variables: { slug: 'vim-registers' },
  },
  { name: 'node(id) of every type', query: `query { tags(first: 2) { edges { node { id } } } node(id: "UG9zdDox") { __typename id ... on Post { slug } } }` },
  { name: 'a term page', query: `query { tag(slug: "vim") { name postCount posts(first: 2) { totalCount edges { node { slug tags { name } } } } } }` },
  { name: 'a variable of the wrong type', query: `query ($n: Int) { posts(first: $n) { totalCount } }`, variables: { n: 'many' } },
  { name: 'an argument out of range', query: `query { posts(first: 1000) { totalCount } }` },
  { name: 'an unknown field', query: `query { posts { nope } }` },
  { name: 'a search with snippets', query: `query { posts(filter: { query: "レジスタ" }) { edges { node { slug searchSnippet } } } }` },
  // Variables: defaults, omitted, null, coerced.
  { name: 'a variable default used', query: `query ($n: Int = 2) { posts(first: $n) { edges { node { slug } } } }` },
  { name: 'a variable default overridden by null', query: `query ($n: Int = 2) { posts(first: $n) { totalCount } }`, variables: { n: null } },
  { name: 'an omitted variable falls back to the argument default', query: `query ($n: Int) { post(slug: "vim-registers") { related(first: $n) { score } } }` },
  {
    name: 'a null variable where the argument has a default',
    query: `query ($n: Int) { post(slug: "vim-registers") { related(first: $n) { score } } }`,
    variables: { n: null },
  },
  { name: 'a null variable for a non-null argument', query: `query ($id: ID = "UG9zdDox") { node(id: $id) { id } }`, variables: { id: null } },
  { name: 'a required variable omitted', query: `query ($slug: String!) { post(slug: $slug) { slug } }` },
  { name: 'an input object variable with a default', query: `query ($f: PostFilter = { tag: "vim" }) { posts(filter: $f) { totalCount } }` },
  {
    name: 'an input object with null and absent fields',
    query: `query ($f: PostFilter) { posts(filter: $f) { totalCount } }`,
    variables: { f: { tag: null, tags: ['vim'] } },
  },
  {
    name: 'a list coerced from a single value',
    query: `query ($f: PostFilter) { posts(filter: $f) { edges { node { slug } } } }`,
    variables: { f: { tags: 'graphql', status: 'PUBLISHED' } },
  },
  { name: 'an enum variable', query: `query ($o: PostOrder) { posts(first: 3, orderBy: $o) { edges { node { slug } } } }`, variables: { o: 'TITLE' } },
  { name: 'an unknown enum value', query: `query ($o: PostOrder) { posts(orderBy: $o) { totalCount } }`, variables: { o: 'SIDEWAYS' } },
  { name: 'a DateTime variable', query: `query ($f: PostFilter) { posts(filter: $f) { totalCount } }`, variables: { f: { publishedAfter: '2024-05-01T00:00:00Z' } } },
  { name: 'a malformed DateTime variable', query: `query ($f: PostFilter) { posts(filter: $f) { totalCount } }`, variables: { f: { publishedBefore: 'yesterday' } } },
  { name: 'an unknown input field', query: `query ($f: PostFilter) { posts(filter: $f) { totalCount } }`, variables: { f: { colour: 'red' } } },
  {
    name: 'variables inside a literal input, one absent',
    query: `query ($tag: String, $after: DateTime) { posts(filter: { tag: $tag, publishedAfter: $after }) { totalCount } }`,
    variables: { tag: 'vim' },
  },
  { name: 'variables inside a literal list', query: `query ($a: String, $b: String) { posts(filter: { tags: [$a, $b] }) { totalCount } }`, variables: { a: 'vim' } },
  // Errors inside lists, and null propagation through them.
  { name: 'an error in every item of a list', query: `query ($n: Int!) { posts(first: 3) { edges { node { slug related(first: $n) { score } } } } }`, variables: { n: 500 } },
  { name: 'a forbidden field inside a list', query: `query { posts(first: 2) { edges { cursor node { slug revisions { totalCount } } } } }` },
  {
    name: 'an error under a nullable root beside good fields',
    query: `query { a: post(slug: "vim-registers") { slug } b: post(id: "bm90OmFuaWQ") { slug } c: posts(first: 1) { totalCount } }`,
  },
  // Fragments, aliases and directives driven by variables.
  {
    name: 'fragments, aliases, @include and @skip with variables',
    query: `fragment Tags on Post { tags @include(if: $withTags) { slug } }
      fragment Card on Post { slug ...Tags author @skip(if: $withTags) { slug } }
      query ($withTags: Boolean!, $first: Int = 2) { newest: posts(first: $first) { edges { node { ...Card } } }
        oldest: posts(first: $first, orderBy: OLDEST) { edges { node { ...Card ... on Post @include(if: $withTags) { title } } } } }`,
    variables: { withTags: true },
  },
  {
    name: 'the same with the directives the other way',
    query: `fragment Tags on Post { tags @include(if: $withTags) { slug } }
      fragment Card on Post { slug ...Tags @skip(if: $withTags) author @skip(if: $withTags) { slug } }
      query ($withTags: Boolean!, $first: Int = 2) { newest: posts(first: $first) { edges { node { ...Card } } } }`,
    variables: { withTags: false },
  },
  { name: 'a Boolean variable given a string', query: `query ($b: Boolean!) { posts(first: 1) @include(if: $b) { totalCount } }`, variables: { b: 'yes' } },
];

/** Editors' writes with variables; the fields selected do not depend on which server wrote first. */
const EDITOR_CASES: { name: string; query: string; variables?: object }[] = [
  {
    name: 'createPost with tags and categories omitted (they have defaults)',
    query: `mutation ($i: PostInput!) { createPost(input: $i) { title status version tags { name } categories { name } author { name } } }`,
    variables: { i: { title: 'Defaults', bodyMarkdown: 'Body.', author: 'jit-tester' } },
  },
  {
    name: 'createPost with a single tag for a list and null excerpt',
    query: `mutation ($i: PostInput!) { createPost(input: $i) { title excerpt tags { name } } }`,
    variables: { i: { title: 'Single tag', bodyMarkdown: 'Body text.', author: 'jit-tester', tags: 'solo', excerpt: null } },
  },
  {
    name: 'createPost with a null list',
    query: `mutation ($i: PostInput!) { createPost(input: $i) { title } }`,
    variables: { i: { title: 'Null tags', bodyMarkdown: 'Body.', author: 'jit-tester', tags: null } },
  },
  {
    name: 'createPost with a variable default for the whole input',
    query: `mutation ($i: PostInput! = { title: "From the default", bodyMarkdown: "Body.", author: "jit-tester" }) { createPost(input: $i) { title tags { name } } }`,
  },
  {
    name: 'createPost with variables inside a literal input',
    query: `mutation ($title: String!, $tags: [String!]) { createPost(input: { title: $title, bodyMarkdown: "Body.", author: "jit-tester", tags: $tags }) { title tags { name } } }`,
    variables: { title: 'Literal input' },
  },
  {
    name: 'createPost with a malformed publishedAt',
    query: `mutation ($i: PostInput!) { createPost(input: $i) { title } }`,
    variables: { i: { title: 'Bad date', bodyMarkdown: 'Body.', author: 'jit-tester', publishedAt: 'soon' } },
  },
  {
    name: 'updatePost with a patch that leaves fields absent',
    query: `mutation ($id: ID!, $v: Int!, $p: PostPatch!) { updatePost(id: $id, expectedVersion: $v, input: $p) { title } }`,
    variables: { id: 'UG9zdDo5OTk5OTk', v: 1, p: { title: 'Nope' } },
  },
];

describeEachDatabase('graphql-jit answers as graphql-js does', (kind) => {
  let jit: TestServer;
  let plain: TestServer;

  beforeAll(async () => {
    jit = await startTestServer(kind, { responseCache: 'off' });
    await jit.importPaths([SAMPLE_CONTENT_DIR]);
    plain = await startTestServer(kind, { responseCache: 'off', graphqlJit: false, shareDatabaseWith: jit });
  });
  afterAll(async () => {
    await plain?.stop();
    await jit?.stop();
  });

  let editorKey: string;
  beforeAll(async () => {
    editorKey = (await jit.services.keys.create('editor', 'parity')).secret;
  });

  const send = async (server: TestServer, query: string, variables?: object, key?: string) => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    // Internal errors carry the id of the request, which is each answer's own.
    const body = JSON.parse(await response.text(), (key, value: unknown) => (key === 'requestId' ? undefined : value)) as GraphQLBody<Record<string, unknown>>;
    return { status: response.status, body };
  };

  it.each(CASES)('$name', async ({ query, variables }) => {
    const expected = await send(plain, query, variables);
    expect(await send(jit, query, variables)).toEqual(expected);
  });

  it.each(EDITOR_CASES)('$name', async ({ query, variables }) => {
    const expected = await send(plain, query, variables, editorKey);
    expect(await send(jit, query, variables, editorKey)).toEqual(expected);
  });

  it('creates a post when tags and categories are left to their defaults', async () => {
    const answer = await send(jit, EDITOR_CASES[0].query, EDITOR_CASES[0].variables, editorKey);
    expect(answer.status).toBe(200);
    expect(answer.body.data?.createPost).toMatchObject({ title: 'Defaults', tags: [], categories: [] });
  });

  it('has cases that succeed and cases that fail', async () => {
    const answers = await Promise.all(CASES.map((c) => send(plain, c.query, c.variables)));
    expect(answers.filter((a) => a.body.errors).length).toBeGreaterThanOrEqual(3);
    expect(answers.filter((a) => !a.body.errors && a.body.data).length).toBeGreaterThanOrEqual(12);
    expect(answers.filter((a) => a.body.errors && a.body.data).length).toBeGreaterThanOrEqual(3);
  });
});
