import { SAMPLE_CONTENT_DIR } from '../../src/paths';
import { describeEachDatabase } from '../support/databases';
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

  const send = async (server: TestServer, query: string, variables?: object) => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, body: await response.json() };
  };

  it.each(CASES)('$name', async ({ query, variables }) => {
    const expected = await send(plain, query, variables);
    expect(await send(jit, query, variables)).toEqual(expected);
  });

  it('has cases that succeed and cases that fail', async () => {
    const answers = await Promise.all(CASES.map((c) => send(plain, c.query, c.variables)));
    expect(answers.filter((a) => a.body.errors).length).toBeGreaterThanOrEqual(3);
    expect(answers.filter((a) => !a.body.errors && a.body.data).length).toBeGreaterThanOrEqual(4);
  });
});
