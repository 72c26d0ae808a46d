import { HeaderMap } from '@apollo/server';
import { getOperationAST, GraphQLSchema, parse, validate } from 'graphql';
import { kijiSchema } from '../../../src/graphql/schema';
import { cachePolicyPlugin } from '../../../src/http/cache-policy';
import type { Role } from '../../../src/services/access';

/*
 * The Cache-Control a client receives for Kiji's own operations (each validated against Kiji's
 * schema), by who asks, after the operation ran: with or without errors, with or without a post
 * scheduled to go live soon.
 */

const NOW = new Date('2026-03-01T09:00:00Z');
const MAX_AGE = 60;

interface Answer {
  role: Role;
  errors?: boolean;
  /** When the next scheduled post goes live. */
  nextScheduledAt?: Date;
  /** Whether the response cache read the content state for this request. */
  perRequestState?: boolean;
  /** False: a write transaction was open while the answer was read (SQLite); 'until the state is read': one begins then. */
  readsCommitted?: boolean | 'until the state is read';
  /** The response's headers: a batch's operations share one set. */
  headers?: HeaderMap;
}

let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await kijiSchema();
});

async function cacheControl(
  source: string,
  { role, errors = false, nextScheduledAt, perRequestState = true, readsCommitted = true, headers = new HeaderMap() }: Answer,
): Promise<string | undefined> {
  const document = parse(source);
  expect(validate(schema, document)).toEqual([]);
  const state = { generation: 1, nextScheduledAt: nextScheduledAt ?? null };
  let stateRead = false;
  const readState = async () => {
    stateRead = true;
    return state;
  };
  const contextValue = {
    viewer: { role, keyId: null, keyName: null },
    services: { clock: { now: () => NOW }, contentState: { readRecent: readState } },
    cacheState: readState,
    readsCommitted: () => (readsCommitted === 'until the state is read' ? !stateRead : readsCommitted),
  };
  const singleResult = errors ? { errors: [{ message: 'refused' }] } : { data: {} };
  const listener = await cachePolicyPlugin(MAX_AGE, perRequestState).requestDidStart!({} as never);
  await listener!.willSendResponse!({
    contextValue,
    document,
    schema,
    operation: getOperationAST(document),
    response: { http: { headers }, body: { kind: 'single', singleResult } },
  } as never);
  return headers.get('cache-control');
}

const FEED = '{ posts(first: 10) { edges { node { title url author { name } tags { name } } } totalCount } }';
const ARTICLE = '{ post(slug: "hello") { title bodyHtml headings { text } related(first: 3) { post { title } sharedTags { name } } } }';
const SEARCH = '{ posts(filter: { query: "冷却" }) { edges { node { title searchSnippet } } } }';
const TAG_PAGE = '{ tag(slug: "cooling") { name postCount posts(first: 5) { edges { node { title } } } } }';
const REVISIONS = '{ post(slug: "hello") { revisions { edges { node { title actor { name } } } } } }';
const LINT = '{ lintMarkdown(markdown: "# Hi") { code } }';
const CREATE = 'mutation { createPost(input: { title: "t", bodyMarkdown: "b", author: "tanaka" }) { id } }';

describe("Cache-Control on Kiji's schema", () => {
  it('declares no cache hints: every read gets the same policy', () => {
    expect(schema.getDirective('cacheControl')).toBeUndefined();
  });

  it.each([
    ['feed', FEED],
    ['article', ARTICLE],
    ['search', SEARCH],
    ['tag page', TAG_PAGE],
  ])('makes the %s public for anonymous readers, private for keyed ones', async (_, query) => {
    expect(await cacheControl(query, { role: 'anonymous' })).toBe('max-age=60, public');
    expect(await cacheControl(query, { role: 'reader' })).toBe('max-age=60, private');
    expect(await cacheControl(query, { role: 'partner' })).toBe('max-age=60, private');
    expect(await cacheControl(query, { role: 'editor' })).toBe('no-store');
    expect(await cacheControl(query, { role: 'admin' })).toBe('no-store');
  });

  it('stores nothing of editor-only fields: refused to readers, and editors get no-store anyway', async () => {
    for (const query of [REVISIONS, LINT]) {
      expect(await cacheControl(query, { role: 'anonymous', errors: true })).toBe('no-store');
      expect(await cacheControl(query, { role: 'reader', errors: true })).toBe('no-store');
      expect(await cacheControl(query, { role: 'editor' })).toBe('no-store');
    }
  });

  it('stores no mutation and no answer with errors', async () => {
    expect(await cacheControl(CREATE, { role: 'editor' })).toBe('no-store');
    expect(await cacheControl(CREATE, { role: 'anonymous', errors: true })).toBe('no-store');
    expect(await cacheControl(FEED, { role: 'anonymous', errors: true })).toBe('no-store');
  });

  it('stores no answer whose reads may have seen an open write transaction, which a rollback would take back', async () => {
    expect(await cacheControl(FEED, { role: 'anonymous', readsCommitted: false })).toBe('no-store');
    expect(await cacheControl(ARTICLE, { role: 'reader', readsCommitted: false })).toBe('no-store');
    // A write that begins while the answer's content state is read counts too.
    expect(await cacheControl(FEED, { role: 'anonymous', readsCommitted: 'until the state is read' })).toBe('no-store');
  });

  it('keeps a batch from being kept when any one of its operations may not be', async () => {
    const batch = new HeaderMap();
    expect(await cacheControl(FEED, { role: 'anonymous', readsCommitted: false, headers: batch })).toBe('no-store');
    expect(await cacheControl(ARTICLE, { role: 'anonymous', headers: batch })).toBe('no-store');
    const mixed = new HeaderMap();
    expect(await cacheControl(CREATE, { role: 'editor', headers: mixed })).toBe('no-store');
    expect(await cacheControl(FEED, { role: 'anonymous', headers: mixed })).toBe('no-store');
  });

  it('keeps anonymous answers no longer than until the next scheduled post goes live', async () => {
    const inSeconds = (s: number) => new Date(NOW.getTime() + s * 1000);
    expect(await cacheControl(FEED, { role: 'anonymous', nextScheduledAt: inSeconds(30.5) })).toBe('max-age=30, public');
    expect(await cacheControl(FEED, { role: 'anonymous', nextScheduledAt: inSeconds(30.5), perRequestState: false })).toBe('max-age=30, public');
    expect(await cacheControl(FEED, { role: 'anonymous', nextScheduledAt: inSeconds(600) })).toBe('max-age=60, public');
    expect(await cacheControl(FEED, { role: 'anonymous', nextScheduledAt: inSeconds(0.5) })).toBe('no-store');
    expect(await cacheControl(FEED, { role: 'reader', nextScheduledAt: inSeconds(30) })).toBe('max-age=60, private');
  });
});
