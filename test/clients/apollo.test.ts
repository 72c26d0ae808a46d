import './apollo-development-mode';
import crypto from 'node:crypto';
import { ApolloClient, ApolloLink, gql, HttpLink, InMemoryCache, type TypedDocumentNode } from '@apollo/client';
import { BatchHttpLink } from '@apollo/client/link/batch-http';
import { createPersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { __DEV__ } from '@apollo/client/utilities/environment';
import { relayStylePagination } from '@apollo/client/utilities';
import {
  ClientArchive,
  consoleWarnings,
  duplicatesOf,
  etagCachingFetch,
  FeedPage,
  FeedPageVariables,
  feedPageQuery,
  FetchRecord,
  retitle,
  startClientArchive,
} from '../support/clients';

/** Apollo Client 4 in the set-ups its documentation gives: a normalized cache with Relay-style paging, APQ over GET, batching. */

const FEED: TypedDocumentNode<FeedPage, FeedPageVariables> = gql(feedPageQuery('ApolloFeed'));

const ARTICLE: TypedDocumentNode<{ post: { id: string; title: string; version: number } | null }, { slug: string }> = gql`
  query ApolloArticle($slug: String!) {
    post(slug: $slug) {
      id
      title
      version
    }
  }
`;

const RETITLE: TypedDocumentNode<{ updatePost: { id: string; title: string; version: number } }, { id: string; expectedVersion: number; title: string }> = gql`
  mutation ApolloRetitle($id: ID!, $expectedVersion: Int!, $title: String!) {
    updatePost(id: $id, expectedVersion: $expectedVersion, input: { title: $title }) {
      id
      title
      version
    }
  }
`;

const PAGE = 5;

/** The cache an app using Kiji's feed configures: pages merged per filter and order. */
const feedCache = () => new InMemoryCache({ typePolicies: { Query: { fields: { posts: relayStylePagination(['filter', 'orderBy']) } } } });

const sha256 = (text: string) => crypto.createHash('sha256').update(text).digest('hex');

/**
 * The feed as an app renders it: the values its watched query emits. The merged list after a
 * fetchMore arrives as the next emission (the cache broadcasts after the promise resolves).
 */
function renderedFeed(client: ApolloClient) {
  const query = client.watchQuery({ query: FEED, variables: { first: PAGE } });
  let latest: FeedPage | undefined;
  const subscription = query.subscribe((result) => {
    if (result.data && result.dataState === 'complete') latest = result.data;
  });
  return {
    query,
    /** The first emitted feed (the current one included) that satisfies `condition`. */
    async once(condition: (feed: FeedPage) => boolean): Promise<FeedPage> {
      for (let i = 0; i < 400; i++) {
        if (latest && condition(latest)) return latest;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      throw new Error(`the watched feed never showed what was expected; last: ${latest?.posts.edges.length} edges`);
    },
    stop: () => subscription.unsubscribe(),
  };
}

describe('Apollo Client 4', () => {
  let archive: ClientArchive;

  beforeAll(async () => {
    archive = await startClientArchive();
  });
  afterAll(() => archive?.stop());

  it('runs in development mode, so that its cache warnings would show', () => {
    expect(__DEV__).toBe(true);
  });

  it('pages the whole feed with fetchMore into relayStylePagination: every post once, no cache warnings', async () => {
    const client = new ApolloClient({ link: new HttpLink({ uri: archive.url }), cache: feedCache() });
    const { result: edges, warnings } = await consoleWarnings(async () => {
      const feed = renderedFeed(client);
      try {
        let shown = await feed.once((f) => f.posts.edges.length > 0);
        for (let page = 0; page < 50 && shown.posts.pageInfo.hasNextPage; page++) {
          await feed.query.fetchMore({ variables: { after: shown.posts.pageInfo.endCursor } });
          const before = shown.posts.edges.length;
          shown = await feed.once((f) => f.posts.edges.length > before);
        }
        return shown.posts.edges;
      } finally {
        feed.stop();
      }
    });
    expect(warnings).toEqual([]);
    const slugs = edges.map((e) => e.node.slug);
    expect(duplicatesOf(slugs)).toEqual([]);
    expect(slugs).toEqual(archive.slugs);
  });

  it('sends hashed queries as GET (persisted-query link) and revalidates them with ETag: a repeat is a 304', async () => {
    const log: FetchRecord[] = [];
    const client = new ApolloClient({
      link: ApolloLink.from([createPersistedQueryLink({ sha256, useGETForHashedQueries: true }), new HttpLink({ uri: archive.url, fetch: etagCachingFetch(log) })]),
      cache: new InMemoryCache(),
    });
    const ask = () => client.query({ query: ARTICLE, variables: { slug: archive.slugs[0] }, fetchPolicy: 'network-only' });
    const first = await ask();
    expect(first.data!.post!.title).toEqual(expect.any(String));
    // The server did not know the hash yet: GET with the hash alone, then the query itself (POST).
    expect(log.map((r) => [r.method, r.status])).toEqual([
      ['GET', 200],
      ['POST', 200],
    ]);
    await ask(); // the hash alone now answers, with an ETag
    const repeat = await ask(); // sent with If-None-Match
    const [hashed, revalidated] = log.slice(2);
    expect(log).toHaveLength(4);
    expect(hashed).toEqual({ method: 'GET', status: 200, ifNoneMatch: null });
    expect(revalidated.method).toBe('GET');
    expect(revalidated.status).toBe(304);
    expect(revalidated.ifNoneMatch).toMatch(/^W\/"/);
    expect(repeat.data).toEqual(first.data);
  });

  it('shows the fresh title on refetch after an editor changed it', async () => {
    const slug = archive.slugs[2];
    const reader = new ApolloClient({ link: new HttpLink({ uri: archive.url }), cache: feedCache() });
    const editor = new ApolloClient({ link: new HttpLink({ uri: archive.url, headers: { authorization: `Bearer ${archive.editorKey}` } }), cache: new InMemoryCache() });
    const article = reader.watchQuery({ query: ARTICLE, variables: { slug } });
    const subscription = article.subscribe(() => undefined);
    try {
      const before = await reader.query({ query: ARTICLE, variables: { slug } });
      const { post } = (await editor.query({ query: ARTICLE, variables: { slug } })).data!;
      const written = await editor.mutate({ mutation: RETITLE, variables: { id: post!.id, expectedVersion: post!.version, title: 'Retitled through Apollo' } });
      expect(written.data!.updatePost.title).toBe('Retitled through Apollo');
      expect((await reader.query({ query: ARTICLE, variables: { slug } })).data).toEqual(before.data); // cache-first: unaware
      const refetched = await article.refetch();
      expect(refetched.data!.post!.title).toBe('Retitled through Apollo');
      // The normalized Post:<id> is updated, so every query holding it (a feed too) shows the new title.
      expect(
        reader.cache.readFragment({
          id: reader.cache.identify({ __typename: 'Post', id: post!.id }),
          fragment: gql`
            fragment T on Post {
              title
            }
          `,
        }),
      ).toEqual({
        __typename: 'Post',
        title: 'Retitled through Apollo',
      });
    } finally {
      subscription.unsubscribe();
    }
  });

  it('sees a write made while the reader was paging on the next page it asks for', async () => {
    const client = new ApolloClient({ link: new HttpLink({ uri: archive.url }), cache: feedCache() });
    const feed = renderedFeed(client);
    try {
      const first = await feed.once((f) => f.posts.edges.length > 0);
      await retitle(archive, archive.slugs[PAGE], 'Retitled before its page was read');
      await feed.query.fetchMore({ variables: { after: first.posts.pageInfo.endCursor } });
      const shown = await feed.once((f) => f.posts.edges.length > PAGE);
      expect(shown.posts.edges.map((e) => e.node.slug)).toEqual(archive.slugs.slice(0, 2 * PAGE));
      expect(shown.posts.edges[PAGE].node.title).toBe('Retitled before its page was read');
    } finally {
      feed.stop();
    }
  });

  it('batches operations into one request with BatchHttpLink', async () => {
    let requests = 0;
    const client = new ApolloClient({
      link: new BatchHttpLink({ uri: archive.url, batchMax: 5, batchInterval: 20, fetch: (input, init) => (requests++, fetch(input, init)) }),
      cache: new InMemoryCache(),
    });
    const [feed, article] = await Promise.all([
      client.query({ query: FEED, variables: { first: 3 } }),
      client.query({ query: ARTICLE, variables: { slug: archive.slugs[1] } }),
    ]);
    expect(requests).toBe(1);
    expect(feed.data!.posts.edges.map((e) => e.node.slug)).toEqual(archive.slugs.slice(0, 3));
    expect(article.data!.post!.title).toBeTruthy();
  });
});
