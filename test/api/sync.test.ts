import fs from 'node:fs';
import { buildSchema, Kind, OperationDefinitionNode, parse } from 'graphql';
import { SAMPLE_CONTENT_DIR } from '../../src/paths';
import { kijiSchema } from '../../src/graphql/schema';
import { LIST_SIZE, operationCost } from '../../src/graphql/plugins/query-cost';
import { describeEachDatabase } from '../support/databases';
import { startTestServer, TestServer } from '../support/server';
import { writeSyntheticPosts } from '../support/synthetic';

/*
 * The partners' delta sync over HTTP (`changes`): who may read it, paging, the public view,
 * deletions and scheduled posts, cursor errors and expiry, and a constant number of SQL statements
 * per page. The property that a partner always ends with exactly the visible posts is tested on
 * many random histories in test/unit/services/sync-property.test.ts.
 */

interface Entry {
  kind: 'UPSERT' | 'DELETE';
  postId: string;
  version: number;
  at: string;
  post: { id: string; slug: string; title: string; version: number; url: string; author: { name: string }; tags: { name: string }[] } | null;
}
interface Feed {
  entries: Entry[];
  cursor: string;
  hasMore: boolean;
}
interface Answer<T> {
  data?: T;
  errors?: { message: string; extensions: Record<string, unknown> }[];
}

const CHANGES = `query Changes($after: String, $first: Int) {
  changes(after: $after, first: $first) {
    cursor hasMore
    entries { kind postId version at post { id slug title version url author { name } tags { name } } }
  }
}`;

const EDIT = `mutation Edit($id: ID!, $v: Int!, $title: String) { updatePost(id: $id, expectedVersion: $v, input: { title: $title }) { id version } }`;

describeEachDatabase('delta sync', (kind) => {
  let server: TestServer;
  const keys: Record<'reader' | 'partner' | 'editor' | 'admin', string> = { reader: '', partner: '', editor: '', admin: '' };

  async function gql<T>(query: string, variables: Record<string, unknown>, key?: string): Promise<{ body: Answer<T>; sql: number }> {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return { body: (await response.json()) as Answer<T>, sql: Number(response.headers.get('x-kiji-sql-statements')) };
  }

  async function page(after: string | null, first?: number, key = keys.partner): Promise<Feed> {
    const { body } = await gql<{ changes: Feed }>(CHANGES, { after, first }, key);
    expect(body.errors).toBeUndefined();
    return body.data!.changes;
  }

  /** A partner's copy: global post id -> the entry that put it there. */
  async function syncAll(held: Map<string, Entry>, after: string | null, first = 100): Promise<{ cursor: string; entries: Entry[] }> {
    const seen: Entry[] = [];
    let cursor = after;
    for (;;) {
      const feed = await page(cursor, first);
      for (const entry of feed.entries) {
        seen.push(entry);
        if (entry.kind === 'UPSERT') held.set(entry.postId, entry);
        else held.delete(entry.postId);
      }
      cursor = feed.cursor;
      if (!feed.hasMore) return { cursor, entries: seen };
    }
  }

  async function editor<T>(query: string, variables: Record<string, unknown>): Promise<T> {
    const { body } = await gql<T>(query, variables, keys.editor);
    expect(body.errors).toBeUndefined();
    return body.data!;
  }

  async function publicSlugs(): Promise<string[]> {
    const { body } = await gql<{ posts: { edges: { node: { slug: string } }[] } }>('{ posts(first: 100) { edges { node { slug } } } }', {});
    return body.data!.posts.edges.map((e) => e.node.slug).sort();
  }

  const slugsOf = (held: Map<string, Entry>) => [...held.values()].map((e) => e.post!.slug).sort();

  beforeAll(async () => {
    server = await startTestServer(kind);
    expect((await server.importPaths([SAMPLE_CONTENT_DIR])).failed).toEqual([]);
    for (const role of Object.keys(keys) as (keyof typeof keys)[]) keys[role] = (await server.services.keys.create(role, `${role} sync`)).secret;
  });
  afterAll(() => server?.stop());

  it('is refused to anonymous clients and reader keys with FORBIDDEN, and answered for partner, editor and admin keys', async () => {
    for (const key of [undefined, keys.reader]) {
      const { body } = await gql<unknown>(CHANGES, {}, key);
      expect(body.errors?.[0].extensions.code).toBe('FORBIDDEN');
      expect(body.data ?? null).toBeNull();
    }
    for (const key of [keys.partner, keys.editor, keys.admin]) {
      const feed = await page(null, 100, key);
      expect(feed.entries.length).toBeGreaterThan(0);
    }
  });

  it('answers with Cache-Control no-store, over POST and GET, so no client keeps a page (nor a stale hasMore: false)', async () => {
    const headers = { authorization: `Bearer ${keys.partner}` };
    const viaPost = await fetch(server.url, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ query: CHANGES, variables: { first: 1 } }),
    });
    expect(viaPost.headers.get('cache-control')).toBe('no-store');
    const throughFragment = 'query { ...Feed } fragment Feed on Query { changes(first: 1) { hasMore } }';
    const viaGet = await fetch(`${server.url}?${new URLSearchParams({ query: throughFragment })}`, { headers: { ...headers, 'apollo-require-preflight': 'true' } });
    expect(viaGet.status).toBe(200);
    expect(viaGet.headers.get('cache-control')).toBe('no-store');
    // The same key reading posts keeps its usual private caching: only the feed is never kept.
    const posts = await fetch(`${server.url}?${new URLSearchParams({ query: '{ posts(first: 1) { edges { node { id } } } }' })}`, {
      headers: { ...headers, 'apollo-require-preflight': 'true' },
    });
    expect(posts.headers.get('cache-control')).toMatch(/^max-age=\d+, private$/);
  });

  it('gives every public post once in an initial sync, paged, with any Post field, and the public view even to an editor key', async () => {
    const held = new Map<string, Entry>();
    const { entries } = await syncAll(held, null, 3);
    expect(entries.every((e) => e.kind === 'UPSERT')).toBe(true);
    expect(new Set(entries.map((e) => e.postId)).size).toBe(entries.length);
    expect(slugsOf(held)).toEqual(await publicSlugs());
    // The sample has drafts: none of them is in the feed, even for an editor's key.
    const asEditor = await page(null, 100, keys.editor);
    expect(asEditor.entries.map((e) => e.post!.slug).sort()).toEqual(await publicSlugs());
    const sample = entries[0];
    expect(sample.post!.id).toBe(sample.postId);
    expect(sample.post!.version).toBe(sample.version);
    expect(sample.post!.url).toBe(`/posts/${sample.post!.slug}`);
    expect(sample.post!.author.name).toBeTruthy();
  });

  it('delivers an edit, an unpublish, a deletion and a restore, each as the public sees the post now', async () => {
    const held = new Map<string, Entry>();
    let { cursor } = await syncAll(held, null);
    const [a, b, c] = [...held.values()].slice(0, 3);

    await editor(EDIT, { id: a.postId, v: a.version, title: 'Retitled for partners' });
    await editor(`mutation($id: ID!, $v: Int!) { unpublishPost(id: $id, expectedVersion: $v) { id } }`, { id: b.postId, v: b.version });
    await editor(`mutation($id: ID!, $v: Int!) { deletePost(id: $id, expectedVersion: $v) { id } }`, { id: c.postId, v: c.version });
    let delta = await syncAll(held, cursor);
    cursor = delta.cursor;
    expect(delta.entries.map((e) => [e.postId, e.kind])).toEqual([
      [a.postId, 'UPSERT'],
      [b.postId, 'DELETE'],
      [c.postId, 'DELETE'],
    ]);
    expect(held.get(a.postId)!.post!.title).toBe('Retitled for partners');
    expect(held.get(a.postId)!.version).toBe(a.version + 1);
    expect(delta.entries[2].post).toBeNull();
    expect(slugsOf(held)).toEqual(await publicSlugs());

    await editor(`mutation($id: ID!) { restorePost(id: $id) { id } }`, { id: c.postId });
    delta = await syncAll(held, cursor);
    expect(delta.entries.map((e) => [e.postId, e.kind, e.version])).toEqual([[c.postId, 'UPSERT', c.version + 2]]);
    expect(slugsOf(held)).toEqual(await publicSlugs());

    // Nothing changed: an empty page, and nothing more.
    const quiet = await page(delta.cursor);
    expect(quiet).toMatchObject({ entries: [], hasMore: false });
  });

  it('delivers a scheduled post when its time comes, though no write happens then', async () => {
    const held = new Map<string, Entry>();
    let { cursor } = await syncAll(held, null);
    const created = await editor<{ createPost: { id: string } }>(
      `mutation { createPost(input: { title: "Later, for partners", bodyMarkdown: "Soon.", author: "sched", tags: ["t"], categories: [] }) { id } }`,
      {},
    );
    const at = new Date(server.clock.now().getTime() + 3_600_000);
    await editor(`mutation($id: ID!, $at: DateTime) { publishPost(id: $id, at: $at) { id } }`, { id: created.createPost.id, at: at.toISOString() });
    let delta = await syncAll(held, cursor);
    cursor = delta.cursor;
    // Not visible yet: at most a DELETE, which the partner ignores.
    expect(delta.entries.filter((e) => e.kind === 'UPSERT')).toEqual([]);
    expect(held.has(created.createPost.id)).toBe(false);

    server.clock.set(new Date(at.getTime() + 1000));
    delta = await syncAll(held, cursor);
    expect(delta.entries.map((e) => [e.postId, e.kind, e.at])).toEqual([[created.createPost.id, 'UPSERT', at.toISOString()]]);
    expect(slugsOf(held)).toEqual(await publicSlugs());
  });

  it('refuses a malformed cursor and a bad page size with BAD_USER_INPUT naming the argument', async () => {
    const tampered = Buffer.from(JSON.stringify({ v: 2, p: [0, 0], t: 0 })).toString('base64url');
    for (const [variables, field] of [
      [{ after: 'not a cursor' }, 'after'],
      [{ after: tampered }, 'after'],
      [{ after: Buffer.from('{"v":1,"p":[0,-1],"t":0}').toString('base64url') }, 'after'],
      [{ first: 101 }, 'first'],
      [{ first: 0 }, 'first'],
    ] as const) {
      const { body } = await gql<unknown>(CHANGES, variables, keys.partner);
      expect(body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect(JSON.stringify(body)).not.toMatch(/SELECT|sync_log|at \w+ \(/);
    }
  });

  it('keeps old cursors working after compaction, and refuses one older than the log kept, telling the partner to start over', async () => {
    const held = new Map<string, Entry>();
    const { cursor: old } = await syncAll(held, null);
    const [a, b] = [...held.values()].slice(0, 2);
    await editor(EDIT, { id: a.postId, v: a.version, title: 'First retitle' });
    await editor(EDIT, { id: a.postId, v: a.version + 1, title: 'Second retitle' });
    await editor(`mutation($id: ID!, $v: Int!) { unpublishPost(id: $id, expectedVersion: $v) { id } }`, { id: b.postId, v: b.version });

    // Superseded entries dropped: the same outcome for a holder of the old cursor.
    const result = await server.services.syncLog.compact();
    expect(result.superseded).toBeGreaterThan(0);
    const compacted = new Map(held);
    await syncAll(compacted, old);
    expect(compacted.get(a.postId)!.post!.title).toBe('Second retitle');
    expect(compacted.has(b.postId)).toBe(false);

    // Two days on, entries of hidden posts older than a day are dropped: the old cursor may have missed b's removal.
    server.clock.set(new Date(server.clock.now().getTime() + 2 * 86_400_000));
    expect((await server.services.syncLog.compact(1)).expired).toBeGreaterThan(0);
    const { body } = await gql<unknown>(CHANGES, { after: old }, keys.partner);
    expect(body.errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'after', field: 'after', reason: 'SYNC_CURSOR_EXPIRED' });
    expect(body.errors?.[0].message).toMatch(/start over/);
    const fresh = new Map<string, Entry>();
    await syncAll(fresh, null);
    expect(slugsOf(fresh)).toEqual(await publicSlugs());
  });

  it('costs first × what each entry selects, as a page of posts', async () => {
    const schema = await kijiSchema();
    const cost = (query: string) => operationCost(schema, parse(query).definitions[0] as OperationDefinitionNode, new Map(), {});
    expect(parse(CHANGES).definitions[0].kind).toBe(Kind.OPERATION_DEFINITION);
    // 1 for the feed, then per entry: the entry, its post, the author, LIST_SIZE tags.
    expect(cost('{ changes(first: 7) { entries { post { title author { name } tags { name } } } } }')).toBe(1 + 7 * (1 + 1 + 1 + LIST_SIZE));
    expect(cost('{ changes { entries { postId } } }')).toBe(1 + 100);
  });

  it('counts only the change feed as a page among types named …Feed: another one taking `first` costs what it selects', () => {
    const schema = buildSchema(`type Query { news(first: Int): NewsFeed }
      type NewsFeed { "The items." items: [Item] }
      type Item { id: ID }`);
    const cost = operationCost(schema, parse('{ news(first: 50) { items { id } } }').definitions[0] as OperationDefinitionNode, new Map(), {});
    // 1 for the feed object and LIST_SIZE items, not 50 pages of them.
    expect(cost).toBe(1 + LIST_SIZE);
  });
});

describeEachDatabase('delta sync SQL statements', (kind) => {
  let server: TestServer;
  let dir: string;
  let partner: string;
  let editorKey: string;

  beforeAll(async () => {
    server = await startTestServer(kind, { responseCache: 'off' });
    dir = writeSyntheticPosts(120);
    expect((await server.importPaths([dir])).failed).toEqual([]);
    partner = (await server.services.keys.create('partner', 'sql')).secret;
    editorKey = (await server.services.keys.create('editor', 'sql')).secret;
  });
  afterAll(async () => {
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function request(key: string, query: string, variables: Record<string, unknown>) {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as Answer<{ changes: Feed }>;
    expect(body.errors).toBeUndefined();
    return { feed: body.data?.changes, sql: Number(response.headers.get('x-kiji-sql-statements')) };
  }

  it('costs the same few statements for a page of 5 entries and of 100, initial or incremental, with authors and tags', async () => {
    const small = await request(partner, CHANGES, { first: 5 });
    const large = await request(partner, CHANGES, { first: 100 });
    expect(small.feed!.entries).toHaveLength(5);
    expect(large.feed!.entries).toHaveLength(100);
    expect(large.feed!.entries.every((e) => e.post!.tags.length > 0)).toBe(true);
    expect(large.sql).toBe(small.sql);
    expect(large.sql).toBeLessThanOrEqual(5);

    let cursor = large.feed!.cursor;
    while (true) {
      const next = await request(partner, CHANGES, { after: cursor, first: 100 });
      cursor = next.feed!.cursor;
      if (!next.feed!.hasMore) break;
    }
    // 60 edits, then incremental pages of 5 and of 50 log entries.
    const { body } = await (async () => {
      const response = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ posts(first: 60) { edges { node { id version } } } }' }),
      });
      return { body: (await response.json()) as Answer<{ posts: { edges: { node: { id: string; version: number } }[] } }> };
    })();
    for (const { node } of body.data!.posts.edges) {
      const response = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${editorKey}` },
        body: JSON.stringify({ query: EDIT, variables: { id: node.id, v: node.version, title: `Edited ${node.id}` } }),
      });
      expect(((await response.json()) as Answer<unknown>).errors).toBeUndefined();
    }
    const few = await request(partner, CHANGES, { after: cursor, first: 5 });
    const many = await request(partner, CHANGES, { after: few.feed!.cursor, first: 50 });
    expect(few.feed!.entries).toHaveLength(5);
    expect(many.feed!.entries).toHaveLength(50);
    expect(many.feed!.entries.every((e) => e.kind === 'UPSERT' && e.post!.title.startsWith('Edited'))).toBe(true);
    expect(many.sql).toBe(few.sql);
    expect(many.sql).toBeLessThanOrEqual(5);
  });
});
