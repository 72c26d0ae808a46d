import crypto from 'node:crypto';
import { SAMPLE_CONTENT_DIR } from '../../src/paths';
import { describeEachDatabaseIf, testRedisUrl } from '../support/databases';
import { holdNextWrite } from '../support/held-write';
import { LogCapture } from '../support/log-capture';
import { startTestServer, TEST_NOW, TestServer } from '../support/server';

/*
 * Previews: a `preview` API key reads drafts and scheduled posts and writes nothing; a preview link
 * shows its one post to whoever holds its token, until it is revoked or expires, and no answer
 * about it is ever kept by Kiji's response cache (in memory and in Redis) or any public cache.
 */

interface GqlError {
  message: string;
  extensions: { code?: string; argument?: string; limit?: number };
}

interface Answer<T> {
  status: number;
  headers: Headers;
  data: T | null;
  errors?: GqlError[];
}

interface PostView {
  id: string;
  slug: string;
  status: string;
  title?: string;
  version?: number;
  bodyHtml?: string;
  author?: { slug: string };
  tags?: { slug: string }[];
  categories?: { slug: string }[];
  related?: { post: { slug: string; status: string } }[];
}

interface LinkView {
  id: string;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
  createdBy: string;
  post: { slug: string } | null;
}

const SITE = 'https://blog.example.com';
const POST_FIELDS = 'id slug status title version';
const PREVIEW =
  'query Preview($token: String!) { previewPost(token: $token) { slug status title bodyHtml author { slug } tags { slug } categories { slug } related(first: 10) { post { slug status } } } }';
const LINK_FIELDS = 'id createdAt expiresAt revokedAt createdBy post { slug }';
const CREATE_LINK = `mutation Create($postId: ID!, $hours: Int) { createPreviewLink(postId: $postId, expiresInHours: $hours) { token url link { ${LINK_FIELDS} } } }`;
const REVOKE_LINK = `mutation Revoke($id: ID!) { revokePreviewLink(id: $id) { ${LINK_FIELDS} } }`;

for (const backend of ['memory', 'redis'] as const) {
  const redisUrl = backend === 'redis' ? testRedisUrl() : null;
  describeEachDatabaseIf(backend === 'memory' || redisUrl !== null, `previews (response cache: ${backend})`, (kind) => {
    let server: TestServer;
    const logs = new LogCapture();
    const keys = {} as Record<'reader' | 'partner' | 'preview' | 'editor' | 'admin', string>;
    const posts = {} as Record<'draft' | 'otherDraft' | 'scheduled' | 'deleted', PostView>;
    /** Every token this file made: none may show up in a log line. */
    const tokens: string[] = [];

    async function gql<T>(query: string, variables: object = {}, key?: string, method: 'POST' | 'GET' = 'POST'): Promise<Answer<T>> {
      const headers: Record<string, string> = { accept: 'application/json' };
      if (key) headers.authorization = `Bearer ${key}`;
      let response: Response;
      if (method === 'GET') {
        const url = new URL(server.url);
        url.searchParams.set('query', query);
        url.searchParams.set('variables', JSON.stringify(variables));
        response = await fetch(url, { headers });
      } else {
        response = await fetch(server.url, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
      }
      const body = (await response.json()) as { data?: T | null; errors?: GqlError[] };
      return { status: response.status, headers: response.headers, data: body.data ?? null, errors: body.errors };
    }

    /** The data of an answer that must have no errors. */
    async function ok<T>(query: string, variables: object = {}, key?: string): Promise<T> {
      const answer = await gql<T>(query, variables, key);
      expect(answer.errors).toBeUndefined();
      return answer.data!;
    }

    const codeOf = (answer: Answer<unknown>) => answer.errors?.[0]?.extensions.code;

    async function createPost(title: string, tags: string[]): Promise<PostView> {
      const input = { title, bodyMarkdown: `## ${title}\n\nThe body of ${title}. It is not public yet.`, author: 'preview-writer', tags, categories: ['newsroom'] };
      return (await ok<{ createPost: PostView }>(`mutation($input: PostInput!) { createPost(input: $input) { ${POST_FIELDS} } }`, { input }, keys.editor)).createPost;
    }

    async function createLink(postId: string, hours?: number, key = keys.editor): Promise<{ token: string; url: string; link: LinkView }> {
      const created = (await ok<{ createPreviewLink: { token: string; url: string; link: LinkView } }>(CREATE_LINK, { postId, hours }, key)).createPreviewLink;
      tokens.push(created.token);
      return created;
    }

    const preview = (token: string, method: 'POST' | 'GET' = 'POST') => gql<{ previewPost: PostView | null }>(PREVIEW, { token }, undefined, method);

    beforeAll(async () => {
      server = await startTestServer(kind, {
        responseCache: backend,
        redisUrl: redisUrl ?? undefined,
        cacheNamespace: `kiji-test-${crypto.randomBytes(6).toString('hex')}`,
        site: { siteUrl: SITE },
        logDestination: logs,
      });
      expect((await server.importPaths([SAMPLE_CONTENT_DIR])).failed).toEqual([]);
      for (const role of ['reader', 'partner', 'preview', 'editor', 'admin'] as const) keys[role] = (await server.services.keys.create(role, `${role} tool`)).secret;
      posts.draft = await createPost('Preview draft', ['preview-only-tag', 'vim']);
      posts.otherDraft = await createPost('Another draft', ['kiji']);
      const scheduled = await createPost('Scheduled preview', ['kiji']);
      const at = new Date(TEST_NOW.getTime() + 3 * 24 * 3_600_000).toISOString();
      posts.scheduled = (
        await ok<{ publishPost: PostView }>(`mutation($id: ID!, $at: DateTime) { publishPost(id: $id, at: $at) { ${POST_FIELDS} } }`, { id: scheduled.id, at }, keys.editor)
      ).publishPost;
      const deleted = await createPost('Deleted draft', ['deleted-only-tag']);
      posts.deleted = (
        await ok<{ deletePost: PostView }>(
          `mutation($id: ID!, $v: Int!) { deletePost(id: $id, expectedVersion: $v) { ${POST_FIELDS} } }`,
          { id: deleted.id, v: deleted.version },
          keys.editor,
        )
      ).deletePost;
      expect([posts.draft.status, posts.scheduled.status, posts.deleted.status]).toEqual(['DRAFT', 'SCHEDULED', 'DELETED']);
    });
    afterAll(() => server?.stop());

    describe('the preview key', () => {
      it('reads drafts and scheduled posts, lists them by status, and never gets a kept answer', async () => {
        for (const post of [posts.draft, posts.scheduled]) {
          const answer = await gql<{ post: PostView | null }>(`query($slug: String!) { post(slug: $slug) { ${POST_FIELDS} } }`, { slug: post.slug }, keys.preview);
          expect(answer.errors).toBeUndefined();
          expect(answer.data!.post).toMatchObject({ slug: post.slug, status: post.status });
          expect(answer.headers.get('cache-control')).toBe('no-store');
          // Keyed requests never reach the response cache.
          expect(answer.headers.get('x-kiji-cache')).not.toBe('hit');
        }
        const listed = await gql<{ posts: { totalCount: number; edges: { node: PostView }[] } }>(
          `{ posts(first: 100, filter: { status: [DRAFT, SCHEDULED] }) { totalCount edges { node { ${POST_FIELDS} } } } }`,
          {},
          keys.preview,
        );
        expect(listed.errors).toBeUndefined();
        expect(listed.headers.get('cache-control')).toBe('no-store');
        const slugs = listed.data!.posts.edges.map((e) => e.node.slug);
        expect(slugs).toEqual(expect.arrayContaining([posts.draft.slug, posts.otherDraft.slug, posts.scheduled.slug, 'graphql-federation-notes']));
        expect(slugs).not.toContain(posts.deleted.slug);
        expect(new Set(listed.data!.posts.edges.map((e) => e.node.status))).toEqual(new Set(['DRAFT', 'SCHEDULED']));
        expect(listed.data!.posts.totalCount).toBe(slugs.length);
        // Without a status filter, the feed stays the published one.
        const feed = await ok<{ posts: { edges: { node: PostView }[] } }>(`{ posts(first: 100) { edges { node { slug status } } } }`, {}, keys.preview);
        expect(new Set(feed.posts.edges.map((e) => e.node.status))).toEqual(new Set(['PUBLISHED']));
        // The tags of a draft show; those of a deleted post only do for editors.
        const tag = `query($slug: String!) { tag(slug: $slug) { slug } }`;
        expect((await ok<{ tag: unknown }>(tag, { slug: 'preview-only-tag' }, keys.preview)).tag).toEqual({ slug: 'preview-only-tag' });
        expect((await ok<{ tag: unknown }>(tag, { slug: 'preview-only-tag' })).tag).toBeNull();
        expect((await ok<{ tag: unknown }>(tag, { slug: 'deleted-only-tag' }, keys.preview)).tag).toBeNull();
        expect((await ok<{ tag: unknown }>(tag, { slug: 'deleted-only-tag' }, keys.editor)).tag).toEqual({ slug: 'deleted-only-tag' });
      });

      it('does not see deleted posts, by slug, by ID or in a list', async () => {
        const bySlug = await ok<{ post: unknown }>(`query($slug: String!) { post(slug: $slug) { slug } }`, { slug: posts.deleted.slug }, keys.preview);
        expect(bySlug.post).toBeNull();
        const byId = await ok<{ node: unknown }>(`query($id: ID!) { node(id: $id) { id } }`, { id: posts.deleted.id }, keys.preview);
        expect(byId.node).toBeNull();
        const list = await gql(`{ posts(filter: { status: [DRAFT, DELETED] }) { totalCount } }`, {}, keys.preview);
        expect(codeOf(list)).toBe('FORBIDDEN');
        expect(list.errors![0].message).toMatch(/preview key may not list DELETED posts/);
        // Editors see it as before.
        expect((await ok<{ post: PostView }>(`query($slug: String!) { post(slug: $slug) { status } }`, { slug: posts.deleted.slug }, keys.editor)).post.status).toBe(
          'DELETED',
        );
      });

      it('reads no editors-only data: revisions, preview links, lint, webhooks', async () => {
        const revisionId = (
          await ok<{ post: { revisions: { edges: { node: { id: string } }[] } } }>(
            `query($slug: String!) { post(slug: $slug) { revisions(first: 1) { edges { node { id } } } } }`,
            { slug: posts.draft.slug },
            keys.editor,
          )
        ).post.revisions.edges[0].node.id;
        for (const query of [
          `{ post(slug: "${posts.draft.slug}") { revisions { totalCount } } }`,
          `{ post(slug: "${posts.draft.slug}") { previewLinks { id } } }`,
          `{ lintMarkdown(markdown: "# Hi") { code } }`,
          `{ webhookEndpoints { id } }`,
        ]) {
          const answer = await gql(query, {}, keys.preview);
          expect({ query, code: codeOf(answer) }).toEqual({ query, code: 'FORBIDDEN' });
          expect(answer.errors![0].message).toMatch(/preview key/);
        }
        expect((await ok<{ node: unknown }>(`query($id: ID!) { node(id: $id) { id } }`, { id: revisionId }, keys.preview)).node).toBeNull();
        expect(codeOf(await gql(`{ changes { cursor } }`, {}, keys.preview))).toBe('FORBIDDEN');
      });

      it('writes nothing: every mutation is FORBIDDEN, naming the role', async () => {
        const { draft } = posts;
        const mutations: [string, object][] = [
          ['mutation($input: PostInput!) { createPost(input: $input) { id } }', { input: { title: 'Nope', bodyMarkdown: 'Nope.', author: 'x' } }],
          ['mutation($id: ID!, $v: Int!) { updatePost(id: $id, expectedVersion: $v, input: { title: "Changed" }) { id } }', { id: draft.id, v: draft.version }],
          ['mutation($id: ID!) { publishPost(id: $id) { id } }', { id: draft.id }],
          ['mutation($id: ID!, $v: Int!) { unpublishPost(id: $id, expectedVersion: $v) { id } }', { id: posts.scheduled.id, v: posts.scheduled.version }],
          ['mutation($id: ID!, $v: Int!) { deletePost(id: $id, expectedVersion: $v) { id } }', { id: draft.id, v: draft.version }],
          ['mutation($id: ID!) { restorePost(id: $id) { id } }', { id: posts.deleted.id }],
          ['mutation { importMarkdown(files: [{ path: "_posts/2024-01-01-nope.md", content: "---\\ntitle: Nope\\n---\\nNope." }]) { imported } }', {}],
          ['mutation($id: ID!) { createPreviewLink(postId: $id) { token } }', { id: draft.id }],
          ['mutation { createWebhookEndpoint(url: "https://example.com/hook", events: [POST_PUBLISHED]) { secret } }', {}],
        ];
        for (const [query, variables] of mutations) {
          const answer = await gql(query, variables, keys.preview);
          expect({ query, code: codeOf(answer) }).toEqual({ query, code: 'FORBIDDEN' });
          expect(answer.errors![0].message).toMatch(/preview key/);
          expect(answer.headers.get('cache-control')).toBe('no-store');
        }
        const { token, link } = await createLink(draft.id);
        const revoke = await gql(REVOKE_LINK, { id: link.id }, keys.preview);
        expect(codeOf(revoke)).toBe('FORBIDDEN');
        expect((await preview(token)).data!.previewPost).not.toBeNull();
        const after = await ok<{ post: PostView }>(`query($slug: String!) { post(slug: $slug) { ${POST_FIELDS} } }`, { slug: draft.slug }, keys.editor);
        expect(after.post).toMatchObject({ status: 'DRAFT', title: draft.title, version: draft.version });
        expect((await ok<{ post: PostView }>(`{ post(slug: "${posts.deleted.slug}") { status } }`, {}, keys.editor)).post.status).toBe('DELETED');
      });
    });

    describe('preview links', () => {
      it('show their one post to anyone who holds the token, with its relations, never kept by a cache', async () => {
        const { token, url, link } = await createLink(posts.draft.id);
        expect(token).toMatch(/^kpv_[A-Za-z0-9_-]{43}$/);
        expect(url).toBe(`${SITE}/preview/${token}`);
        expect(link).toMatchObject({ createdAt: TEST_NOW.toISOString(), revokedAt: null, createdBy: 'editor tool', post: { slug: posts.draft.slug } });
        expect(new Date(link.expiresAt).getTime() - TEST_NOW.getTime()).toBe(168 * 3_600_000);
        for (let i = 0; i < 3; i++) {
          for (const method of ['POST'] as const) {
            const answer = await preview(token, method);
            expect(answer.errors).toBeUndefined();
            const shown = answer.data!.previewPost!;
            expect(shown).toMatchObject({
              slug: posts.draft.slug,
              status: 'DRAFT',
              title: 'Preview draft',
              author: { slug: 'preview-writer' },
              categories: [{ slug: 'newsroom' }],
            });
            expect(shown.tags!.map((t) => t.slug).sort()).toEqual(['preview-only-tag', 'vim']);
            expect(shown.bodyHtml).toContain('It is not public yet.');
            // Related posts are the caller's as ever: published ones only.
            for (const related of shown.related!) expect(related.post.status).toBe('PUBLISHED');
            expect(answer.headers.get('cache-control')).toBe('no-store');
            expect(answer.headers.get('x-kiji-cache')).not.toBe('hit');
          }
        }
        // Over GET the token would land in URLs and logs: refused, every time, and nothing of it kept.
        for (let i = 0; i < 2; i++) {
          const refused = await preview(token, 'GET');
          expect(refused.status).toBe(400);
          expect(refused.data).toBeNull();
          expect(codeOf(refused)).toBe('BAD_USER_INPUT');
          expect(refused.errors![0].message).toMatch(/POST.*variable/);
          expect(refused.headers.get('cache-control')).toBe('no-store');
          expect(refused.headers.get('x-kiji-cache')).not.toBe('hit');
        }
        const viaFragment = await gql(`query($token: String!) { ...P } fragment P on Query { shown: previewPost(token: $token) { slug } }`, { token }, undefined, 'GET');
        expect(codeOf(viaFragment)).toBe('BAD_USER_INPUT');
        // Not stored as a persisted query either: its hash alone finds nothing afterwards.
        const inline = `{ previewPost(token: "${token}") { slug } }`;
        const sha256Hash = crypto.createHash('sha256').update(inline).digest('hex');
        const apq = async (withQuery: boolean) => {
          const url = new URL(server.url);
          if (withQuery) url.searchParams.set('query', inline);
          url.searchParams.set('extensions', JSON.stringify({ persistedQuery: { version: 1, sha256Hash } }));
          const response = await fetch(url, { headers: { accept: 'application/json' } });
          return (await response.json()) as { errors?: GqlError[] };
        };
        expect((await apq(true)).errors?.[0]?.extensions.code).toBe('BAD_USER_INPUT');
        expect((await apq(false)).errors?.[0]?.extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
        // A scheduled post shows too.
        const scheduled = await createLink(posts.scheduled.id, 2);
        expect((await preview(scheduled.token)).data!.previewPost).toMatchObject({ slug: posts.scheduled.slug, status: 'SCHEDULED' });
      });

      it('unlock nothing else: other drafts, lists and status filters stay closed', async () => {
        const { token } = await createLink(posts.draft.id);
        const answer = await gql<{ previewPost: PostView | null; same: PostView | null; other: PostView | null; posts: { edges: { node: PostView }[] } }>(
          `query($token: String!, $slug: String!, $other: String!) {
            previewPost(token: $token) { slug }
            same: post(slug: $slug) { slug }
            other: post(slug: $other) { slug }
            posts(first: 100) { edges { node { slug status } } }
          }`,
          { token, slug: posts.draft.slug, other: posts.otherDraft.slug },
        );
        expect(answer.errors).toBeUndefined();
        expect(answer.data!.previewPost).toEqual({ slug: posts.draft.slug });
        expect(answer.data!.same).toBeNull();
        expect(answer.data!.other).toBeNull();
        expect(new Set(answer.data!.posts.edges.map((e) => e.node.status))).toEqual(new Set(['PUBLISHED']));
        // The public parts of the operation are not kept either.
        expect(answer.headers.get('cache-control')).toBe('no-store');
        const filtered = await gql(`query($token: String!) { previewPost(token: $token) { slug } posts(filter: { status: [DRAFT] }) { totalCount } }`, { token });
        expect(codeOf(filtered)).toBe('FORBIDDEN');
        // Through a fragment and an alias, too.
        const fragment = await gql<{ shown: PostView | null }>(`query($token: String!) { ...P } fragment P on Query { shown: previewPost(token: $token) { slug } }`, {
          token,
        });
        expect(fragment.data!.shown).toEqual({ slug: posts.draft.slug });
        expect(fragment.headers.get('cache-control')).toBe('no-store');
        // A token of no link, or no token at all, shows nothing.
        for (const wrong of [`kpv_${'A'.repeat(43)}`, token.slice(0, -1), `${token}x`, 'nonsense', '']) {
          const none = await preview(wrong);
          expect(none.errors).toBeUndefined();
          expect(none.data!.previewPost).toBeNull();
        }
      });

      it('stop working on the very next request once revoked; revoking again keeps the first time', async () => {
        const { token, link } = await createLink(posts.otherDraft.id);
        expect((await preview(token)).data!.previewPost).toMatchObject({ slug: posts.otherDraft.slug });
        const listed = await ok<{ post: { previewLinks: LinkView[] } }>(
          `query($slug: String!) { post(slug: $slug) { previewLinks { id } } }`,
          { slug: posts.otherDraft.slug },
          keys.editor,
        );
        expect(listed.post.previewLinks.map((l) => l.id)).toContain(link.id);
        const revoked = (await ok<{ revokePreviewLink: LinkView }>(REVOKE_LINK, { id: link.id }, keys.editor)).revokePreviewLink;
        expect(revoked.revokedAt).toBe(TEST_NOW.toISOString());
        expect((await preview(token)).data!.previewPost).toBeNull();
        server.clock.set(new Date(TEST_NOW.getTime() + 60_000));
        try {
          const again = (await ok<{ revokePreviewLink: LinkView }>(REVOKE_LINK, { id: link.id }, keys.admin)).revokePreviewLink;
          expect(again.revokedAt).toBe(TEST_NOW.toISOString());
        } finally {
          server.clock.set(TEST_NOW);
        }
        const after = await ok<{ post: { previewLinks: LinkView[] } }>(
          `query($slug: String!) { post(slug: $slug) { previewLinks { id } } }`,
          { slug: posts.otherDraft.slug },
          keys.editor,
        );
        expect(after.post.previewLinks.map((l) => l.id)).not.toContain(link.id);
        const unknown = await gql(REVOKE_LINK, { id: Buffer.from(`PreviewLink:pl_${'x'.repeat(22)}`).toString('base64url') }, keys.editor);
        expect(codeOf(unknown)).toBe('NOT_FOUND');
        expect(codeOf(await gql(REVOKE_LINK, { id: posts.draft.id }, keys.editor))).toBe('BAD_USER_INPUT');
      });

      it('stay revoked, and a new API key stays, when a post write open meanwhile rolls back', async () => {
        // On SQLite's one connection, a statement run while a write transaction is open is part of it.
        const { token, link } = await createLink(posts.otherDraft.id);
        const { post } = await ok<{ post: PostView }>(`query($slug: String!) { post(slug: $slug) { ${POST_FIELDS} } }`, { slug: posts.draft.slug }, keys.editor);
        const hold = holdNextWrite(server);
        let turns: jest.SpiedFunction<typeof server.services.writeLock.transaction> | undefined;
        try {
          const failing = gql(
            `mutation($id: ID!, $v: Int!) { updatePost(id: $id, expectedVersion: $v, input: { title: "Never saved" }) { id } }`,
            { id: post.id, v: post.version },
            keys.editor,
          );
          await hold.inside;
          // Released once both writes are done or waiting for the write lock's turn, whichever they do.
          const lock = server.services.writeLock;
          const transaction = lock.transaction.bind(lock);
          let queued!: () => void;
          const bothQueued = new Promise<void>((resolve) => (queued = resolve));
          let waiting = 0;
          turns = jest.spyOn(lock, 'transaction').mockImplementation((work, options) => {
            if (++waiting === 2) queued();
            return transaction(work, options);
          });
          const revoking = ok<{ revokePreviewLink: LinkView }>(REVOKE_LINK, { id: link.id }, keys.editor);
          const creatingKey = server.services.keys.create('reader', 'made during a write');
          await Promise.race([Promise.all([revoking, creatingKey]), bothQueued]);
          hold.release();
          expect((await failing).errors).toBeDefined();
          expect((await revoking).revokePreviewLink.revokedAt).toBe(TEST_NOW.toISOString());
          const { secret } = await creatingKey;
          expect((await preview(token)).data!.previewPost).toBeNull();
          expect((await gql<{ posts: { totalCount: number } }>('{ posts { totalCount } }', {}, secret)).errors).toBeUndefined();
        } finally {
          hold.restore();
          turns?.mockRestore();
        }
      });

      it('stop working when they expire, by the server clock', async () => {
        const { token, link } = await createLink(posts.draft.id, 1);
        expect(new Date(link.expiresAt).getTime()).toBe(TEST_NOW.getTime() + 3_600_000);
        try {
          server.clock.set(new Date(TEST_NOW.getTime() + 3_600_000 - 1000));
          expect((await preview(token)).data!.previewPost).toMatchObject({ slug: posts.draft.slug });
          server.clock.set(new Date(TEST_NOW.getTime() + 3_600_000));
          expect((await preview(token)).data!.previewPost).toBeNull();
          const listed = await ok<{ post: { previewLinks: LinkView[] } }>(
            `query($slug: String!) { post(slug: $slug) { previewLinks { id } } }`,
            { slug: posts.draft.slug },
            keys.editor,
          );
          expect(listed.post.previewLinks.map((l) => l.id)).not.toContain(link.id);
        } finally {
          server.clock.set(TEST_NOW);
        }
      });

      it('show nothing once their post is deleted, and are not made for deleted or unknown posts', async () => {
        const doomed = await createPost('Doomed draft', ['kiji']);
        const { token } = await createLink(doomed.id);
        expect((await preview(token)).data!.previewPost).toMatchObject({ slug: doomed.slug });
        await ok(`mutation($id: ID!, $v: Int!) { deletePost(id: $id, expectedVersion: $v) { id } }`, { id: doomed.id, v: doomed.version }, keys.editor);
        expect((await preview(token)).data!.previewPost).toBeNull();
        const forDeleted = await gql(CREATE_LINK, { postId: doomed.id }, keys.editor);
        expect(codeOf(forDeleted)).toBe('NOT_FOUND');
        const unknown = await gql(CREATE_LINK, { postId: Buffer.from('Post:99999').toString('base64url') }, keys.editor);
        expect(codeOf(unknown)).toBe('NOT_FOUND');
        const author = await ok<{ author: { id: string } }>(`{ author(slug: "preview-writer") { id } }`, {}, keys.editor);
        const notAPost = await gql(CREATE_LINK, { postId: author.author.id }, keys.editor);
        expect(codeOf(notAPost)).toBe('BAD_USER_INPUT');
        expect(notAPost.errors![0].extensions.argument).toBe('postId');
      });

      it('live 1 to KIJI_PREVIEW_MAX_HOURS hours, and say so when asked for more', async () => {
        for (const hours of [0, -1, 721]) {
          const answer = await gql(CREATE_LINK, { postId: posts.draft.id, hours }, keys.editor);
          expect(codeOf(answer)).toBe('BAD_USER_INPUT');
          expect(answer.errors![0].extensions).toMatchObject({ argument: 'expiresInHours', limit: 720 });
          expect(answer.errors![0].message).toMatch(/expiresInHours.*720/);
        }
        const longest = await createLink(posts.draft.id, 720);
        expect(new Date(longest.link.expiresAt).getTime() - TEST_NOW.getTime()).toBe(720 * 3_600_000);
      });

      it('are made, listed and refetched by editors and admins only', async () => {
        const made = await createLink(posts.draft.id, 5, keys.admin);
        expect(made.link.createdBy).toBe('admin tool');
        for (const [key, code] of [
          [undefined, 'UNAUTHENTICATED'],
          [keys.reader, 'FORBIDDEN'],
          [keys.partner, 'FORBIDDEN'],
        ] as const) {
          expect(codeOf(await gql(CREATE_LINK, { postId: posts.draft.id }, key))).toBe(code);
          expect(codeOf(await gql(REVOKE_LINK, { id: made.link.id }, key))).toBe(code);
          expect(codeOf(await gql(`{ post(slug: "vim-registers") { previewLinks { id } } }`, {}, key))).toBe(code);
          expect((await ok<{ node: unknown }>(`query($id: ID!) { node(id: $id) { id } }`, { id: made.link.id }, key)).node).toBeNull();
        }
        expect((await ok<{ node: unknown }>(`query($id: ID!) { node(id: $id) { id } }`, { id: made.link.id }, keys.preview)).node).toBeNull();
        const node = await ok<{ node: { __typename: string; id: string; post: { slug: string } } }>(
          `query($id: ID!) { node(id: $id) { __typename id ... on PreviewLink { post { slug } } } }`,
          { id: made.link.id },
          keys.editor,
        );
        expect(node.node).toEqual({ __typename: 'PreviewLink', id: made.link.id, post: { slug: posts.draft.slug } });
        // Newest first: a link made later (by the clock) comes before.
        server.clock.set(new Date(TEST_NOW.getTime() + 1000));
        let newest: string;
        try {
          newest = (await createLink(posts.draft.id)).link.id;
        } finally {
          server.clock.set(TEST_NOW);
        }
        const listed = await ok<{ post: { previewLinks: LinkView[] } }>(
          `query($slug: String!) { post(slug: $slug) { previewLinks { ${LINK_FIELDS} } } }`,
          { slug: posts.draft.slug },
          keys.editor,
        );
        expect(listed.post.previewLinks[0].id).toBe(newest);
        expect(listed.post.previewLinks.map((l) => l.id)).toContain(made.link.id);
        for (const link of listed.post.previewLinks) expect(link.revokedAt).toBeNull();
      });

      it('never write a token to the log', async () => {
        expect(tokens.length).toBeGreaterThan(5);
        // Request lines are written when each answer closes: the last ones may come a moment late.
        await new Promise((resolve) => setTimeout(resolve, 50));
        expect(logs.lines.length).toBeGreaterThan(20);
        const text = logs.lines.map((line) => JSON.stringify(line)).join('\n');
        for (const token of tokens) expect(text).not.toContain(token);
        expect(text).not.toContain('kpv_');
      });
    });
  });
}
