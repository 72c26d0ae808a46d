import fs from 'node:fs';
import { describeEachDatabase } from '../support/databases';
import { writeFixtureFolder } from '../support/fixtures';
import { startTestServer, TestServer } from '../support/server';

/*
 * Old addresses over HTTP: `redirect_from` paths and the slugs a renamed post had lead to the
 * post (`post(slug:)`, `redirect(path:)`), no other post may take an old slug, and feeds and the
 * sitemap name current addresses only. The site lives under a path prefix.
 */

const SITE = 'https://example.com/blog';

const FILES: Record<string, string> = {
  '_posts/2015-05-21-tocking-time.md': `---
title: Tocking time
redirect_from:
- /2015/05/21/TockingTime/
- /ja/記事/
- mailto:someone@example.com
- https://example.com/old/full-url.html
---

Build or buy?
`,
  '_posts/2016-01-01-second.md': `---
title: Second
redirect_from:
  - /second-old/
  - /2015/05/21/TockingTime
---

The second post.
`,
  '_posts/2016-02-02-hidden.md': `---
title: Hidden
published: false
redirect_from: /hidden-old/
---

A draft.
`,
};

interface Answer<T> {
  data?: T;
  errors?: { message: string; extensions: { code: string } }[];
}
interface RedirectValue {
  location: string;
  statusCode: number;
  post: { slug: string; status: string } | null;
}

const REDIRECT = `query($path: String!) { redirect(path: $path) { location statusCode post { slug status } } }`;
const POST = `query($slug: String!) { post(slug: $slug) { slug url title } }`;

describeEachDatabase('redirects', (kind) => {
  let server: TestServer;
  let dir: string;
  let editorKey: string;
  let origin: string;

  async function gql<T>(query: string, variables: object = {}, key?: string): Promise<{ body: Answer<T>; sql: number; headers: Headers }> {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return { body: (await response.json()) as Answer<T>, sql: Number(response.headers.get('x-kiji-sql-statements')), headers: response.headers };
  }
  async function data<T>(query: string, variables: object = {}, key?: string): Promise<T> {
    const { body } = await gql<T>(query, variables, key);
    expect(body.errors).toBeUndefined();
    return body.data!;
  }
  const redirect = async (path: string, key?: string) => (await data<{ redirect: RedirectValue | null }>(REDIRECT, { path }, key)).redirect;
  const post = async (slug: string, key?: string) => (await data<{ post: { slug: string; url: string; title: string } | null }>(POST, { slug }, key)).post;
  const code = (answer: Answer<unknown>) => answer.errors?.[0]?.extensions.code;

  async function create(title: string, extra: object = {}): Promise<{ id: string; slug: string; version: number }> {
    const input = { title, bodyMarkdown: `Body of ${title}.`, author: 'editor-jane', tags: [], categories: [], ...extra };
    const { createPost } = await data<{ createPost: { id: string; slug: string; version: number } }>(
      `mutation($input: PostInput!) { createPost(input: $input) { id slug version } }`,
      { input },
      editorKey,
    );
    return createPost;
  }
  async function publish(id: string): Promise<{ version: number }> {
    return (await data<{ publishPost: { version: number } }>(`mutation($id: ID!) { publishPost(id: $id) { version } }`, { id }, editorKey)).publishPost;
  }
  const RENAME = `mutation($id: ID!, $v: Int!, $slug: String) { updatePost(id: $id, expectedVersion: $v, input: { slug: $slug }) { slug version } }`;
  async function rename(id: string, version: number, slug: string): Promise<{ slug: string; version: number }> {
    return (await data<{ updatePost: { slug: string; version: number } }>(RENAME, { id, v: version, slug }, editorKey)).updatePost;
  }

  beforeAll(async () => {
    server = await startTestServer(kind, { site: { siteUrl: SITE, postUrlTemplate: '/posts/{slug}' } });
    origin = server.url.replace(/\/graphql$/, '');
    editorKey = (await server.services.keys.create('editor', 'redirect tests')).secret;
    dir = writeFixtureFolder(FILES);
  });
  afterAll(async () => {
    await server?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('imports redirect_from, reporting an invalid entry and a path another file claimed first, with their lines', async () => {
    const summary = await server.importPaths([dir]);
    expect(summary.failed).toEqual([]);
    expect(summary.imported).toBe(3);
    const warnings = summary.warnings.map((w) => ({ file: w.file.replace(/^.*\/_posts\//, ''), line: w.line, code: w.code }));
    expect(warnings).toEqual([
      { file: '2015-05-21-tocking-time.md', line: 6, code: 'REDIRECT_INVALID' },
      { file: '2016-01-01-second.md', line: 5, code: 'REDIRECT_TAKEN' },
    ]);
    expect(summary.warnings[1].message).toContain('/2015/05/21/TockingTime');
  });

  it('answers redirect_from paths in any spelling, and full URLs on the site, with the current absolute URL', async () => {
    const expected = { location: `${SITE}/posts/tocking-time`, statusCode: 301, post: { slug: 'tocking-time', status: 'PUBLISHED' } };
    for (const path of [
      '/2015/05/21/TockingTime/',
      '/2015/05/21/TockingTime',
      '2015/05/21/TockingTime/index.html',
      '/ja/記事',
      '/ja/%E8%A8%98%E4%BA%8B/',
      '/ja/%e8%a8%98%e4%ba%8b?utm_source=x#top',
      '/old/full-url.html',
      `${SITE}/old/full-url.html?x=1`,
      `${SITE}/ja/記事/`,
    ]) {
      expect([path, await redirect(path)]).toEqual([path, expected]);
    }
    // The first file that claimed a path keeps it; the second keeps its own.
    expect((await redirect('/second-old'))?.post?.slug).toBe('second');
    // Not on the site: another host, or outside its path prefix.
    expect(await redirect('https://other.example/2015/05/21/TockingTime/')).toBeNull();
    expect(await redirect('https://example.com/old/full-url.html')).toBeNull();
  });

  it('answers null for unknown paths, current URLs and what is not a path; refuses bad input', async () => {
    for (const path of ['/nope', '/posts/tocking-time', '/posts/tocking-time/', `${SITE}/posts/tocking-time`, '/posts/no-such-post', 'mailto:x@example.com', '/']) {
      expect([path, await redirect(path)]).toEqual([path, null]);
    }
    const long = await gql(REDIRECT, { path: `/${'a'.repeat(2000)}` });
    expect(code(long.body)).toBe('BAD_USER_INPUT');
    expect(long.body.errors?.[0].message).toContain('2000');
    expect(code((await gql(REDIRECT, { path: '/a\u0000b' })).body)).toBe('BAD_USER_INPUT');
  });

  it("keeps a draft's old addresses from readers", async () => {
    expect(await redirect('/hidden-old/')).toBeNull();
    expect(await redirect('/hidden-old/', editorKey)).toEqual({ location: `${SITE}/posts/hidden`, statusCode: 301, post: { slug: 'hidden', status: 'DRAFT' } });
  });

  it('is a public, cacheable read', async () => {
    const { headers } = await gql(REDIRECT, { path: '/second-old' });
    expect(headers.get('cache-control')).toMatch(/public/);
  });

  it("lets a post's current URL win over another post's redirect_from path", async () => {
    // The first file lists the URL the second one's slug makes (KIJI_POST_URL is /posts/{slug}): the live post has it.
    const folder = writeFixtureFolder({
      'a.md': '---\ntitle: Claims\ndate: 2024-03-01\nredirect_from: /posts/live-one/\n---\n\nA.\n',
      'b.md': '---\ntitle: Live one\ndate: 2024-03-02\n---\n\nB.\n',
    });
    try {
      const summary = await server.importPaths([folder]);
      expect(summary.failed).toEqual([]);
      expect(summary.warnings).toEqual([]);
      expect(await redirect('/posts/live-one/')).toBeNull();
      expect((await post('live-one'))?.title).toBe('Live one');
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });

  describe('renamed posts', () => {
    let renamed: { id: string; version: number };

    beforeAll(async () => {
      const created = await create('Rename me');
      expect(created.slug).toBe('rename-me');
      await publish(created.id);
      const first = await rename(created.id, created.version + 1, 'renamed');
      expect(first.slug).toBe('renamed');
      renamed = { id: created.id, version: first.version };
    });

    it('finds the post by its old slug, showing its current slug and URL', async () => {
      expect(await post('rename-me')).toEqual({ slug: 'renamed', url: '/posts/renamed', title: 'Rename me' });
      expect(await post('renamed')).toEqual({ slug: 'renamed', url: '/posts/renamed', title: 'Rename me' });
      expect(await redirect('/posts/rename-me')).toEqual({ location: `${SITE}/posts/renamed`, statusCode: 301, post: { slug: 'renamed', status: 'PUBLISHED' } });
      expect((await redirect(`${SITE}/posts/rename-me/?utm_source=feed`))?.location).toBe(`${SITE}/posts/renamed`);
    });

    it('costs one more statement only when a slug is not a current one', async () => {
      const current = await gql(`query($slug: String!) { post(slug: $slug) { id } }`, { slug: 'renamed' });
      const old = await gql(`query($s: String!) { post(slug: $s) { id title } }`, { s: 'rename-me' });
      expect(old.sql).toBe(current.sql + 1);
    });

    it('names current URLs only in feeds, the sitemap and the post', async () => {
      const feed = await (await fetch(`${origin}/feeds/posts.json?limit=100`)).text();
      const sitemap = await (await fetch(`${origin}/sitemap.xml`)).text();
      for (const document of [feed, sitemap]) {
        expect(document).toContain(`${SITE}/posts/renamed`);
        expect(document).not.toContain('/posts/rename-me');
      }
    });

    it('refuses an old slug to editors who name it for another post, and gives imports the next free one', async () => {
      const taken = await gql(
        `mutation($input: PostInput!) { createPost(input: $input) { slug } }`,
        { input: { title: 'Squatter', slug: 'rename-me', bodyMarkdown: 'x', author: 'a', tags: [], categories: [] } },
        editorKey,
      );
      expect(code(taken.body)).toBe('BAD_USER_INPUT');
      expect(taken.body.errors?.[0].message).toBe('`input.slug` "rename-me" redirects to another post (now "renamed"), which had it before; choose another slug');
      const other = await create('Other post');
      const steal = await gql(RENAME, { id: other.id, v: other.version, slug: 'rename-me' }, editorKey);
      expect(code(steal.body)).toBe('BAD_USER_INPUT');
      // A slug derived from the title moves on, as it does for a slug in use.
      expect((await create('Rename me')).slug).toBe('rename-me-2');
      const folder = writeFixtureFolder({
        '2024-05-05-renamed.md': '---\ntitle: Renamed twice over\n---\n\nA file that wants the slug.\n',
        '2024-05-06-rename-me.md': '---\ntitle: Wants rename-me\n---\n\nAnother.\n',
      });
      try {
        const summary = await server.importPaths([folder]);
        expect(summary.failed).toEqual([]);
        expect(summary.warnings.map((w) => [w.code, w.message])).toEqual([
          ['SLUG_TAKEN', 'slug "renamed" is already used by another post; this post gets "renamed-2"'],
          ['SLUG_TAKEN', 'slug "rename-me" was post "renamed"\'s, whose old URL still leads to it; this post gets "rename-me-3"'],
        ]);
        expect((await post('renamed-2'))?.title).toBe('Renamed twice over');
        expect((await post('rename-me-3'))?.title).toBe('Wants rename-me');
      } finally {
        fs.rmSync(folder, { recursive: true, force: true });
      }
    });

    it('keeps every old slug across renames, and lets the post take one of its own back', async () => {
      const twice = await rename(renamed.id, renamed.version, 'renamed-twice');
      for (const slug of ['rename-me', 'renamed', 'renamed-twice']) expect((await post(slug))?.slug).toBe('renamed-twice');
      const back = await rename(renamed.id, twice.version, 'rename-me');
      expect(back.slug).toBe('rename-me');
      expect(await redirect('/posts/rename-me')).toBeNull();
      for (const slug of ['renamed', 'renamed-twice']) {
        expect((await redirect(`/posts/${slug}`))?.location).toBe(`${SITE}/posts/rename-me`);
        expect((await post(slug))?.slug).toBe('rename-me');
      }
      renamed.version = back.version;
    });

    it("keeps a draft's old slugs from readers", async () => {
      const draft = await create('Draft to rename');
      await rename(draft.id, draft.version, 'draft-renamed');
      expect(await post('draft-to-rename')).toBeNull();
      expect(await redirect('/posts/draft-to-rename')).toBeNull();
      expect((await post('draft-to-rename', editorKey))?.slug).toBe('draft-renamed');
      expect((await redirect('/posts/draft-to-rename', editorKey))?.post).toEqual({ slug: 'draft-renamed', status: 'DRAFT' });
    });
  });
});
