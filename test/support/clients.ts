import fs from 'node:fs';
import { getIntrospectionQuery } from 'graphql';
import { SAMPLE_CONTENT_DIR } from '../../src/paths';
import { startTestServer, TestServer } from './server';
import { writeSyntheticPosts } from './synthetic';

/**
 * What the client compatibility suite (test/clients) shares: a real Kiji server on SQLite with an
 * archive big enough to page through several times, an editor key, and the feed as the server
 * itself lists it, which every client must reproduce exactly once per post.
 */
/** The introspection query with every option graphql-js has: what the newest tools (GraphiQL, codegen) ask for. */
export const FULL_INTROSPECTION = getIntrospectionQuery({
  descriptions: true,
  specifiedByUrl: true,
  directiveIsRepeatable: true,
  schemaDescription: true,
  inputValueDeprecation: true,
  oneOf: true,
});

/** A page of the feed, as the client tests page through it with each client's own `gql`. */
export interface FeedPage {
  posts: {
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: { cursor: string; node: { id: string; slug: string; title: string } }[];
  };
}

export interface FeedPageVariables {
  first: number;
  after?: string | null;
}

/** The operation behind FeedPage, named by each client's test (servers log operations by name). */
export function feedPageQuery(operationName: string): string {
  return `
  query ${operationName}($first: Int!, $after: String) {
    posts(first: $first, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        cursor
        node {
          id
          slug
          title
        }
      }
    }
  }
`;
}

export interface ClientArchive {
  server: TestServer;
  /** `http://localhost:PORT/graphql`: what an app is configured with. */
  url: string;
  /** The secret of an editor key, for the writes a client must then see. */
  editorKey: string;
  /** Every published post's slug, newest first, as one page of the feed lists them. */
  slugs: string[];
  stop(): Promise<void>;
}

/** Posts beside the sample content: with page size 5 the feed takes about ten pages. */
const SYNTHETIC_POSTS = 30;

export async function startClientArchive(): Promise<ClientArchive> {
  const server = await startTestServer('sqlite');
  const synthetic = writeSyntheticPosts(SYNTHETIC_POSTS);
  try {
    const summary = await server.importPaths([SAMPLE_CONTENT_DIR, synthetic]);
    if (summary.failed.length > 0) throw new Error(`import failed: ${JSON.stringify(summary.failed)}`);
  } finally {
    fs.rmSync(synthetic, { recursive: true, force: true });
  }
  const editorKey = (await server.services.keys.create('editor', 'client suite')).secret;
  const feed = await graphqlPost<{ posts: { totalCount: number; edges: { node: { slug: string } }[] } }>(
    server.url,
    'query AllSlugs { posts(first: 100) { totalCount edges { node { slug } } } }',
  );
  const slugs = feed.posts.edges.map((e) => e.node.slug);
  // Guards the suite itself: one page of 100 must hold the whole feed, and it must need many pages of 5.
  if (slugs.length !== feed.posts.totalCount || slugs.length < 40) throw new Error(`unexpected archive: ${slugs.length} of ${feed.posts.totalCount}`);
  return { server, url: server.url, editorKey, slugs, stop: () => server.stop() };
}

/** A plain POST, for facts the test needs from the server itself rather than through the client under test. */
export async function graphqlPost<T>(url: string, query: string, variables: object = {}, authorization?: string): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization: `Bearer ${authorization}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown[] };
  if (body.errors || !body.data) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
  return body.data;
}

/** Gives the post `slug` a new title as an editor would (any client may be the one to see it next). */
export async function retitle(archive: ClientArchive, slug: string, title: string): Promise<void> {
  const { post } = await graphqlPost<{ post: { id: string; version: number } }>(archive.url, 'query ($slug: String!) { post(slug: $slug) { id version } }', { slug });
  await graphqlPost(
    archive.url,
    'mutation ($id: ID!, $v: Int!, $title: String!) { updatePost(id: $id, expectedVersion: $v, input: { title: $title }) { id } }',
    { id: post.id, v: post.version, title },
    archive.editorKey,
  );
}

/** Slugs seen more than once, in order of first repeat. */
export function duplicatesOf(slugs: string[]): string[] {
  const seen = new Set<string>();
  return slugs.filter((slug) => (seen.has(slug) ? true : (seen.add(slug), false)));
}

/**
 * Everything written to console.warn and console.error while `run` runs: the channel Apollo's and
 * urql's development warnings (lost cache data, missing keys) take.
 */
export async function consoleWarnings<T>(run: () => Promise<T>): Promise<{ result: T; warnings: string[] }> {
  const warnings: string[] = [];
  const record = (...args: unknown[]) => void warnings.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
  const warn = jest.spyOn(console, 'warn').mockImplementation(record);
  const error = jest.spyOn(console, 'error').mockImplementation(record);
  try {
    return { result: await run(), warnings };
  } finally {
    warn.mockRestore();
    error.mockRestore();
  }
}

export interface FetchRecord {
  method: string;
  status: number;
  /** The request's If-None-Match, if it had one. */
  ifNoneMatch: string | null;
}

/**
 * `fetch` with the smallest HTTP cache that revalidates: a GET answered with an ETag (and not `no-store`) is kept, the
 * same URL is then asked with If-None-Match, and a 304 is answered from the kept body. A browser's
 * HTTP cache does this on its own; Node's fetch has none.
 */
export function etagCachingFetch(log: FetchRecord[]): typeof fetch {
  const kept = new Map<string, { etag: string; body: string; contentType: string }>();
  return async (input, init) => {
    const method = (init?.method ?? 'GET').toUpperCase();
    const url = input instanceof Request ? input.url : String(input);
    const entry = method === 'GET' ? kept.get(url) : undefined;
    const headers = new Headers(init?.headers);
    if (entry) headers.set('if-none-match', entry.etag);
    // `cache: 'no-cache'` is fetch's "revalidate": with it undici sends `Cache-Control: max-age=0`;
    // without it, a request carrying If-None-Match gets `Cache-Control: no-cache`, which Express
    // reads as "never answer 304".
    const response = await fetch(input, { ...init, headers, ...(entry ? { cache: 'no-cache' as const } : {}) });
    log.push({ method, status: response.status, ifNoneMatch: headers.get('if-none-match') });
    if (response.status === 304 && entry) return new Response(entry.body, { status: 200, headers: { 'content-type': entry.contentType } });
    const etag = response.headers.get('etag');
    if (method !== 'GET' || response.status !== 200 || !etag || /\bno-store\b/.test(response.headers.get('cache-control') ?? '')) return response;
    const body = await response.text();
    const contentType = response.headers.get('content-type') ?? 'application/json';
    kept.set(url, { etag, body, contentType });
    return new Response(body, { status: 200, headers: { 'content-type': contentType } });
  };
}
