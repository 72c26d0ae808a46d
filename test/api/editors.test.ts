import type { Client } from '@urql/core';
import { SAMPLE_CONTENT_DIR } from '../../src/paths';
import {
  CreatePostDocument,
  DeletePostDocument,
  EditorArticleDocument,
  ImportMarkdownDocument,
  LintMarkdownDocument,
  PostsByStatusDocument,
  PublishPostDocument,
  RestorePostDocument,
  RestoreRevisionDocument,
  RevisionsDocument,
  SearchDocument,
  UnpublishPostDocument,
  UpdatePostDocument,
} from '../generated/graphql';
import { describeEachDatabase } from '../support/databases';
import { startTestServer, TEST_NOW, TestServer } from '../support/server';

type Role = 'reader' | 'partner' | 'editor' | 'admin';

describeEachDatabase('editors', (kind) => {
  let server: TestServer;
  const clients = {} as Record<Role | 'anonymous', Client>;
  let editorKeyId: string;

  beforeAll(async () => {
    server = await startTestServer(kind);
    expect((await server.importPaths([SAMPLE_CONTENT_DIR])).failed).toEqual([]);
    clients.anonymous = server.client;
    for (const role of ['reader', 'partner', 'editor', 'admin'] as const) {
      const { key, secret } = await server.services.keys.create(role, `${role} tool`);
      clients[role] = server.clientWith(secret);
      if (role === 'editor') editorKeyId = key.id;
    }
  });
  afterAll(() => server?.stop());

  const input = (title: string, extra: object = {}) => ({
    title,
    bodyMarkdown: `## Heading\n\nBody of ${title}. It has a sentence.`,
    author: 'editor-jane',
    tags: ['Editing', 'Kiji'],
    categories: ['newsroom'],
    ...extra,
  });

  async function create(title: string, extra: object = {}) {
    const result = await clients.editor.mutation(CreatePostDocument, { input: input(title, extra) }).toPromise();
    expect(result.error).toBeUndefined();
    return result.data!.createPost;
  }

  const code = (result: { error?: { graphQLErrors: { extensions: Record<string, unknown> }[] } }) => result.error?.graphQLErrors[0]?.extensions.code;

  describe('who may do what', () => {
    it('shows drafts only to editors and admins, as if absent to everyone else', async () => {
      for (const role of ['anonymous', 'reader', 'partner'] as const) {
        const draft = await clients[role].query(EditorArticleDocument, { slug: 'graphql-federation-notes' }).toPromise();
        expect(draft.error).toBeUndefined();
        expect(draft.data!.post).toBeNull();
        const list = await clients[role].query(PostsByStatusDocument, { status: ['DRAFT'] }).toPromise();
        expect(code(list)).toBe('FORBIDDEN');
      }
      for (const role of ['editor', 'admin'] as const) {
        const draft = await clients[role].query(EditorArticleDocument, { slug: 'graphql-federation-notes' }).toPromise();
        expect(draft.data!.post!.status).toBe('DRAFT');
        const drafts = await clients[role].query(PostsByStatusDocument, { status: ['DRAFT'], first: 100 }).toPromise();
        expect(drafts.data!.posts.edges.map((e) => e.node.slug).sort()).toEqual(expect.arrayContaining(['air-cooled-rack-retrofit', 'graphql-federation-notes']));
        for (const { node } of drafts.data!.posts.edges) expect(node.status).toBe('DRAFT');
      }
    });

    it('refuses unknown, malformed and revoked keys with UNAUTHENTICATED, never as anonymous', async () => {
      const { key, secret } = await server.services.keys.create('editor', 'soon revoked');
      await server.services.keys.revoke(key.id);
      for (const header of [`Bearer kiji_${'A'.repeat(43)}`, 'Bearer nonsense', 'Basic abc', `Bearer ${secret}`]) {
        const response = await fetch(server.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: header },
          body: JSON.stringify({ query: '{ posts(first: 1) { totalCount } }' }),
        });
        expect(response.status).toBe(401);
        const body = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
        expect(body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
        expect(body.errors[0].message).not.toMatch(/Context creation/);
      }
    });

    it('lets only editors and admins write', async () => {
      const anonymous = await clients.anonymous.mutation(CreatePostDocument, { input: input('Nope') }).toPromise();
      expect(code(anonymous)).toBe('UNAUTHENTICATED');
      for (const role of ['reader', 'partner'] as const) {
        expect(code(await clients[role].mutation(CreatePostDocument, { input: input('Nope') }).toPromise())).toBe('FORBIDDEN');
      }
      const byAdmin = await clients.admin.mutation(CreatePostDocument, { input: input('Admin draft') }).toPromise();
      expect(byAdmin.data!.createPost.status).toBe('DRAFT');
    });
  });

  it('creates, edits and publishes, one version and one revision per change', async () => {
    const draft = await create('Newsroom launch');
    expect(draft).toMatchObject({ slug: 'newsroom-launch', status: 'DRAFT', version: 1, author: { slug: 'editor-jane' } });
    expect(draft.tags.map((t) => t.name)).toEqual(['Editing', 'Kiji']);
    expect(draft.bodyHtml).toContain('<h2');
    expect((await clients.anonymous.query(EditorArticleDocument, { slug: 'newsroom-launch' }).toPromise()).data!.post).toBeNull();
    const edited = await clients.editor
      .mutation(UpdatePostDocument, { id: draft.id, expectedVersion: 1, input: { title: 'Newsroom launch day', tags: ['Launch'] } })
      .toPromise();
    expect(edited.data!.updatePost).toMatchObject({ title: 'Newsroom launch day', version: 2, slug: 'newsroom-launch' });
    expect(edited.data!.updatePost.tags.map((t) => t.name)).toEqual(['Launch']);
    const published = await clients.editor.mutation(PublishPostDocument, { id: draft.id }).toPromise();
    expect(published.data!.publishPost).toMatchObject({ status: 'PUBLISHED', version: 3, publishedAt: TEST_NOW.toISOString() });
    const seen = await clients.anonymous.query(EditorArticleDocument, { slug: 'newsroom-launch' }).toPromise();
    expect(seen.data!.post!.title).toBe('Newsroom launch day');
    const history = await clients.editor.query(RevisionsDocument, { slug: 'newsroom-launch', first: 10 }).toPromise();
    const revisions = history.data!.post!.revisions;
    expect(revisions.totalCount).toBe(3);
    expect(revisions.edges.map((e) => [e.node.version, e.node.status, e.node.title])).toEqual([
      [3, 'PUBLISHED', 'Newsroom launch day'],
      [2, 'DRAFT', 'Newsroom launch day'],
      [1, 'DRAFT', 'Newsroom launch'],
    ]);
    expect(revisions.edges[0].node.actor).toEqual({ keyId: editorKeyId, name: 'editor tool' });
    const anonymousHistory = await clients.anonymous.query(RevisionsDocument, { slug: 'newsroom-launch' }).toPromise();
    expect(code(anonymousHistory)).toBe('UNAUTHENTICATED');
  });

  it('records the importer as the author of imported revisions', async () => {
    const history = await clients.editor.query(RevisionsDocument, { slug: 'vim-registers' }).toPromise();
    expect(history.data!.post!.revisions.edges[0].node.actor).toEqual({ keyId: null, name: 'import' });
  });

  it('lets exactly one of 20 concurrent edits of the same version win; the others are CONFLICT', async () => {
    const post = await create('Contended post');
    const attempts = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        clients.editor.mutation(UpdatePostDocument, { id: post.id, expectedVersion: 1, input: { title: `Edit number ${i}`, tags: [`writer-${i}`] } }).toPromise(),
      ),
    );
    const winners = attempts.filter((a) => !a.error);
    const conflicts = attempts.filter((a) => code(a) === 'CONFLICT');
    expect(winners).toHaveLength(1);
    expect(conflicts).toHaveLength(19);
    for (const c of conflicts) expect(c.error!.graphQLErrors[0].extensions.currentVersion).toBeGreaterThanOrEqual(2);
    const winner = winners[0].data!.updatePost;
    const stored = (await clients.editor.query(EditorArticleDocument, { slug: 'contended-post' }).toPromise()).data!.post!;
    expect(stored.version).toBe(2);
    expect(stored.title).toBe(winner.title);
    expect(stored.tags.map((t) => t.name)).toEqual([`writer-${winner.title.split(' ').pop()}`]);
    process.stderr.write(`[${kind}] 20 concurrent updatePost: ${winners.length} success, ${conflicts.length} CONFLICT\n`);
  });

  it('gives back the same post after delete then restore; readers never see it in between', async () => {
    const post = await create('Short-lived');
    const live = (await clients.editor.mutation(PublishPostDocument, { id: post.id }).toPromise()).data!.publishPost;
    const deleted = await clients.editor.mutation(DeletePostDocument, { id: post.id, expectedVersion: live.version }).toPromise();
    expect(deleted.data!.deletePost.status).toBe('DELETED');
    expect((await clients.anonymous.query(EditorArticleDocument, { slug: 'short-lived' }).toPromise()).data!.post).toBeNull();
    const stale = await clients.editor.mutation(DeletePostDocument, { id: post.id, expectedVersion: live.version }).toPromise();
    expect(code(stale)).toBe('CONFLICT');
    const restored = (await clients.editor.mutation(RestorePostDocument, { id: post.id }).toPromise()).data!.restorePost;
    const { version: _a, ...before } = live;
    const { version: _b, ...after } = restored;
    expect(after).toEqual(before);
    expect((await clients.anonymous.query(EditorArticleDocument, { slug: 'short-lived' }).toPromise()).data!.post!.title).toBe('Short-lived');
  });

  it('restores a revision as a new revision, keeping history', async () => {
    const post = await create('Original title');
    await clients.editor.mutation(UpdatePostDocument, { id: post.id, expectedVersion: 1, input: { title: 'Changed title' } }).toPromise();
    const history = (await clients.editor.query(RevisionsDocument, { slug: 'original-title' }).toPromise()).data!.post!.revisions;
    const first = history.edges.find((e) => e.node.version === 1)!.node;
    const restored = await clients.editor.mutation(RestoreRevisionDocument, { postId: post.id, revisionId: first.id, expectedVersion: 2 }).toPromise();
    expect(restored.data!.restoreRevision).toMatchObject({ title: 'Original title', version: 3 });
    expect(restored.data!.restoreRevision.bodyMarkdown).toBe(post.bodyMarkdown);
    const after = (await clients.editor.query(RevisionsDocument, { slug: 'original-title' }).toPromise()).data!.post!.revisions;
    expect(after.edges.map((e) => e.node.title)).toEqual(['Original title', 'Changed title', 'Original title']);
  });

  it('shows a scheduled post at its time, with no job to run', async () => {
    const post = await create('Embargoed news');
    const at = new Date(TEST_NOW.getTime() + 3_600_000).toISOString();
    const scheduled = await clients.editor.mutation(PublishPostDocument, { id: post.id, at }).toPromise();
    expect(scheduled.data!.publishPost.status).toBe('SCHEDULED');
    expect((await clients.anonymous.query(EditorArticleDocument, { slug: 'embargoed-news' }).toPromise()).data!.post).toBeNull();
    server.clock.set(new Date(TEST_NOW.getTime() + 3_600_001));
    try {
      const seen = await clients.anonymous.query(EditorArticleDocument, { slug: 'embargoed-news' }).toPromise();
      expect(seen.data!.post).toMatchObject({ status: 'PUBLISHED', publishedAt: at });
    } finally {
      server.clock.set(TEST_NOW);
    }
  });

  it('unpublishes back to a draft', async () => {
    const post = await create('Pulled story');
    const live = (await clients.editor.mutation(PublishPostDocument, { id: post.id }).toPromise()).data!.publishPost;
    const pulled = await clients.editor.mutation(UnpublishPostDocument, { id: post.id, expectedVersion: live.version }).toPromise();
    expect(pulled.data!.unpublishPost.status).toBe('DRAFT');
    expect((await clients.anonymous.query(EditorArticleDocument, { slug: 'pulled-story' }).toPromise()).data!.post).toBeNull();
  });

  it('refuses invalid input naming the field, and writes nothing', async () => {
    const count = async () =>
      (await clients.editor.query(PostsByStatusDocument, { status: ['DRAFT', 'PUBLISHED', 'SCHEDULED', 'DELETED'] }).toPromise()).data!.posts.totalCount;
    const before = await count();
    const cases: [object, string][] = [
      [{ title: '  ' }, 'input.title'],
      [{ tags: ['ok', 'x'.repeat(101)] }, 'input.tags[1]'],
      [{ bodyMarkdown: 'x'.repeat(1024 * 1024 + 1) }, 'input.bodyMarkdown'],
    ];
    for (const [extra, field] of cases) {
      const result = await clients.editor.mutation(CreatePostDocument, { input: input('Valid', extra) }).toPromise();
      expect(code(result)).toBe('BAD_USER_INPUT');
      expect(result.error!.graphQLErrors[0].extensions.field).toBe(field);
      expect(result.error!.graphQLErrors[0].message).toContain(field);
    }
    const badDate = await clients.editor.mutation(CreatePostDocument, { input: { ...input('Valid'), publishedAt: 'next tuesday' } }).toPromise();
    expect(code(badDate)).toBe('BAD_USER_INPUT');
    expect(badDate.error!.graphQLErrors[0].message).toMatch(/publishedAt/);
    const badStatus = await clients.editor.query(PostsByStatusDocument, { status: ['ARCHIVED' as never] }).toPromise();
    expect(code(badStatus)).toBe('BAD_USER_INPUT');
    expect(await count()).toBe(before);
  });

  it('keeps search in step with edits and deletes', async () => {
    const post = await create('Searchable draft', { bodyMarkdown: 'The quokka is content.' });
    const live = (await clients.editor.mutation(PublishPostDocument, { id: post.id }).toPromise()).data!.publishPost;
    const find = async (q: string) => (await clients.anonymous.query(SearchDocument, { filter: { query: q } }).toPromise()).data!.posts.edges.map((e) => e.node.slug);
    expect(await find('quokka')).toEqual(['searchable-draft']);
    const edited = await clients.editor
      .mutation(UpdatePostDocument, { id: post.id, expectedVersion: live.version, input: { bodyMarkdown: 'The wombat is content.' } })
      .toPromise();
    expect(await find('quokka')).toEqual([]);
    expect(await find('wombat')).toEqual(['searchable-draft']);
    await clients.editor.mutation(DeletePostDocument, { id: post.id, expectedVersion: edited.data!.updatePost.version }).toPromise();
    expect(await find('wombat')).toEqual([]);
  });

  it('lints and imports Markdown for editors', async () => {
    const lint = await clients.editor.query(LintMarkdownDocument, { markdown: '---\ndate: someday\n---\n\n**Bold heading**\n\nText.\n' }).toPromise();
    expect(lint.data!.lintMarkdown.map((i) => i.code)).toEqual(expect.arrayContaining(['NO_TITLE', 'DATE_UNREADABLE', 'BOLD_HEADING']));
    const imported = await clients.editor
      .mutation(ImportMarkdownDocument, {
        files: [
          { path: '_posts/2024-11-01-from-the-cms.md', content: '---\ntitle: From the CMS\n---\n\nHello.\n' },
          { path: '_posts/broken.md', content: 'no front matter' },
        ],
      })
      .toPromise();
    expect(imported.data!.importMarkdown).toMatchObject({ imported: 1, failed: [{ file: '_posts/broken.md', line: 1 }] });
    expect((await clients.anonymous.query(EditorArticleDocument, { slug: 'from-the-cms' }).toPromise()).data!.post!.title).toBe('From the CMS');
    expect(code(await clients.reader.query(LintMarkdownDocument, { markdown: 'x' }).toPromise())).toBe('FORBIDDEN');
  });
});
