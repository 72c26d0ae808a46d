import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  commitMutation,
  ConcreteRequest,
  createOperationDescriptor,
  Environment,
  fetchQuery,
  getSelector,
  type GraphQLResponse,
  Network,
  ReaderFragment,
  RecordSource,
  SingularReaderSelector,
  Store,
  type Disposable,
} from 'relay-runtime';
import { PROJECT_ROOT } from '../../src/paths';
import { ClientArchive, consoleWarnings, duplicatesOf, graphqlPost, startClientArchive } from '../support/clients';

/**
 * Relay as an app uses it: documents in `graphql` tags, compiled by relay-compiler against the
 * committed schema/schema.graphql (its validation is the strictest of the clients': connections,
 * Node, node(id:), refetchable fragments), executed by relay-runtime against the running server.
 */

/** The app's source files: module name, then the `graphql` tags in it (Relay names operations after their module). */
const SOURCES: Record<string, string> = {
  'Feed.js': `
graphql\`
  query FeedQuery($count: Int, $cursor: String) {
    ...Feed_query @arguments(count: $count, cursor: $cursor)
  }
\`;
graphql\`
  fragment Feed_query on Query
  @refetchable(queryName: "FeedPaginationQuery")
  @argumentDefinitions(count: { type: "Int", defaultValue: 5 }, cursor: { type: "String" }) {
    posts(first: $count, after: $cursor) @connection(key: "Feed_posts") {
      edges {
        node {
          id
          slug
          title
        }
      }
    }
  }
\`;
`,
  'Article.js': `
graphql\`
  query ArticleQuery($slug: String!) {
    post(slug: $slug) {
      id
      version
      ...Article_post
    }
  }
\`;
graphql\`
  fragment Article_post on Post @refetchable(queryName: "ArticleRefetchQuery") {
    id
    title
  }
\`;
graphql\`
  mutation ArticleRetitleMutation($id: ID!, $expectedVersion: Int!, $title: String!) {
    updatePost(id: $id, expectedVersion: $expectedVersion, input: { title: $title }) {
      id
      title
      version
    }
  }
\`;
`,
};

interface Artifacts {
  FeedQuery: ConcreteRequest;
  FeedPaginationQuery: ConcreteRequest;
  Feed_query: ReaderFragment;
  ArticleQuery: ConcreteRequest;
  ArticleRefetchQuery: ConcreteRequest;
  Article_post: ReaderFragment;
  ArticleRetitleMutation: ConcreteRequest;
}

/** Runs relay-compiler (the binary its package ships) on SOURCES and loads what it generated. */
function compileDocuments(dir: string): Artifacts {
  fs.mkdirSync(path.join(dir, 'src'));
  fs.mkdirSync(path.join(dir, '__generated__'));
  for (const [name, text] of Object.entries(SOURCES)) fs.writeFileSync(path.join(dir, 'src', name), text);
  const config = {
    src: './src',
    schema: path.join(PROJECT_ROOT, 'schema/schema.graphql'),
    language: 'javascript',
    artifactDirectory: './__generated__',
    // CommonJS artifacts, so that this test can require them as they are.
    eagerEsModules: false,
  };
  fs.writeFileSync(path.join(dir, 'relay.config.json'), JSON.stringify(config, null, 2));
  // Node's own require: the artifacts are plain CommonJS outside the project.
  const load = createRequire(__filename);
  const binary = load('relay-compiler') as string | null;
  if (!binary) throw new Error(`relay-compiler has no binary for ${process.platform}-${process.arch}`);
  const run = spawnSync(binary, [path.join(dir, 'relay.config.json')], { cwd: dir, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`relay-compiler failed:\n${run.stdout}\n${run.stderr}`);
  const artifact = (name: keyof Artifacts) => load(path.join(dir, '__generated__', `${name}.graphql.js`)) as never;
  return {
    FeedQuery: artifact('FeedQuery'),
    FeedPaginationQuery: artifact('FeedPaginationQuery'),
    Feed_query: artifact('Feed_query'),
    ArticleQuery: artifact('ArticleQuery'),
    ArticleRefetchQuery: artifact('ArticleRefetchQuery'),
    Article_post: artifact('Article_post'),
    ArticleRetitleMutation: artifact('ArticleRetitleMutation'),
  };
}

/**
 * The environment an app creates: one network function posting the compiled text, one store.
 * `errors` collects the `errors` of every answer: Relay keeps the data of an answer that has both
 * and says nothing, so a test must look for them itself.
 */
function relayEnvironment(url: string, options: { authorization?: string; errors?: unknown[] } = {}): Environment {
  const network = Network.create(async (request, variables) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(options.authorization ? { authorization: `Bearer ${options.authorization}` } : {}) },
      body: JSON.stringify({ query: request.text, operationName: request.name, variables }),
    });
    const answer = (await response.json()) as GraphQLResponse & { errors?: unknown[] };
    options.errors?.push(...(answer.errors ?? []));
    return answer;
  });
  return new Environment({ network, store: new Store(new RecordSource()) });
}

interface FeedData {
  posts: { edges: { node: { id: string; slug: string; title: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
}

describe('Relay', () => {
  let archive: ClientArchive;
  let dir: string;
  let artifacts: Artifacts;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiji-relay-'));
    artifacts = compileDocuments(dir);
    archive = await startClientArchive();
  });
  afterAll(async () => {
    await archive?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /**
   * What usePaginationFragment does without React: fetch the query, then the generated
   * pagination query with `cursor` = the connection's endCursor; Relay's ConnectionHandler
   * appends each page to the one `Feed_posts` connection, read back through the fragment.
   */
  async function pageFeed(environment: Environment): Promise<{ feed: () => FeedData; retained: Disposable }> {
    const variables = { count: 5, cursor: null };
    const root = await fetchQuery(environment, artifacts.FeedQuery, variables).toPromise();
    const retained = environment.retain(createOperationDescriptor(artifacts.FeedQuery, variables));
    const selector = getSelector(artifacts.Feed_query, root) as SingularReaderSelector;
    const feed = () => environment.lookup(selector).data as unknown as FeedData;
    for (let page = 0; page < 50 && feed().posts.pageInfo.hasNextPage; page++) {
      await fetchQuery(environment, artifacts.FeedPaginationQuery, { count: 5, cursor: feed().posts.pageInfo.endCursor }).toPromise();
    }
    return { feed, retained };
  }

  it('compiles documents against schema/schema.graphql, including a refetchable connection and a node(id:) refetch', () => {
    expect(artifacts.FeedPaginationQuery.params.text).toContain('posts(first: $count, after: $cursor)');
    expect(artifacts.ArticleRefetchQuery.params.text).toContain('node(id: $id)');
  });

  it('pages the whole feed through the @connection with the generated pagination query: every post once, no warnings', async () => {
    const errors: unknown[] = [];
    const { result, warnings } = await consoleWarnings(() => pageFeed(relayEnvironment(archive.url, { errors })));
    expect(warnings).toEqual([]);
    expect(errors).toEqual([]);
    const slugs = result.feed().posts.edges.map((e) => e.node.slug);
    result.retained.dispose();
    expect(duplicatesOf(slugs)).toEqual([]);
    expect(slugs).toEqual(archive.slugs);
  });

  it('refetches a post through node(id:) with the generated refetch query', async () => {
    const slug = archive.slugs[4];
    const { post } = await graphqlPost<{ post: { id: string; title: string } }>(archive.url, 'query ($slug: String!) { post(slug: $slug) { id title } }', { slug });
    // A fresh environment: all it knows comes from node(id:).
    const environment = relayEnvironment(archive.url);
    const refetched = (await fetchQuery(environment, artifacts.ArticleRefetchQuery, { id: post.id }).toPromise()) as { node: object | null };
    expect(refetched.node).not.toBeNull();
    expect(environment.lookup(getSelector(artifacts.Article_post, refetched.node) as SingularReaderSelector).data).toEqual(post);
  });

  it("gets null, not an error, from node(id:) for an id that is not one of Kiji's", async () => {
    const errors: unknown[] = [];
    const environment = relayEnvironment(archive.url, { errors });
    for (const id of ['nope', Buffer.from('Spaceship:1').toString('base64url')]) {
      const answer = (await fetchQuery(environment, artifacts.ArticleRefetchQuery, { id }).toPromise()) as { node: object | null };
      expect(answer.node).toBeNull();
    }
    expect(errors).toEqual([]);
  });

  it("updates the paged feed from its own mutation's answer, and another environment sees the write on its next fetch", async () => {
    const slug = archive.slugs[9];
    const editor = relayEnvironment(archive.url, { authorization: archive.editorKey });
    const { feed, retained } = await pageFeed(editor);
    const reader = relayEnvironment(archive.url);
    const readerArticle = async () => {
      const { post } = (await fetchQuery(reader, artifacts.ArticleQuery, { slug }).toPromise()) as { post: object };
      return environmentTitle(reader, post);
    };
    const titleBefore = await readerArticle();
    try {
      const { post } = (await fetchQuery(editor, artifacts.ArticleQuery, { slug }).toPromise()) as { post: { id: string; version: number } };
      await new Promise<void>((resolve, reject) =>
        commitMutation(editor, {
          mutation: artifacts.ArticleRetitleMutation,
          variables: { id: post.id, expectedVersion: post.version, title: 'Retitled through Relay' },
          onCompleted: (_response, errors) => (errors?.length ? reject(new Error(JSON.stringify(errors))) : resolve()),
          onError: reject,
        }),
      );
      // Same Post record (normalized by its global id): the connection shows the new title with no refetch.
      expect(feed().posts.edges.find((e) => e.node.slug === slug)!.node.title).toBe('Retitled through Relay');
      expect(titleBefore).not.toBe('Retitled through Relay');
      // fetchQuery's default policy is network-only: Kiji's response cache moved on with the write.
      expect(await readerArticle()).toBe('Retitled through Relay');
    } finally {
      retained.dispose();
    }
  });

  function environmentTitle(environment: Environment, post: object): string {
    return (environment.lookup(getSelector(artifacts.Article_post, post) as SingularReaderSelector).data as { title: string }).title;
  }
});
