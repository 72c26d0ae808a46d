import { cacheExchange, Client, fetchExchange, gql } from '@urql/core';
import { cacheExchange as graphcacheExchange } from '@urql/exchange-graphcache';
import { relayPagination } from '@urql/exchange-graphcache/extras';
import { ClientArchive, consoleWarnings, duplicatesOf, FeedPage, FeedPageVariables, feedPageQuery, retitle, startClientArchive } from '../support/clients';

/**
 * urql as its documentation sets it up: `cacheExchange` (a document cache) or graphcache (a
 * normalized one) and `fetchExchange`, nothing else. Its fetchExchange sends queries as GET
 * (`preferGetMethod: 'within-url-limit'`) with no content type and no special header.
 */

const FEED = gql<FeedPage, FeedPageVariables>(feedPageQuery('ClientFeed'));

const ARTICLE = gql<{ post: { id: string; slug: string; title: string; version: number } | null }, { slug: string }>`
  query ClientArticle($slug: String!) {
    post(slug: $slug) {
      id
      slug
      title
      version
    }
  }
`;

const RETITLE = gql<{ updatePost: { id: string; slug: string; title: string; version: number } }, { id: string; expectedVersion: number; title: string }>`
  mutation ClientRetitle($id: ID!, $expectedVersion: Int!, $title: String!) {
    updatePost(id: $id, expectedVersion: $expectedVersion, input: { title: $title }) {
      id
      slug
      title
      version
    }
  }
`;

const PAGE = 5;

interface Sent {
  method: string;
  status: number;
  contentType: string | null;
}

/** urql's own fetch, recorded: what it sent and what came back. */
function recordingFetch(sent: Sent[]): typeof fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    sent.push({ method: init?.method ?? 'GET', status: response.status, contentType: new Headers(init?.headers).get('content-type') });
    return response;
  };
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  if (!condition()) throw new Error('timed out waiting');
}

describe('urql', () => {
  let archive: ClientArchive;

  beforeAll(async () => {
    archive = await startClientArchive();
  });
  afterAll(() => archive?.stop());

  describe('with its defaults (document cache, GET for queries)', () => {
    it('pages the whole feed over GET without special headers, every post once', async () => {
      const sent: Sent[] = [];
      const client = new Client({ url: archive.url, exchanges: [cacheExchange, fetchExchange], fetch: recordingFetch(sent) });
      const slugs: string[] = [];
      let after: string | null = null;
      for (let page = 0; page < 50; page++) {
        const result = await client.query(FEED, { first: PAGE, after }).toPromise();
        expect(result.error?.message).toBeUndefined();
        slugs.push(...result.data!.posts.edges.map((e) => e.node.slug));
        if (!result.data!.posts.pageInfo.hasNextPage) break;
        after = result.data!.posts.pageInfo.endCursor;
      }
      expect(duplicatesOf(slugs)).toEqual([]);
      expect(slugs).toEqual(archive.slugs);
      expect(sent.length).toBe(Math.ceil(archive.slugs.length / PAGE));
      for (const request of sent) expect(request).toEqual({ method: 'GET', status: 200, contentType: null });
    });

    it("sees its own mutation at once (the document cache drops results holding a Post) and another client's on a network-only refetch", async () => {
      const slug = archive.slugs[3];
      const reader = new Client({ url: archive.url, exchanges: [cacheExchange, fetchExchange] });
      const editorSent: Sent[] = [];
      const editor = new Client({
        url: archive.url,
        exchanges: [cacheExchange, fetchExchange],
        fetchOptions: { headers: { authorization: `Bearer ${archive.editorKey}` } },
        fetch: recordingFetch(editorSent),
      });
      const before = await editor.query(ARTICLE, { slug }).toPromise();
      expect((await reader.query(ARTICLE, { slug }).toPromise()).data!.post!.title).toBe(before.data!.post!.title);

      const post = before.data!.post!;
      const written = await editor.mutation(RETITLE, { id: post.id, expectedVersion: post.version, title: 'Retitled through urql' }).toPromise();
      expect(written.error?.message).toBeUndefined();
      // urql sends mutations as POST with a JSON body, never as GET.
      expect(editorSent.at(-1)).toEqual({ method: 'POST', status: 200, contentType: 'application/json' });

      const again = await editor.query(ARTICLE, { slug }).toPromise();
      expect(again.data!.post!.title).toBe('Retitled through urql');
      expect(editorSent.filter((r) => r.method === 'GET')).toHaveLength(2); // the cached result was dropped, not served

      expect((await reader.query(ARTICLE, { slug }).toPromise()).data!.post!.title).toBe(before.data!.post!.title); // cache-first: its own copy
      const refreshed = await reader.query(ARTICLE, { slug }, { requestPolicy: 'network-only' }).toPromise();
      expect(refreshed.data!.post!.title).toBe('Retitled through urql');
    });

    it('still refuses a mutation sent as GET', async () => {
      const url = new URL(archive.url);
      url.searchParams.set('query', 'mutation { createPost(input: { title: "Via GET", bodyMarkdown: "No.", author: "nobody" }) { id } }');
      for (const headers of [
        {} as Record<string, string>,
        { authorization: `Bearer ${archive.editorKey}` },
        { authorization: `Bearer ${archive.editorKey}`, 'apollo-require-preflight': 'true' },
      ]) {
        const response = await fetch(url, { headers });
        expect(response.status).toBe(405);
        const body = (await response.json()) as { data?: unknown; errors: { extensions: { code: string } }[] };
        expect(body.data).toBeUndefined();
        expect(body.errors[0].extensions.code).toEqual(expect.any(String));
      }
      const drafts = await fetch(archive.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${archive.editorKey}` },
        body: JSON.stringify({ query: '{ post(slug: "via-get") { id } }' }),
      });
      expect(((await drafts.json()) as { data: { post: unknown } }).data.post).toBeNull();
    });
  });

  describe('with graphcache and relayPagination', () => {
    /** PageInfo, connections and edges have no id: graphcache's documented way to say they are embedded in their parent. */
    const keys = { PageInfo: () => null, PostConnection: () => null, PostEdge: () => null };
    const graphcacheClient = (authorization?: string) =>
      new Client({
        url: archive.url,
        exchanges: [graphcacheExchange({ keys, resolvers: { Query: { posts: relayPagination() } } }), fetchExchange],
        fetchOptions: authorization ? { headers: { authorization: `Bearer ${authorization}` } } : undefined,
      });

    it('merges every page into one list, every post once, without warnings', async () => {
      const client = graphcacheClient();
      const { result: merged, warnings } = await consoleWarnings(async () => {
        let result = await client.query(FEED, { first: PAGE }).toPromise();
        for (let page = 0; page < 50 && result.data!.posts.pageInfo.hasNextPage; page++) {
          expect(result.error?.message).toBeUndefined();
          result = await client.query(FEED, { first: PAGE, after: result.data!.posts.pageInfo.endCursor }).toPromise();
        }
        return result;
      });
      expect(warnings).toEqual([]);
      const slugs = merged.data!.posts.edges.map((e) => e.node.slug);
      expect(duplicatesOf(slugs)).toEqual([]);
      expect(slugs).toEqual(archive.slugs);
    });

    it('updates the merged feed from a mutation result (normalized by id), and a reader sees the write on a network-only refetch', async () => {
      const slug = archive.slugs[7];
      // The editor's app: one graphcache client that reads the feed and writes with the key.
      const editor = graphcacheClient(archive.editorKey);
      const titles: string[][] = [];
      const subscription = editor.query(FEED, { first: 20 }).subscribe((result) => {
        if (result.data) titles.push(result.data.posts.edges.filter((e) => e.node.slug === slug).map((e) => e.node.title));
      });
      try {
        await until(() => titles.length > 0);
        const { data } = await editor.query(ARTICLE, { slug }).toPromise();
        const reader = graphcacheClient();
        const readerBefore = await reader.query(FEED, { first: 20 }).toPromise();
        const written = await editor.mutation(RETITLE, { id: data!.post!.id, expectedVersion: data!.post!.version, title: 'Retitled through graphcache' }).toPromise();
        expect(written.error?.message).toBeUndefined();
        // The watched feed updated from the mutation's answer alone (it holds the same Post:<id> entity).
        expect(titles.at(-1)).toEqual(['Retitled through graphcache']);

        const titleIn = (result: typeof readerBefore) => result.data!.posts.edges.find((e) => e.node.slug === slug)!.node.title;
        expect(titleIn(await reader.query(FEED, { first: 20 }).toPromise())).toBe(titleIn(readerBefore)); // its cache, unaware
        // A reader app refreshes (pull to refresh, on focus, on a timer) with network-only: Kiji's
        // response cache has a new generation after the write, so the answer is fresh.
        expect(titleIn(await reader.query(FEED, { first: 20 }, { requestPolicy: 'network-only' }).toPromise())).toBe('Retitled through graphcache');
      } finally {
        subscription.unsubscribe();
      }
    });

    it('pages through a feed that changed under it without losing or repeating posts', async () => {
      const client = graphcacheClient();
      const first = await client.query(FEED, { first: PAGE }).toPromise();
      await retitle(archive, archive.slugs[PAGE + 1], 'Retitled between two pages');
      let result = first;
      while (result.data!.posts.pageInfo.hasNextPage) {
        result = await client.query(FEED, { first: PAGE, after: result.data!.posts.pageInfo.endCursor }).toPromise();
      }
      const slugs = result.data!.posts.edges.map((e) => e.node.slug);
      expect(slugs).toEqual(archive.slugs);
      expect(result.data!.posts.edges[PAGE + 1].node.title).toBe('Retitled between two pages');
    });
  });
});
