import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { SAMPLE_CONTENT_DIR } from '../../src/paths';
import { CreatePostDocument, DeletePostDocument, EditorArticleDocument, PublishPostDocument, UpdatePostDocument } from '../generated/graphql';
import type { Viewer } from '../../src/services/access';
import { contentGeneration } from '../../src/services/cache';
import { describeEachDatabase, describeEachDatabaseIf, testRedisUrl } from '../support/databases';
import { writeFixtureFolder } from '../support/fixtures';
import { holdNextWrite } from '../support/held-write';
import { eventually } from '../support/kiji-process';
import type { GraphQLBody } from '../support/raw-http';
import { startTestServer, TEST_NOW, TestServer } from '../support/server';

const ARTICLE = 'query Article($slug: String!) { post(slug: $slug) { slug title } }';
/** What ARTICLE answers: every query this file sends is ARTICLE, some with a comment to get a cache entry of their own. */
type ArticleBody = GraphQLBody<{ post: { slug: string; title: string } | null }>;

/** A raw POST, to see headers and SQL cost exactly as a client or CDN would. */
async function post(server: TestServer, query: string, variables: object = {}, headers: Record<string, string> = {}) {
  const response = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { response, body: (await response.json()) as ArticleBody, sql: Number(response.headers.get('x-kiji-sql-statements')) };
}

function getUrl(server: TestServer, params: Record<string, unknown>): string {
  const url = new URL(server.url);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, typeof v === 'string' ? v : JSON.stringify(v));
  return url.toString();
}

function rawGet(url: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        let body = '';
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      })
      .on('error', reject);
  });
}

const GET_HEADERS = { accept: 'application/json' };

/** Asks until the answer comes from the cache: a miss is stored in the background (in Redis, a moment later). */
async function cachedAnswer(url: string, headers: Record<string, string> = {}, status = 200): Promise<Response> {
  for (let attempt = 0; ; attempt += 1) {
    const response = await fetch(url, { headers });
    if (response.headers.get('x-kiji-cache') === 'hit' || attempt === 40) {
      expect(response.headers.get('x-kiji-cache')).toBe('hit');
      expect(response.status).toBe(status);
      return response;
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

for (const backend of ['memory', 'redis'] as const) {
  const redisUrl = backend === 'redis' ? testRedisUrl() : null;
  describeEachDatabaseIf(backend === 'memory' || redisUrl !== null, `caching (${backend})`, (kind) => {
    let server: TestServer;
    let editor: string;

    beforeAll(async () => {
      server = await startTestServer(kind, {
        responseCache: backend,
        redisUrl: redisUrl ?? undefined,
        cacheNamespace: `kiji-test-${crypto.randomBytes(6).toString('hex')}`,
      });
      await server.importPaths([SAMPLE_CONTENT_DIR]);
      editor = (await server.services.keys.create('editor', 'cache tests')).secret;
    });
    afterAll(() => server?.stop());

    it('gives cache hints: public for anonymous reads, private for keyed readers, none for editors and writes', async () => {
      const anonymous = await post(server, ARTICLE, { slug: 'vim-registers' });
      expect(anonymous.response.headers.get('cache-control')).toBe('max-age=60, public');
      const reader = (await server.services.keys.create('reader', 'app')).secret;
      const keyed = await post(server, ARTICLE, { slug: 'vim-registers' }, { authorization: `Bearer ${reader}` });
      expect(keyed.body.errors).toBeUndefined();
      expect(keyed.response.headers.get('cache-control')).toBe('max-age=60, private');
      const byEditor = await post(server, ARTICLE, { slug: 'vim-registers' }, { authorization: `Bearer ${editor}` });
      expect(byEditor.response.headers.get('cache-control')).toBe('no-store');
    });

    it('answers GET with an ETag and 304 Not Modified when it still matches', async () => {
      const url = getUrl(server, { query: ARTICLE, variables: { slug: 'vim-registers' } });
      const first = await fetch(url, { headers: GET_HEADERS });
      expect(first.status).toBe(200);
      const etag = first.headers.get('etag');
      expect(etag).toBeTruthy();
      // node:http, not fetch: fetch adds `Cache-Control: no-cache` to conditional requests.
      const again = await rawGet(url, { ...GET_HEADERS, 'if-none-match': etag! });
      expect(again.status).toBe(304);
      expect(again.body).toBe('');
      const changed = await rawGet(url, { ...GET_HEADERS, 'if-none-match': 'W/"something-else"' });
      expect(changed.status).toBe(200);
      // fetch() sends `Cache-Control: no-cache` with a hand-set If-None-Match (ETag caches, service workers): still 304.
      const byFetch = await cachedAnswer(url, { ...GET_HEADERS, 'if-none-match': `W/"other", ${etag!}` }, 304);
      expect(await byFetch.text()).toBe('');
    });

    it('answers GET and POST of the same read from one cached entry, with its age and ETag', async () => {
      const variables = { slug: 'vim-registers' };
      const viaPost = await post(server, `${ARTICLE} # shared entry`, variables);
      expect(viaPost.response.headers.get('x-kiji-cache')).toBe('miss');
      const viaGet = await fetch(getUrl(server, { query: `${ARTICLE} # shared entry`, variables }), { headers: GET_HEADERS });
      expect(viaGet.headers.get('x-kiji-cache')).toBe('hit');
      expect(viaGet.headers.get('etag')).toBe(viaPost.response.headers.get('etag'));
      expect(Number(viaGet.headers.get('age'))).toBeGreaterThanOrEqual(0);
      expect(viaGet.headers.get('cache-control')).toBe('max-age=60, public');
      expect(await viaGet.json()).toEqual(viaPost.body);
    });

    it('refuses malformed extensions with 400 even when the same operation is cached', async () => {
      const query = `${ARTICLE} # extensions`;
      const variables = { slug: 'vim-registers' };
      expect((await post(server, query, variables)).response.status).toBe(200);
      expect((await post(server, query, variables)).response.headers.get('x-kiji-cache')).toBe('hit');
      const malformed = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query, variables, extensions: 'nope' }),
      });
      expect(malformed.status).toBe(400);
    });

    it('answers a plain GET (no preflight header, as urql sends it) from the cache, and refuses a mutation over GET', async () => {
      const url = getUrl(server, { query: `${ARTICLE} # plain`, variables: { slug: 'vim-registers' } });
      const miss = await fetch(url);
      expect(miss.status).toBe(200);
      const hit = await cachedAnswer(url);
      expect(await hit.text()).toBe(await miss.text());
      const mutation = await fetch(getUrl(server, { query: 'mutation { deletePost(id: "Post:1", expectedVersion: 1) { id } }' }));
      expect(mutation.status).toBe(405);
    });

    it('gives a hit the content type a miss gets for the same Accept header', async () => {
      for (const accept of ['application/graphql-response+json', 'application/json', '*/*']) {
        const url = getUrl(server, { query: `${ARTICLE} # accept ${accept}`, variables: { slug: 'vim-registers' } });
        const miss = await fetch(url, { headers: { accept } });
        const hit = await cachedAnswer(url, { accept });
        expect(hit.headers.get('content-type')).toBe(miss.headers.get('content-type'));
      }
      const unacceptable = await fetch(getUrl(server, { query: ARTICLE, variables: { slug: 'vim-registers' } }), { headers: { accept: 'text/csv' } });
      expect(unacceptable.status).toBe(406);
      // A browser opening a cached query's URL gets the explorer page, as it would on a miss.
      const browser = await fetch(getUrl(server, { query: ARTICLE, variables: { slug: 'vim-registers' } }), {
        headers: { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' },
      });
      expect(browser.headers.get('content-type')).toMatch(/^text\/html/);
    });

    it('accepts automatic persisted queries over GET', async () => {
      const sha256Hash = crypto.createHash('sha256').update(ARTICLE).digest('hex');
      const extensions = { persistedQuery: { version: 1, sha256Hash } };
      const variables = { slug: 'vim-registers' };
      const unknown = (await (await fetch(getUrl(server, { extensions, variables }), { headers: GET_HEADERS })).json()) as ArticleBody;
      expect(unknown.errors?.[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
      await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: ARTICLE, variables, extensions }),
      });
      const byHash = (await (await fetch(getUrl(server, { extensions, variables }), { headers: GET_HEADERS })).json()) as ArticleBody;
      expect(byHash.data?.post?.slug).toBe('vim-registers');
    });

    it('serves a repeated anonymous read from the cache, and never a stale one after a write returns', async () => {
      const created = await server
        .clientWith(editor)
        .mutation(CreatePostDocument, {
          input: { title: 'Cache me', bodyMarkdown: 'First words.', author: 'ed', tags: [], categories: [] },
        })
        .toPromise();
      const id = created.data!.createPost.id;
      const live = (await server.clientWith(editor).mutation(PublishPostDocument, { id }).toPromise()).data!.publishPost;
      const read = () => post(server, ARTICLE, { slug: 'cache-me' });
      expect((await read()).body.data?.post?.title).toBe('Cache me');
      const hit = await read();
      expect(hit.sql).toBe(1); // only the freshness check
      expect(hit.body.data?.post?.title).toBe('Cache me');
      const updated = await server
        .clientWith(editor)
        .mutation(UpdatePostDocument, { id, expectedVersion: live.version, input: { title: 'Cache me again' } })
        .toPromise();
      expect((await read()).body.data?.post?.title).toBe('Cache me again');
      await server.clientWith(editor).mutation(DeletePostDocument, { id, expectedVersion: updated.data!.updatePost.version }).toPromise();
      expect((await read()).body.data?.post).toBeNull();
    });

    it('sees an import at once', async () => {
      const dir = writeFixtureFolder({ '2024-12-01-imported.md': '---\ntitle: Imported once\n---\n\nBody.\n' });
      try {
        await server.importPaths([dir]);
        const read = () => post(server, ARTICLE, { slug: 'imported' });
        expect((await read()).body.data?.post?.title).toBe('Imported once');
        await read();
        fs.writeFileSync(path.join(dir, '2024-12-01-imported.md'), '---\ntitle: Imported twice\n---\n\nBody.\n');
        await server.importPaths([dir]);
        expect((await read()).body.data?.post?.title).toBe('Imported twice');
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('never keeps an answer read while a write was open that then rolled back', async () => {
      // On SQLite a read shares the one connection with an open write transaction: it sees the
      // write's rows and its content generation. Kept under that generation, the answer would be
      // served again once later writes take the same generation.
      const held = (await server.clientWith(editor).query(EditorArticleDocument, { slug: 'vim-registers' }).toPromise()).data!.post!;
      const read = () => post(server, `${ARTICLE} # rolled back`, { slug: 'vim-registers' });
      expect((await read()).body.data?.post?.title).toBe(held.title);
      const hold = holdNextWrite(server);
      try {
        const failing = server
          .clientWith(editor)
          .mutation(UpdatePostDocument, { id: held.id, expectedVersion: held.version, input: { title: 'Never committed' } })
          .toPromise();
        await hold.inside;
        // SQLite's one connection shows a reader the open write: then no cache may keep the answer, a CDN's included.
        const during = await read();
        const seen = [during.body.data?.post?.title, during.response.headers.get('cache-control')];
        expect(seen).toEqual(kind === 'sqlite' ? ['Never committed', 'no-store'] : [held.title, 'max-age=60, public']);
        hold.release();
        expect((await failing).error).toBeDefined();
        expect((await read()).body.data?.post?.title).toBe(held.title);
        // The state served from while the database cannot be asked is a committed one (answers are stored under it).
        expect(server.services.contentState.lastKnown()?.generation).toBe(await contentGeneration(server.dataSource.manager));
        // Writes that each move the content generation on by one, as the rolled-back one had.
        for (const description of ['Queries.', 'Queries and schemas.']) {
          const edited = await post(
            server,
            `mutation { updateTag(slug: "graphql", input: { description: "${description}" }) { slug } }`,
            {},
            { authorization: `Bearer ${editor}` },
          );
          expect(edited.body.errors).toBeUndefined();
          expect((await read()).body.data?.post?.title).toBe(held.title);
        }
      } finally {
        hold.restore();
      }
    });

    it('keeps, for when the database cannot be asked, the state of the last write that returned', async () => {
      // What is served while the database is down or locked is stored under this state: one from
      // before a write that has returned would serve answers that write replaced.
      const generation = () => contentGeneration(server.dataSource.manager);
      await post(server, `${ARTICLE} # last known`, { slug: 'vim-registers' });
      expect(server.services.contentState.lastKnown()?.generation).toBe(await generation());
      for (const description of ['Registers.', 'Registers and macros.']) {
        const edited = await post(server, `mutation { updateTag(slug: "vim", input: { description: "${description}" }) { slug } }`, {}, { authorization: `Bearer ${editor}` });
        expect(edited.body.errors).toBeUndefined();
        // No read came between the write and this line: the state was taken as the write committed.
        expect(server.services.contentState.lastKnown()?.generation).toBe(await generation());
      }
    });

    it('shows a scheduled post on time through the cache', async () => {
      const created = await server
        .clientWith(editor)
        .mutation(CreatePostDocument, {
          input: { title: 'At noon', bodyMarkdown: 'Embargoed.', author: 'ed', tags: [], categories: [] },
        })
        .toPromise();
      const at = new Date(TEST_NOW.getTime() + 600_000);
      await server.clientWith(editor).mutation(PublishPostDocument, { id: created.data!.createPost.id, at: at.toISOString() }).toPromise();
      const before = await post(server, ARTICLE, { slug: 'at-noon' });
      expect(before.body.data?.post).toBeNull();
      // Nothing may be cached past the moment the post goes live.
      expect(before.response.headers.get('cache-control')).toMatch(/max-age=(\d+)/);
      expect(Number(/max-age=(\d+)/.exec(before.response.headers.get('cache-control')!)![1])).toBeLessThanOrEqual(600);
      await post(server, ARTICLE, { slug: 'at-noon' });
      server.clock.set(new Date(at.getTime() + 1));
      try {
        expect((await post(server, ARTICLE, { slug: 'at-noon' })).body.data?.post?.title).toBe('At noon');
        const seen = await server.client.query(EditorArticleDocument, { slug: 'at-noon' }).toPromise();
        expect(seen.data!.post!.status).toBe('PUBLISHED');
      } finally {
        server.clock.set(TEST_NOW);
      }
    });

    if (backend === 'redis') {
      it('is shared by two instances, and a write on one is seen at once on the other', async () => {
        const other = await startTestServer(kind, {
          responseCache: 'redis',
          redisUrl: redisUrl!,
          cacheNamespace: (server.services.config as { cacheNamespace: string }).cacheNamespace,
          shareDatabaseWith: server,
        });
        try {
          const read = (instance: TestServer) => post(instance, ARTICLE, { slug: 'bedrock-rag' });
          expect((await read(server)).body.data?.post?.slug).toBe('bedrock-rag');
          // The first instance stores its answer in Redis in the background, after answering. Once it
          // answers from the cache itself, the entry is in Redis (it has no other store while Redis is up).
          expect(await eventually(async () => (await read(server)).response.headers.get('x-kiji-cache') === 'hit', 5000)).toBe(true);
          const fromOther = await read(other);
          expect(fromOther.response.headers.get('x-kiji-cache')).toBe('hit');
          expect(fromOther.sql).toBe(1); // answered from the shared cache: only the freshness check
          const before = (await server.clientWith(editor).query(EditorArticleDocument, { slug: 'bedrock-rag' }).toPromise()).data!.post!;
          await other
            .clientWith(editor)
            .mutation(UpdatePostDocument, { id: before.id, expectedVersion: before.version, input: { title: 'Bedrock, revised' } })
            .toPromise();
          expect((await read(server)).body.data?.post?.title).toBe('Bedrock, revised');
        } finally {
          await other.stop();
        }
      });
    }
  });
}

describeEachDatabase('Cache-Control with the response cache off', (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind, { responseCache: 'off' });
    await server.importPaths([SAMPLE_CONTENT_DIR]);
  });
  afterAll(() => server?.stop());

  it('caps max-age by no scheduled post that a rolled-back write made', async () => {
    // Without its own lookup, an answer's max-age comes from a content state shared for a second:
    // one read inside a write that then rolls back (SQLite) must not be shared.
    const editor: Viewer = { role: 'editor', keyId: null, keyName: 'cache-control test' };
    const draft = await server.services.writer.create(editor, { title: 'Soon, or never', bodyMarkdown: 'Body.', author: 'ed', tags: [], categories: [] });
    const hold = holdNextWrite(server);
    try {
      const failing = server.services.writer.publish(editor, draft.id, new Date(TEST_NOW.getTime() + 20_000)).then(
        () => 'committed',
        () => 'rolled back',
      );
      await hold.inside;
      const during = await post(server, ARTICLE, { slug: 'vim-registers' });
      expect(during.response.headers.get('cache-control')).toBe(kind === 'sqlite' ? 'no-store' : 'max-age=60, public');
      hold.release();
      expect(await failing).toBe('rolled back');
      const after = await post(server, ARTICLE, { slug: 'vim-registers' });
      expect(after.response.headers.get('cache-control')).toBe('max-age=60, public');
    } finally {
      hold.restore();
    }
  });
});
