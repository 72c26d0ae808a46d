import crypto from 'node:crypto';
import type { Client } from '@urql/core';
import { XMLParser } from 'fast-xml-parser';
import Parser from 'rss-parser';
import { SAMPLE_CONTENT_DIR } from '../../src/paths';
import { CreatePostDocument, DeletePostDocument, PublishPostDocument, UnpublishPostDocument, UpdatePostDocument } from '../generated/graphql';
import { describeEachDatabase, describeEachDatabaseIf, testRedisUrl } from '../support/databases';
import { holdNextWrite } from '../support/held-write';
import { startTestServer, TEST_NOW, TestServer } from '../support/server';
import { expectStrictXml } from '../support/strict-xml';

/*
 * Feeds and the sitemap over real HTTP: every feed kind parsed by rss-parser (RSS, Atom) or read
 * as JSON Feed 1.1, and checked against the elements each specification requires; the sitemap
 * checked against sitemaps.org's rules. The site lives under a path prefix, and the post URL
 * template carries a query string, so escaping and absolute URLs are tested on every document.
 */

const SITE = 'https://example.com/blog';
/** `&` in every post URL: it must be `&amp;` in XML and stay `&` once parsed. */
const POST_URL = '/posts/{slug}?from=feed&lang=any';
const JAPANESE_TITLE = '液浸冷却は空冷を置き換えるのか';
const JAPANESE_SLUG = 'immersion-cooling';
const TAG = '冷却';
const AUTHOR = '田中-花子';
const CATEGORY = 'インフラ';

const REPEATED = new Set(['item', 'entry', 'url', 'sitemap', 'category', 'author', 'feed.link', 'feed.entry.link']);
const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (name, path) => REPEATED.has(name) || REPEATED.has(String(path)) });
const feedParser = new Parser();

/** The parts of each document the tests read, as fast-xml-parser gives them (attributes as `@name`). */
interface RssDocument {
  rss: {
    '@version': string;
    '@xmlns:atom': string;
    '@xmlns:content': string;
    '@xmlns:dc': string;
    channel: Record<string, unknown> & { title: string; link: string; 'atom:link': Record<string, string> };
  };
}
interface AtomDocument {
  feed: Record<string, unknown> & { '@xmlns': string; id: string; updated: string; link: Record<string, string>[]; entry: Record<string, unknown>[] };
}
interface SitemapEntry {
  loc: string;
  lastmod: string;
}
interface UrlSetDocument {
  urlset: { '@xmlns': string; url: SitemapEntry[] };
}
interface SitemapIndexDocument {
  sitemapindex: { '@xmlns': string; sitemap: SitemapEntry[] };
}
const parseXml = <T>(text: string): T => xml.parse(text) as T;

const postUrl = (slug: string) => new URL(`${SITE}${POST_URL.replace('{slug}', slug)}`).href;
/** Item ids: the post's global id, which a slug rename does not change. */
const ITEM_ID = /^urn:kiji:post:[A-Za-z0-9_-]+$/;

describeEachDatabase('feeds and sitemap', (kind) => {
  let server: TestServer;
  let origin: string;
  let editor: Client;
  let visibleSlugs: string[];

  const get = (path: string, headers: Record<string, string> = {}) => fetch(origin + path, { headers });
  /** A document's text; XML ones checked by a strict, namespace-aware reader as well (parsers are lenient). */
  const text = async (path: string) => {
    const response = await get(path);
    expect(response.status).toBe(200);
    const body = await response.text();
    if (!path.split('?')[0].endsWith('.json')) expectStrictXml(body);
    return { response, body };
  };

  beforeAll(async () => {
    server = await startTestServer(kind, { site: { siteUrl: SITE, siteTitle: 'Kiji & <Friends>', postUrlTemplate: POST_URL } });
    expect((await server.importPaths([SAMPLE_CONTENT_DIR])).failed).toEqual([]);
    origin = server.url.replace(/\/graphql$/, '');
    editor = server.clientWith((await server.services.keys.create('editor', 'feed tests')).secret);
    const rows: { slug: string }[] = await server.dataSource.query(`SELECT slug FROM posts WHERE status = 'published' AND "deletedAt" IS NULL`);
    visibleSlugs = rows.map((r) => r.slug);
  });
  afterAll(() => server?.stop());

  async function createPost(title: string, extra: object = {}) {
    const input = { title, bodyMarkdown: `本文です。${title} & <b>bold</b>`, author: '田中 花子', tags: [TAG], categories: [CATEGORY], ...extra };
    const created = await editor.mutation(CreatePostDocument, { input }).toPromise();
    expect(created.error).toBeUndefined();
    return created.data!.createPost;
  }

  async function publish(id: string, at?: Date) {
    const published = await editor.mutation(PublishPostDocument, { id, at: at?.toISOString() }).toPromise();
    expect(published.error).toBeUndefined();
    return published.data!.publishPost;
  }

  const rssTitles = async (path: string) => (await feedParser.parseString((await text(path)).body)).items.map((i) => i.title);
  const rssItems = async (path: string) => (await feedParser.parseString((await text(path)).body)).items;
  const jsonTitles = async (path: string) => ((await (await get(path)).json()) as { items: { title: string }[] }).items.map((i) => i.title);

  describe.each([
    ['site', '/feeds/posts', (titles: string[]) => expect(titles.length).toBe(Math.min(20, visibleSlugs.length))],
    ['tag', `/feeds/tags/${encodeURIComponent(TAG)}`, (titles: string[]) => expect(titles).toContain(JAPANESE_TITLE)],
    ['author', `/feeds/authors/${encodeURIComponent(AUTHOR)}`, (titles: string[]) => expect(titles).toContain(JAPANESE_TITLE)],
    ['category', `/feeds/categories/${encodeURIComponent(CATEGORY)}`, (titles: string[]) => expect(titles).toContain(JAPANESE_TITLE)],
  ])('the %s feed', (_scope, path, holdsExpectedPosts) => {
    it('is RSS 2.0 with the required channel and item elements, absolute URLs and Japanese intact', async () => {
      const { response, body } = await text(`${path}.rss`);
      expect(response.headers.get('content-type')).toBe('application/rss+xml; charset=utf-8');
      const rss = parseXml<RssDocument>(body).rss;
      expect(rss['@version']).toBe('2.0');
      const channel = rss.channel;
      for (const required of ['title', 'link', 'description']) expect(String(channel[required]).length).toBeGreaterThan(0);
      expect(channel.title).toContain('Kiji & <Friends>');
      expect(channel.link.startsWith(`${SITE}/`)).toBe(true);
      expect(channel['atom:link']).toMatchObject({ '@rel': 'self', '@href': `${SITE}${path}.rss` });
      expect(rss['@xmlns:atom']).toBe('http://www.w3.org/2005/Atom');
      expect(rss['@xmlns:content']).toBe('http://purl.org/rss/1.0/modules/content/');
      expect(rss['@xmlns:dc']).toBe('http://purl.org/dc/elements/1.1/');
      // Escaped in the text, `&` once parsed.
      expect(body).toContain('from=feed&amp;lang=any');
      expect(body).not.toMatch(/from=feed&lang/);
      const parsed = await feedParser.parseString(body);
      holdsExpectedPosts(parsed.items.map((i) => i.title!));
      for (const item of parsed.items) {
        expect(item.title || item.content).toBeTruthy();
        expect(item.guid).toMatch(ITEM_ID);
        expect(item.link!.startsWith(`${SITE}/posts/`)).toBe(true);
        expect(item.link).toContain('&lang=any');
        expect(item['content:encoded']).toMatch(/^</);
        expect(Number.isNaN(Date.parse(item.pubDate!))).toBe(false);
        expect(item.creator).toBeTruthy();
      }
      const japanese = parsed.items.find((i) => i.title === JAPANESE_TITLE);
      if (japanese) {
        expect(japanese.link).toBe(postUrl(JAPANESE_SLUG));
        expect(japanese['content:encoded']).toContain('液浸冷却の仕組み');
        expect(japanese.creator).toBe('田中 花子');
        // rss-parser gives a category with a `domain` as { _: name, $: attributes }.
        const names = (japanese.categories as unknown[]).map((c) => (typeof c === 'string' ? c : (c as { _: string })._));
        expect(names).toEqual(expect.arrayContaining([TAG, CATEGORY]));
      }
    });

    it('is Atom 1.0 with the required feed and entry elements', async () => {
      const { response, body } = await text(`${path}.atom`);
      expect(response.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
      const feed = parseXml<AtomDocument>(body).feed;
      expect(feed['@xmlns']).toBe('http://www.w3.org/2005/Atom');
      for (const required of ['id', 'title', 'updated']) expect(String(feed[required]).length).toBeGreaterThan(0);
      expect(feed.id).toBe(`${SITE}${path}.atom`);
      expect(feed.link).toEqual(expect.arrayContaining([expect.objectContaining({ '@rel': 'self', '@href': `${SITE}${path}.atom` })]));
      expect(Number.isNaN(Date.parse(feed.updated))).toBe(false);
      const entries = feed.entry;
      holdsExpectedPosts(entries.map((e) => String(e.title && typeof e.title === 'object' ? (e.title as Record<string, unknown>)['#text'] : e.title)));
      // The feed's `updated` is its newest entry's.
      expect(feed.updated).toBe(
        entries
          .map((e) => String(e.updated))
          .sort()
          .pop(),
      );
      for (const entry of entries) {
        for (const required of ['id', 'title', 'updated', 'author', 'content', 'summary']) expect(entry[required]).toBeTruthy();
        const links = entry.link as Record<string, string>[];
        // An Atom link without `rel` is rel="alternate" (RFC 4287 4.2.7.2).
        const alternate = links.find((l) => (l['@rel'] ?? 'alternate') === 'alternate');
        expect(alternate?.['@href'].startsWith(`${SITE}/posts/`)).toBe(true);
        expect(entry.id).toMatch(ITEM_ID);
        expect((entry.author as { name: string }[])[0].name).toBeTruthy();
      }
      const parsed = await feedParser.parseString(body);
      const japanese = parsed.items.find((i) => i.title === JAPANESE_TITLE);
      if (japanese) {
        expect(japanese.id).toMatch(ITEM_ID);
        expect(japanese.link).toBe(postUrl(JAPANESE_SLUG));
        expect(japanese.content).toContain('液浸冷却の仕組み');
        expect(japanese.author).toBe('田中 花子');
      }
    });

    it('is JSON Feed 1.1 with the required fields', async () => {
      const response = await get(`${path}.json`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/feed+json; charset=utf-8');
      const feed = (await response.json()) as Record<string, unknown> & { items: Record<string, unknown>[] };
      expect(feed.version).toBe('https://jsonfeed.org/version/1.1');
      expect(typeof feed.title).toBe('string');
      expect(feed.feed_url).toBe(`${SITE}${path}.json`);
      expect(String(feed.home_page_url).startsWith(`${SITE}/`)).toBe(true);
      holdsExpectedPosts(feed.items.map((i) => String(i.title)));
      for (const item of feed.items) {
        expect(typeof item.id).toBe('string');
        expect(typeof item.content_html).toBe('string');
        expect(String(item.url).startsWith(`${SITE}/posts/`)).toBe(true);
        expect(Number.isNaN(Date.parse(String(item.date_modified)))).toBe(false);
        expect((item.authors as { name: string }[])[0].name).toBeTruthy();
        expect(item.author).toBeUndefined(); // 1.1 deprecates `author` for `authors`
      }
      const japanese = feed.items.find((i) => i.title === JAPANESE_TITLE);
      if (japanese) {
        expect(japanese.id).toMatch(ITEM_ID);
        expect(japanese).toMatchObject({
          url: postUrl(JAPANESE_SLUG),
          language: 'ja',
          authors: [{ name: '田中 花子', url: `${SITE}/authors/${encodeURIComponent(AUTHOR)}` }],
        });
        expect(japanese.tags).toEqual(expect.arrayContaining([TAG, CATEGORY]));
        expect(String(japanese.content_html)).toContain('液浸冷却の仕組み');
      }
    });
  });

  it('lists the newest 20 by default, newest first, and takes ?limit= up to 100', async () => {
    const all = (await (await get('/feeds/posts.json?limit=100')).json()) as { items: { date_published: string }[] };
    expect(all.items).toHaveLength(visibleSlugs.length);
    const dates = all.items.map((i) => i.date_published);
    expect([...dates].sort().reverse()).toEqual(dates);
    expect(await jsonTitles('/feeds/posts.json?limit=2')).toHaveLength(2);
    for (const bad of ['0', '101', 'ten', '-1', '1.5']) {
      const response = await get(`/feeds/posts.rss?limit=${bad}`);
      expect(response.status).toBe(400);
      const body = (await response.json()) as { errors: { message: string; extensions: object }[] };
      expect(body.errors).toHaveLength(1);
      expect(body.errors[0].message).toBe('`limit` must be a whole number from 1 to 100');
      expect(body.errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'limit', limit: 100 });
    }
  });

  it('costs the same few SQL statements whatever the feed size', async () => {
    const cost = async (path: string) => {
      const response = await get(path);
      expect(response.headers.get('x-kiji-cache')).toBe('miss');
      return Number(response.headers.get('x-kiji-sql-statements'));
    };
    const small = await cost(`/feeds/tags/${encodeURIComponent(TAG)}.rss?limit=1`);
    const large = await cost(`/feeds/tags/${encodeURIComponent(TAG)}.rss?limit=50`);
    expect(small).toBeGreaterThan(0);
    expect(large).toBe(small);
    expect(await cost('/feeds/posts.atom?limit=100')).toBeLessThanOrEqual(small);
  });

  it('answers an unknown slug, folder or format with a JSON 404 and no internals', async () => {
    for (const path of [
      '/feeds/tags/no-such-tag.rss',
      '/feeds/authors/nobody.atom',
      '/feeds/categories/none.json',
      '/feeds/posts.xml',
      '/feeds/series/x.rss',
      '/sitemaps/1.xml',
    ]) {
      const response = await get(path);
      expect(response.status).toBe(404);
      const body = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
      expect(body.errors[0].extensions.code).toBe('NOT_FOUND');
      expect(JSON.stringify(body)).not.toMatch(/at \w|SELECT|127\.0\.0\.1|5432|node_modules/);
    }
  });

  it('answers from the response cache, with Cache-Control like anonymous reads and 304 for a matching ETag', async () => {
    const path = `/feeds/categories/${encodeURIComponent(CATEGORY)}.atom?limit=3`;
    const first = await get(path);
    expect(first.headers.get('cache-control')).toBe('max-age=60, public');
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^W\/"/);
    let again = await get(path);
    for (let attempt = 0; again.headers.get('x-kiji-cache') !== 'hit' && attempt < 40; attempt += 1) again = await get(path);
    expect(again.headers.get('x-kiji-cache')).toBe('hit');
    expect(Number(again.headers.get('x-kiji-sql-statements'))).toBeLessThan(Number(first.headers.get('x-kiji-sql-statements')));
    expect(again.headers.get('etag')).toBe(etag);
    expect(await again.text()).toBe(await first.text());
    const notModified = await get(path, { 'if-none-match': etag });
    expect(notModified.status).toBe(304);
    expect(await notModified.text()).toBe('');
    expect((await get(path, { 'if-none-match': 'W/"something-else"' })).status).toBe(200);
    const gzipped = await get(path, { 'accept-encoding': 'gzip' });
    expect(gzipped.headers.get('content-encoding')).toBe('gzip');
    expect(await gzipped.text()).toContain('<feed'); // fetch inflates it
  });

  it('shows a write at the next request: published posts appear, unpublished and deleted ones disappear', async () => {
    const paths = ['/feeds/posts.rss', `/feeds/tags/${encodeURIComponent(TAG)}.rss`, `/feeds/authors/${encodeURIComponent(AUTHOR)}.rss`];
    for (const path of paths) await rssTitles(path); // cached now
    const draft = await createPost('下書きの記事 & <特別>');
    for (const path of paths) expect(await rssTitles(path)).not.toContain('下書きの記事 & <特別>');
    let post = await publish(draft.id);
    for (const path of paths) expect((await rssTitles(path))[0]).toBe('下書きの記事 & <特別>');
    expect(await jsonTitles('/feeds/posts.json')).toContain('下書きの記事 & <特別>');
    const unpublished = await editor.mutation(UnpublishPostDocument, { id: post.id, expectedVersion: post.version }).toPromise();
    expect(unpublished.error).toBeUndefined();
    for (const path of paths) expect(await rssTitles(path)).not.toContain('下書きの記事 & <特別>');
    post = await publish(post.id);
    expect(await rssTitles('/feeds/posts.rss')).toContain('下書きの記事 & <特別>');
    const deleted = await editor.mutation(DeletePostDocument, { id: post.id, expectedVersion: post.version }).toPromise();
    expect(deleted.error).toBeUndefined();
    for (const path of paths) expect(await rssTitles(path)).not.toContain('下書きの記事 & <特別>');
    expect((await text('/sitemap.xml')).body).not.toContain(encodeURIComponent('下書きの記事'));
  });

  it('never keeps a feed made while a write was open that then rolled back', async () => {
    // SQLite's one connection shows a feed made meanwhile the open write's rows and generation;
    // kept, it would be served again once later writes take that generation.
    const post = await publish((await createPost('巻き戻しの前')).id);
    expect((await rssTitles('/feeds/posts.rss'))[0]).toBe('巻き戻しの前');
    const hold = holdNextWrite(server);
    try {
      const failing = editor.mutation(UpdatePostDocument, { id: post.id, expectedVersion: post.version, input: { title: '巻き戻された題' } }).toPromise();
      await hold.inside;
      // SQLite's one connection shows a reader the open write: then no cache may keep the feed, a CDN's included.
      const during = await get('/feeds/posts.rss');
      const seen = [(await feedParser.parseString(await during.text())).items[0].title, during.headers.get('cache-control')];
      expect(seen).toEqual(kind === 'sqlite' ? ['巻き戻された題', 'no-store'] : ['巻き戻しの前', 'max-age=60, public']);
      hold.release();
      expect((await failing).error).toBeDefined();
      expect((await rssTitles('/feeds/posts.rss'))[0]).toBe('巻き戻しの前');
      // Writes that each move the content generation on by one, as the rolled-back one had.
      for (const description of ['Cooling.', 'Cooling and water.']) {
        const edited = await editor.mutation(`mutation { updateTag(slug: "${TAG}", input: { description: "${description}" }) { slug } }`, {}).toPromise();
        expect(edited.error).toBeUndefined();
        expect((await rssTitles('/feeds/posts.rss'))[0]).toBe('巻き戻しの前');
      }
    } finally {
      hold.restore();
    }
  });

  it('shows a scheduled post once the clock passes its time, though nothing is written then', async () => {
    const at = new Date(TEST_NOW.getTime() + 30 * 60_000);
    const scheduled = await publish((await createPost('予約投稿の記事')).id, at);
    expect(scheduled.status).toBe('SCHEDULED');
    const before = await get('/feeds/posts.json');
    expect(((await before.json()) as { items: { title: string }[] }).items.map((i) => i.title)).not.toContain('予約投稿の記事');
    expect(before.headers.get('cache-control')).toBe('max-age=60, public');
    expect(await rssTitles(`/feeds/tags/${encodeURIComponent(TAG)}.rss`)).not.toContain('予約投稿の記事');
    server.clock.set(new Date(at.getTime() + 1000));
    try {
      expect((await jsonTitles('/feeds/posts.json'))[0]).toBe('予約投稿の記事');
      expect((await rssTitles(`/feeds/tags/${encodeURIComponent(TAG)}.rss`))[0]).toBe('予約投稿の記事');
      expect((await text('/sitemap.xml')).body).toContain(encodeURIComponent('予約投稿の記事'));
    } finally {
      server.clock.set(TEST_NOW);
    }
  });

  it('lists every published post and every visible tag, author and category page in sitemap.xml', async () => {
    const { response, body } = await text('/sitemap.xml');
    expect(response.headers.get('content-type')).toBe('application/xml; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('max-age=60, public');
    const urlset = parseXml<UrlSetDocument>(body).urlset;
    expect(urlset['@xmlns']).toBe('http://www.sitemaps.org/schemas/sitemap/0.9');
    const urls = urlset.url;
    // What an anonymous reader sees now (TEST_NOW; the scheduled post of the test above is later).
    const visible = `p.status = 'published' AND p."deletedAt" IS NULL AND p."publishedAt" <= '${TEST_NOW.toISOString().replace('T', ' ').replace('Z', '')}'`;
    const termCount = async (link: string, column: string) => {
      const rows: { n: string | number }[] = await server.dataSource.query(
        `SELECT COUNT(DISTINCT l."${column}") AS n FROM ${link} l INNER JOIN posts p ON p.id = l."postId" WHERE ${visible}`,
      );
      return Number(rows[0].n);
    };
    const published: { slug: string }[] = await server.dataSource.query(`SELECT slug FROM posts p WHERE ${visible}`);
    const terms = (await termCount('post_tags', 'tagId')) + (await termCount('post_authors', 'authorId')) + (await termCount('post_categories', 'categoryId'));
    expect(urls).toHaveLength(published.length + terms);
    const locs = urls.map((u) => u.loc);
    expect(new Set(locs).size).toBe(locs.length);
    for (const { slug } of published) expect(locs).toContain(postUrl(slug));
    expect(locs).toContain(`${SITE}/tags/${encodeURIComponent(TAG)}`);
    expect(locs).toContain(`${SITE}/authors/${encodeURIComponent(AUTHOR)}`);
    expect(locs).toContain(`${SITE}/categories/${encodeURIComponent(CATEGORY)}`);
    for (const { loc, lastmod } of urls) {
      // Absolute, percent-encoded (no raw non-ASCII), and a W3C datetime with a zone.
      expect(loc.startsWith(`${SITE}/`)).toBe(true);
      expect(loc).toMatch(/^[\x21-\x7e]+$/);
      expect(lastmod).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
    }
    // Entities escaped in the XML text (sitemaps.org "Entity escaping").
    expect(body).toContain('from=feed&amp;lang=any');
    expect(body).not.toMatch(/&(?!amp;|lt;|gt;|quot;|apos;)/);
  });

  it('keeps an item once in readers when its slug is renamed: same id, new link', async () => {
    const post = await publish((await createPost('改名される記事')).id);
    const before = (await rssItems('/feeds/posts.rss')).find((i) => i.title === '改名される記事')!;
    const renamed = await editor.mutation(UpdatePostDocument, { id: post.id, expectedVersion: post.version, input: { slug: 'renamed-post' } }).toPromise();
    expect(renamed.error).toBeUndefined();
    const after = (await rssItems('/feeds/posts.rss?limit=21')).find((i) => i.title === '改名される記事')!;
    expect(after.guid).toBe(before.guid);
    expect(after.link).toBe(postUrl('renamed-post'));
    expect(before.link).not.toBe(after.link);
  });

  it.each(['/sitemap.xml', '/feeds/posts.atom?limit=9'])('makes %s once for concurrent misses, however many crawlers ask at once', async (path) => {
    const feeds = server.services.feeds;
    const method = path === '/sitemap.xml' ? 'sitemap' : 'feed';
    const original = (feeds[method] as (...a: unknown[]) => Promise<string>).bind(feeds);
    const patched = feeds as unknown as Record<string, unknown>;
    let calls = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    // Holds the making of the document until every request is in, so that they are misses at once.
    patched[method] = async (...args: unknown[]) => {
      calls += 1;
      await gate;
      return original(...args);
    };
    const N = 6;
    try {
      await createPost('書き込みで世代を進める'); // a write: nothing of the new generation is stored yet
      const pending = Array.from({ length: N }, () => get(path));
      // Long enough for every request to reach the making (without single-flight each calls it at once).
      for (let waited = 0; calls < N && waited < 50; waited += 1) await new Promise((resolve) => setTimeout(resolve, 10));
      release();
      const responses = await Promise.all(pending);
      const bodies = await Promise.all(responses.map((r) => r.text()));
      expect(responses.map((r) => r.status)).toEqual(Array(N).fill(200));
      expect(new Set(bodies).size).toBe(1);
      expect(calls).toBe(1);
      const statements = responses.map((r) => Number(r.headers.get('x-kiji-sql-statements')));
      const hit = await get(path);
      const hitStatements = Number(hit.headers.get('x-kiji-sql-statements'));
      // One making's SQL, and for each other request only what a hit costs (its freshness check).
      const making = Math.max(...statements);
      expect(making).toBeGreaterThan(hitStatements);
      expect(statements.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(making + (N - 1) * hitStatements);
    } finally {
      // The method is the class's again.
      delete patched[method];
      release();
    }
  });

  it("becomes an index of parts once the URLs pass a file's limit, every URL in exactly one part", async () => {
    // The real limit (50,000) is tested on the pure splitter; here the archive's URLs, 5 to a file.
    const site = server.services.feeds.linksFor(SITE);
    const limits = { urls: 5, bytes: 50 * 1024 * 1024 };
    const whole = parseXml<UrlSetDocument>((await text('/sitemap.xml')).body).urlset.url.map((u) => u.loc);
    const indexText = await server.services.feeds.sitemap(site, limits);
    expectStrictXml(indexText);
    const index = parseXml<SitemapIndexDocument>(indexText).sitemapindex;
    expect(index['@xmlns']).toBe('http://www.sitemaps.org/schemas/sitemap/0.9');
    expect(index.sitemap).toHaveLength(Math.ceil(whole.length / 5));
    const listed: string[] = [];
    for (const [i, entry] of index.sitemap.entries()) {
      expect(entry.loc).toBe(`${SITE}/sitemaps/${i + 1}.xml`);
      const partText = (await server.services.feeds.sitemapPart(i + 1, site, limits))!;
      expectStrictXml(partText);
      const part = parseXml<UrlSetDocument>(partText).urlset.url;
      expect(part.length).toBeLessThanOrEqual(5);
      expect(entry.lastmod).toBe(
        part
          .map((u) => u.lastmod)
          .sort()
          .pop(),
      );
      listed.push(...part.map((u) => u.loc));
    }
    expect(listed).toEqual(whole);
    expect(await server.services.feeds.sitemapPart(index.sitemap.length + 1, site, limits)).toBeNull();
  });
});

const redisUrl = testRedisUrl();
describeEachDatabaseIf(redisUrl !== null, 'feeds in the shared Redis response cache', (kind) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(kind, {
      site: { siteUrl: SITE },
      responseCache: 'redis',
      redisUrl: redisUrl!,
      cacheNamespace: `kiji-test-${crypto.randomBytes(6).toString('hex')}`,
    });
    await server.importPaths([SAMPLE_CONTENT_DIR]);
  });
  afterAll(() => server?.stop());

  it('serves a hit byte for byte as the miss was, Japanese included', async () => {
    const url = `${server.url.replace(/\/graphql$/, '')}/feeds/tags/${encodeURIComponent(TAG)}.json`;
    const miss = await fetch(url);
    expect(miss.headers.get('x-kiji-cache')).toBe('miss');
    const body = await miss.text();
    expect(body).toContain(JAPANESE_TITLE);
    let hit = await fetch(url);
    // Stored in the background: a moment later in Redis.
    for (let attempt = 0; hit.headers.get('x-kiji-cache') !== 'hit' && attempt < 40; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      hit = await fetch(url);
    }
    expect(hit.headers.get('x-kiji-cache')).toBe('hit');
    expect(hit.headers.get('content-type')).toBe('application/feed+json; charset=utf-8');
    expect(hit.headers.get('etag')).toBe(miss.headers.get('etag'));
    expect(await hit.text()).toBe(body);
  });
});
