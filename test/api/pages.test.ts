import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_PRESENTATION } from '../../src/config';
import { describeEachDatabase } from '../support/databases';
import { writeFixtureFolder } from '../support/fixtures';
import { startTestServer, TestServer } from '../support/server';

/*
 * Jekyll pages over HTTP: a small site with pages (`layout: page`, a `pages/` and a `_pages/`
 * folder) beside its posts, imported with `kiji import`'s folder import; pages are listed and
 * fetched as their own type and never show up where posts do.
 */

const SITE: Record<string, string> = {
  '_config.yml': 'title: A small site\n',
  'about.md': `---
layout: page
title: About us
permalink: /about/
description: Who writes this site, and why.
---

## Who we are

We write about Kiji and static sites. Pelicans are our mascot.
`,
  'pages/contact.md': `---
title: Contact
---

Write to us at the usual address.
`,
  'pages/secret.md': `---
title: Secret plan
published: false
---

Nobody but editors may read this.
`,
  '_pages/team/index.md': `---
title: The team
lang: ja
---

私たちのチームです。
`,
  '_posts/2024-01-01-hello.md': `---
title: Hello
date: 2024-01-01 09:00:00 +0000
---

The first post of the site.
`,
  // A post whose layout is `page` is a post all the same: it is in `_posts`.
  '_posts/2024-01-02-odd-layout.md': `---
layout: page
title: Odd layout
date: 2024-01-02 09:00:00 +0000
---

A post with a page layout.
`,
};

interface Answer<T> {
  data?: T;
  errors?: { message: string; extensions: { code: string } }[];
}
interface PageNode {
  id: string;
  slug: string;
  url: string;
  title: string;
  status: string;
}

const PAGE_FIELDS = 'id slug url title status';

describeEachDatabase('pages', (kind) => {
  let server: TestServer;
  let dir: string;
  let editorKey: string;

  async function gql<T>(query: string, variables: object = {}, key?: string): Promise<{ body: Answer<T>; sql: number }> {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return { body: (await response.json()) as Answer<T>, sql: Number(response.headers.get('x-kiji-sql-statements')) };
  }
  async function data<T>(query: string, variables: object = {}, key?: string): Promise<T> {
    const { body } = await gql<T>(query, variables, key);
    expect(body.errors).toBeUndefined();
    return body.data!;
  }
  const pageList = async (key?: string, first = 10) =>
    (
      await data<{ pages: { totalCount: number; edges: { cursor: string; node: PageNode }[] } }>(
        `query($first: Int) { pages(first: $first) { totalCount edges { cursor node { ${PAGE_FIELDS} } } } }`,
        { first },
        key,
      )
    ).pages;

  beforeAll(async () => {
    server = await startTestServer(kind, {
      site: { siteUrl: 'https://example.com', presentation: { ...DEFAULT_PRESENTATION, pageUrlTemplate: '/site/{slug}' } },
    });
    dir = writeFixtureFolder(SITE);
    editorKey = (await server.services.keys.create('editor', 'pages tests')).secret;
    const summary = await server.importPaths([dir]);
    expect(summary.failed).toEqual([]);
    expect(summary).toMatchObject({ imported: 6, updated: 0, unchanged: 0, pages: 4 });
    // A page needs no date: no NO_DATE warning for pages.
    expect(summary.warnings).toEqual([]);
  });
  afterAll(async () => {
    await server?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('lists published pages in slug order, each with its address: the permalink, else the page URL template', async () => {
    const pages = await pageList();
    expect(pages.totalCount).toBe(3);
    expect(pages.edges.map((e) => [e.node.slug, e.node.url, e.node.title, e.node.status])).toEqual([
      ['about', '/about/', 'About us', 'PUBLISHED'],
      ['contact', '/site/contact', 'Contact', 'PUBLISHED'],
      ['team', '/site/team', 'The team', 'PUBLISHED'],
    ]);
    const next = await data<{ pages: { edges: { node: PageNode }[]; pageInfo: { hasNextPage: boolean } } }>(
      `query($after: String) { pages(first: 1, after: $after) { edges { node { slug } } pageInfo { hasNextPage } } }`,
      { after: pages.edges[0].cursor },
    );
    expect(next.pages.edges.map((e) => e.node.slug)).toEqual(['contact']);
    expect(next.pages.pageInfo.hasNextPage).toBe(true);
    const tooMany = await gql(`{ pages(first: 101) { totalCount } }`);
    expect(tooMany.body.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('fetches a page by slug, with its body, outline, language and SEO fields', async () => {
    const { page } = await data<{ page: Record<string, unknown> & { seo: Record<string, unknown>; headings: { text: string }[] } }>(
      `{ page(slug: "about") { slug title excerpt bodyMarkdown bodyHtml headings { level text anchor } language updatedAt frontMatter
          seo { title description canonicalUrl noindex } coverImage { url } } }`,
    );
    expect(page).toMatchObject({ slug: 'about', title: 'About us', language: 'en', coverImage: null });
    expect(page.bodyHtml).toContain('<h2 id="who-we-are">Who we are</h2>');
    expect(page.headings.map((h) => h.text)).toEqual(['Who we are']);
    expect(page.excerpt).toContain('We write about Kiji');
    expect(page.frontMatter).toMatchObject({ layout: 'page', permalink: '/about/' });
    expect(page.seo).toEqual({ title: 'About us', description: 'Who writes this site, and why.', canonicalUrl: 'https://example.com/about/', noindex: false });
    const team = await data<{ page: { title: string; language: string; seo: { canonicalUrl: string } } }>(`{ page(slug: "team") { title language seo { canonicalUrl } } }`);
    expect(team.page).toEqual({ title: 'The team', language: 'ja', seo: { canonicalUrl: 'https://example.com/site/team' } });
    expect((await data<{ page: null }>(`{ page(slug: "hello") { slug } }`)).page).toBeNull();
  });

  it('keeps pages out of posts, search, feeds and the change feed; posts stay posts whatever their layout', async () => {
    const { posts } = await data<{ posts: { edges: { node: { slug: string } }[] } }>(`{ posts(first: 50) { edges { node { slug } } } }`);
    expect(posts.edges.map((e) => e.node.slug).sort()).toEqual(['hello', 'odd-layout']);
    const search = await data<{ posts: { totalCount: number } }>(`{ posts(filter: { query: "pelicans" }) { totalCount } }`);
    expect(search.posts.totalCount).toBe(0);
    const feed = (await (await fetch(server.url.replace(/\/graphql$/, '/feeds/posts.json'))).json()) as { items: { title: string }[] };
    expect(feed.items.map((i) => i.title).sort()).toEqual(['Hello', 'Odd layout']);
    const partner = (await server.services.keys.create('partner', 'pages partner')).secret;
    const changes = await data<{ changes: { entries: { post: { title: string } | null }[] } }>(`{ changes { entries { post { title } } } }`, {}, partner);
    expect(changes.changes.entries.map((e) => e.post?.title).sort()).toEqual(['Hello', 'Odd layout']);
  });

  it('shows drafts to editors only, and finds pages by node(id:)', async () => {
    expect((await data<{ page: null }>(`{ page(slug: "secret") { slug } }`)).page).toBeNull();
    const asEditor = await pageList(editorKey);
    expect(asEditor.totalCount).toBe(4);
    const secret = asEditor.edges.find((e) => e.node.slug === 'secret')!.node;
    expect(secret.status).toBe('DRAFT');
    const byId = `query($id: ID!) { node(id: $id) { __typename id ... on Page { slug title } } page(id: $id) { slug } }`;
    expect((await data<{ node: null; page: null }>(byId, { id: secret.id })).node).toBeNull();
    expect((await data<{ page: null }>(byId, { id: secret.id })).page).toBeNull();
    expect((await data<{ node: { __typename: string; slug: string } }>(byId, { id: secret.id }, editorKey)).node).toMatchObject({ __typename: 'Page', slug: 'secret' });
    const about = (await pageList()).edges[0].node;
    expect(await data(byId, { id: about.id })).toEqual({ node: { __typename: 'Page', id: about.id, slug: 'about', title: 'About us' }, page: { slug: 'about' } });
  });

  it('skips unchanged pages on re-import and updates a changed one', async () => {
    const before = await data<{ page: { updatedAt: string } }>(`{ page(slug: "contact") { updatedAt } }`);
    const again = await server.importPaths([dir]);
    expect(again).toMatchObject({ imported: 0, updated: 0, unchanged: 6, pages: 4, failed: [] });
    fs.writeFileSync(path.join(dir, 'pages', 'contact.md'), SITE['pages/contact.md'].replace('title: Contact', 'title: Contact us'));
    server.clock.set(new Date(server.clock.now().getTime() + 60_000));
    const changed = await server.importPaths([dir]);
    expect(changed).toMatchObject({ imported: 0, updated: 1, unchanged: 5, pages: 4, failed: [] });
    const after = await data<{ page: { title: string; updatedAt: string } }>(`{ page(slug: "contact") { title updatedAt } }`);
    expect(after.page.title).toBe('Contact us');
    expect(Date.parse(after.page.updatedAt)).toBeGreaterThan(Date.parse(before.page.updatedAt));
  });

  it('turns a post whose file becomes a page into a deleted post, and back', async () => {
    const folder = writeFixtureFolder({ 'moving.md': '---\ntitle: Moving\ndate: 2024-03-01 09:00:00 +0000\n---\n\nMoving about.\n' });
    const file = path.join(folder, 'moving.md');
    const slugs = async () =>
      (await data<{ posts: { edges: { node: { slug: string } }[] } }>(`{ posts(first: 50) { edges { node { slug } } } }`)).posts.edges.map((e) => e.node.slug);
    const postOf = async () => (await data<{ post: { slug: string } | null }>(`{ post(slug: "moving") { slug } }`)).post;
    try {
      expect(await server.importPaths([folder])).toMatchObject({ imported: 1, pages: 0, failed: [] });
      expect(await slugs()).toContain('moving');
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('title: Moving', 'layout: page\ntitle: Moving'));
      const asPage = await server.importPaths([folder]);
      expect(asPage).toMatchObject({ imported: 1, pages: 1, failed: [] });
      expect(asPage.warnings.map((w) => [w.code, w.line, w.message])).toEqual([
        ['NOW_A_PAGE', 1, 'this file is a page now; its post "moving" is deleted (an editor can restore it)'],
      ]);
      expect(await postOf()).toBeNull();
      expect(await slugs()).not.toContain('moving');
      expect((await data<{ page: { title: string } }>(`{ page(slug: "moving") { title } }`)).page.title).toBe('Moving');
      // Back to a post: the page goes, the post the import deleted comes back.
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('layout: page\n', ''));
      const asPost = await server.importPaths([folder]);
      expect(asPost).toMatchObject({ updated: 1, pages: 0, failed: [] });
      expect(asPost.warnings.map((w) => w.code)).toEqual(['NOW_A_POST']);
      expect((await data<{ page: null }>(`{ page(slug: "moving") { slug } }`)).page).toBeNull();
      expect(await postOf()).toEqual({ slug: 'moving' });
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });

  it("keeps a page's address from a post's redirect_from", async () => {
    const folder = writeFixtureFolder({
      '_posts/2024-02-01-claims.md': '---\ntitle: Claims\ndate: 2024-02-01 09:00:00 +0000\nredirect_from:\n  - /about/\n  - /site/contact\n  - /old-claims/\n---\n\nA post.\n',
    });
    const redirect = async (p: string) => (await data<{ redirect: { location: string } | null }>(`query($p: String!) { redirect(path: $p) { location } }`, { p })).redirect;
    try {
      const summary = await server.importPaths([folder]);
      expect(summary.failed).toEqual([]);
      expect(summary.warnings.map((w) => [w.code, w.line, w.message])).toEqual([
        ['REDIRECT_TAKEN', 5, 'redirect_from "/about" is the address of page "about"; it is not stored'],
        ['REDIRECT_TAKEN', 6, 'redirect_from "/site/contact" is the address of page "contact"; it is not stored'],
      ]);
      expect(await redirect('/about/')).toBeNull();
      expect(await redirect('/site/contact')).toBeNull();
      expect(await redirect('/old-claims')).toEqual({ location: 'https://example.com/posts/claims' });
      // A page that takes a post's redirect_from path later takes the address from the redirect.
      fs.mkdirSync(path.join(folder, 'pages'));
      fs.writeFileSync(path.join(folder, 'pages', 'old-claims.md'), '---\ntitle: Old claims\npermalink: /old-claims/\n---\n\nA page.\n');
      expect(await server.importPaths([folder])).toMatchObject({ imported: 1, pages: 1, failed: [] });
      expect(await redirect('/old-claims')).toBeNull();
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });

  it('costs as many statements for one page as for twenty (the response cache adds its one check)', async () => {
    const cost = async (first: number) =>
      (await gql(`query($first: Int) { pages(first: $first) { edges { node { ${PAGE_FIELDS} bodyHtml seo { title canonicalUrl } } } } }`, { first })).sql;
    const one = await cost(1);
    expect(await cost(20)).toBe(one);
    expect(one).toBeLessThanOrEqual(2);
  });
});
