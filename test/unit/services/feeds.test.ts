import { XMLParser } from 'fast-xml-parser';
import Parser from 'rss-parser';
import { DEFAULT_TERM_URL_TEMPLATES } from '../../../src/config';
import { Author, Category, Post, Tag } from '../../../src/entities';
import { renderFeed } from '../../../src/services/feeds/documents';
import { postUpdated } from '../../../src/services/feeds/feed-facts';
import type { FeedContent } from '../../../src/services/feeds/feed-reader';
import { SiteLinks } from '../../../src/services/feeds/site-links';
import { toGlobalId } from '../../../src/services/shared';
import { expectStrictXml } from '../../support/strict-xml';
import { renderIndex, renderUrlSet, SITEMAP_LIMITS, SitemapUrl, splitSitemap } from '../../../src/services/feeds/sitemap';

/* The pure parts of feeds and sitemaps: addresses, the documents' text, and splitting a sitemap. */

const links = (base = 'https://example.com/blog', postUrl = '/posts/{slug}') => new SiteLinks(base, (slug) => postUrl.replace('{slug}', slug), DEFAULT_TERM_URL_TEMPLATES);

function term<T extends Tag | Author | Category>(entity: new () => T, slug: string, name: string): T {
  return Object.assign(new entity(), { id: 1, slug, name });
}

function post(fields: Partial<Post>): Post {
  return Object.assign(new Post(), {
    id: 1,
    slug: 'p',
    title: 'T',
    excerpt: 'E',
    bodyHtml: '<p>B</p>',
    language: 'en',
    publishedAt: new Date('2024-01-01T00:00:00Z'),
    updatedAt: new Date('2024-01-02T00:00:00Z'),
    ...fields,
  });
}

/** A tag feed of one post whose every text holds what XML must escape, CDATA's end, and a control character. */
const HOSTILE: FeedContent = {
  scope: { kind: 'tag', slug: 'a-b' },
  term: term(Tag, 'a-b', 'A & <B>'),
  posts: [
    {
      post: post({ slug: '日本語', title: 'Q&A <script>]]> 日本語\u0008', excerpt: 'x ]]> y & z', bodyHtml: '<p>1 ]]&gt; 2 &amp; 3</p>]]>', language: 'ja' }),
      authors: [term(Author, 'ann', 'Ann "A" <ann>')],
      tags: [term(Tag, 'a-b', 'A & <B>')],
      categories: [term(Category, 'c', 'A & <B>')],
    },
  ],
};

/** A title that ends CDATA twice (the `feed` package escaped only the first) and opens an element of its own. */
const INJECTION = 'x ]]> y ]]></title><link>https://evil.example/</link><title><![CDATA[z';

/** Each format, and the text of a feed of `content` in it. */
const XML_FORMATS = ['rss', 'atom'] as const;

describe('site links', () => {
  it('keeps the path prefix of KIJI_SITE_URL and percent-encodes Japanese slugs', () => {
    const site = links();
    expect(site.post('液浸冷却')).toBe('https://example.com/blog/posts/%E6%B6%B2%E6%B5%B8%E5%86%B7%E5%8D%B4');
    expect(site.term('author', '田中-花子')).toBe('https://example.com/blog/authors/%E7%94%B0%E4%B8%AD-%E8%8A%B1%E5%AD%90');
    expect(site.feed({ kind: 'category', slug: 'インフラ' }, 'atom')).toBe('https://example.com/blog/feeds/categories/%E3%82%A4%E3%83%B3%E3%83%95%E3%83%A9.atom');
    expect(site.feed({ kind: 'site' }, 'json')).toBe('https://example.com/blog/feeds/posts.json');
    expect(site.home()).toBe('https://example.com/blog/');
    expect(site.sitemapPart(2)).toBe('https://example.com/blog/sitemaps/2.xml');
  });

  it('leaves a post URL template that names its own host as it is', () => {
    expect(links('https://example.com', 'https://cdn.example.org/a/{slug}').post('x')).toBe('https://cdn.example.org/a/x');
  });
});

describe('feed documents', () => {
  const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' });
  const parseXml = (text: string) => xml.parse(text) as Record<string, Record<string, unknown>>;

  it('escapes RSS text so that a parser gives back exactly the stored text, less what XML cannot hold', async () => {
    const text = renderFeed('rss', HOSTILE, links(), 'Site & Co');
    expectStrictXml(text);
    const feed = await new Parser().parseString(text);
    expect(feed.title).toBe('A & <B> | Site & Co');
    const [item] = feed.items;
    expect(item.title).toBe('Q&A <script>]]> 日本語');
    expect(item['content:encoded']).toBe('<p>1 ]]&gt; 2 &amp; 3</p>]]>');
    expect(item.contentSnippet ?? item.content).toContain('x ]]> y & z');
    expect(item.creator).toBe('Ann "A" <ann>');
    expect(item.link).toBe('https://example.com/blog/posts/%E6%97%A5%E6%9C%AC%E8%AA%9E');
    expect(text).not.toContain('<author>'); // RSS 2.0's author is an e-mail address: names are in dc:creator
  });

  it('escapes Atom text the same way, with an author and updated on every entry', async () => {
    const text = renderFeed('atom', HOSTILE, links(), 'Site');
    expectStrictXml(text);
    const feed = parseXml(text).feed;
    expect(feed.updated).toBe('2024-01-02T00:00:00.000Z');
    const parsed = await new Parser().parseString(text);
    expect(parsed.items[0]).toMatchObject({
      title: 'Q&A <script>]]> 日本語',
      author: 'Ann "A" <ann>',
      id: `urn:kiji:post:${toGlobalId('Post', 1)}`,
      link: 'https://example.com/blog/posts/%E6%97%A5%E6%9C%AC%E8%AA%9E',
    });
    expect(parsed.items[0].content).toBe('<p>1 ]]&gt; 2 &amp; 3</p>]]>');
  });

  it.each(XML_FORMATS)('writes %s that a strict, namespace-aware XML reader accepts, whatever the text holds', (format) => {
    expectStrictXml(renderFeed(format, HOSTILE, links(), 'Site & <Co> "q"'));
    const injected: FeedContent = {
      ...HOSTILE,
      posts: [{ ...HOSTILE.posts[0], post: post({ title: INJECTION, excerpt: INJECTION, bodyHtml: `<p>${INJECTION}</p>` }), tags: [term(Tag, 'c-t', 'C<T> "x" & ]]>')] }],
    };
    expectStrictXml(renderFeed(format, injected, links(), INJECTION));
    // Items without bodies or authors still declare every prefix they use.
    const bare: FeedContent = { scope: { kind: 'site' }, term: null, posts: [{ post: post({ bodyHtml: '' }), authors: [term(Author, 'a', 'A')], tags: [], categories: [] }] };
    expectStrictXml(renderFeed(format, bare, links(), 'Site'));
  });

  it.each(XML_FORMATS)('gives back a title that ends CDATA and opens elements as the text it is, with no element injected (%s)', async (format) => {
    const content: FeedContent = { scope: { kind: 'site' }, term: null, posts: [{ post: post({ title: INJECTION }), authors: [], tags: [], categories: [] }] };
    const text = renderFeed(format, content, links(), INJECTION);
    expect(text).not.toContain('evil.example/</link>');
    const parsed = await new Parser().parseString(text);
    expect(parsed.title).toBe(INJECTION);
    expect(parsed.items).toHaveLength(1);
    expect(parsed.items[0].title).toBe(INJECTION);
    expect(parsed.items[0].link).toBe('https://example.com/blog/posts/p');
  });

  it('marks plain text as text, so that `<template>` and `a < b` are not read as markup', () => {
    const content: FeedContent = {
      scope: { kind: 'site' },
      term: null,
      posts: [{ post: post({ title: 'Vue の <template> 入門', excerpt: 'a < b & c' }), authors: [], tags: [term(Tag, 'c', 'C<T>')], categories: [] }],
    };
    const atom = parseXml(renderFeed('atom', content, links(), 'Site')).feed as Record<string, Record<string, unknown>>;
    // Atom: type="text" (RFC 4287 3.1.1.1), so the parsed text is what readers show.
    expect(atom.entry.title).toEqual({ '#text': 'Vue の <template> 入門', '@type': 'text' });
    expect(atom.entry.summary).toEqual({ '#text': 'a < b & c', '@type': 'text' });
    expect(atom.entry.category).toMatchObject({ '@label': 'C<T>' });
    // RSS description is HTML to readers: the excerpt is escaped as HTML inside the XML.
    const rss = parseXml(renderFeed('rss', content, links(), 'Site')).rss as Record<string, Record<string, Record<string, unknown>>>;
    expect(rss.channel.item.description).toBe('a &lt; b &amp; c');
    expect(rss.channel.item.title).toBe('Vue の <template> 入門');
  });

  it('declares dc for dc:creator even when no item has a body', () => {
    const bare: FeedContent = { scope: { kind: 'site' }, term: null, posts: [{ post: post({ bodyHtml: '' }), authors: [term(Author, 'a', 'A')], tags: [], categories: [] }] };
    const text = renderFeed('rss', bare, links(), 'Site');
    expect(text).toContain('<dc:creator>A</dc:creator>');
    expect(parseXml(text).rss['@xmlns:dc']).toBe('http://purl.org/dc/elements/1.1/');
  });

  it('keeps an item id across a slug rename, while the link follows the slug', async () => {
    const renamed = (slug: string): FeedContent => ({ scope: { kind: 'site' }, term: null, posts: [{ post: post({ id: 42, slug }), authors: [], tags: [], categories: [] }] });
    const id = `urn:kiji:post:${toGlobalId('Post', 42)}`;
    for (const format of XML_FORMATS) {
      const [before, after] = await Promise.all(
        [renderFeed(format, renamed('old'), links(), 'S'), renderFeed(format, renamed('new'), links(), 'S')].map((t) => new Parser().parseString(t)),
      );
      expect([before.items[0].guid ?? before.items[0].id, after.items[0].guid ?? after.items[0].id]).toEqual([id, id]);
      expect([before.items[0].link, after.items[0].link]).toEqual(['https://example.com/blog/posts/old', 'https://example.com/blog/posts/new']);
    }
    expect(renderFeed('rss', renamed('old'), links(), 'S')).toContain(`<guid isPermaLink="false">${id}</guid>`);
    const json = (slug: string) => (JSON.parse(renderFeed('json', renamed(slug), links(), 'S')) as { items: { id: string; url: string }[] }).items[0];
    expect([json('old').id, json('new').id]).toEqual([id, id]);
    expect(json('new').url).toBe('https://example.com/blog/posts/new');
  });

  it('writes JSON Feed 1.1, with tags and categories named once', () => {
    const feed = JSON.parse(renderFeed('json', HOSTILE, links(), 'Site')) as { items: unknown[] };
    expect(feed).toMatchObject({ version: 'https://jsonfeed.org/version/1.1', title: 'A & <B> | Site', language: 'ja' });
    expect(feed.items[0]).toMatchObject({
      tags: ['A & <B>'],
      authors: [{ name: 'Ann "A" <ann>', url: 'https://example.com/blog/authors/ann' }],
      date_modified: '2024-01-02T00:00:00.000Z',
    });
  });

  it('gives an empty feed a fixed `updated`, so that its ETag does not change from one request to the next', () => {
    const empty: FeedContent = { scope: { kind: 'site' }, term: null, posts: [] };
    expect(renderFeed('atom', empty, links(), 'Site')).toBe(renderFeed('atom', empty, links(), 'Site'));
    expect(parseXml(renderFeed('atom', empty, links(), 'Site')).feed.updated).toBe('1970-01-01T00:00:00.000Z');
  });

  it('dates a scheduled post by when it appeared, not by its last edit before that', () => {
    expect(postUpdated({ updatedAt: new Date('2024-01-01T00:00:00Z'), publishedAt: new Date('2024-02-01T00:00:00Z') })).toEqual(new Date('2024-02-01T00:00:00Z'));
    expect(postUpdated({ updatedAt: new Date('2024-03-01T00:00:00Z'), publishedAt: new Date('2024-02-01T00:00:00Z') })).toEqual(new Date('2024-03-01T00:00:00Z'));
  });
});

describe('splitting a sitemap', () => {
  const urls = (n: number, loc = (i: number) => `https://example.com/posts/p${i}`): SitemapUrl[] =>
    Array.from({ length: n }, (_, i) => ({ loc: loc(i), lastmod: new Date(Date.UTC(2024, 0, 1 + (i % 28))) }));

  it('keeps everything in one file up to the URL limit, and splits past it, in order', () => {
    expect(splitSitemap(urls(5), { urls: 5, bytes: SITEMAP_LIMITS.bytes })).toHaveLength(1);
    const parts = splitSitemap(urls(11), { urls: 5, bytes: SITEMAP_LIMITS.bytes });
    expect(parts.map((p) => p.length)).toEqual([5, 5, 1]);
    expect(parts.flat().map((u) => u.loc)).toEqual(urls(11).map((u) => u.loc));
  });

  it('splits by size too, so that no file passes the byte limit however long its URLs', async () => {
    const long = urls(40, (i) => `https://example.com/posts/${'%E6%97%A5'.repeat(50)}-${i}`);
    const limit = 8 * 1024;
    const parts = splitSitemap(long, { urls: 50_000, bytes: limit });
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) {
      const text = await renderUrlSet(part);
      expectStrictXml(text);
      expect(Buffer.byteLength(text)).toBeLessThanOrEqual(limit);
    }
  });

  it('gives one empty file for no URLs, and a valid empty urlset', async () => {
    expect(splitSitemap([])).toEqual([[]]);
    const text = await renderUrlSet([]);
    expectStrictXml(text);
    expect(new XMLParser().parse(text)).toHaveProperty('urlset');
  });

  it('escapes what a URL may hold in XML', async () => {
    const text = await renderUrlSet([{ loc: "https://example.com/posts/a?x=1&y='2'", lastmod: new Date(0) }]);
    expectStrictXml(text);
    expect((new XMLParser().parse(text) as { urlset: { url: { loc: string } } }).urlset.url.loc).toBe('https://example.com/posts/a?x=1&y=%272%27');
  });

  it('uses the real limits of sitemaps.org', () => {
    expect(SITEMAP_LIMITS).toEqual({ urls: 50_000, bytes: 50 * 1024 * 1024 });
    expect(splitSitemap(urls(50_001)).map((p) => p.length)).toEqual([50_000, 1]);
  });

  it('writes an index of absolute part URLs with their newest lastmod', async () => {
    const text = await renderIndex([{ loc: 'https://example.com/sitemaps/1.xml', lastmod: new Date('2024-01-05T00:00:00Z') }]);
    expectStrictXml(text);
    const index = (new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' }).parse(text) as { sitemapindex: Record<string, unknown> }).sitemapindex;
    expect(index['@xmlns']).toBe('http://www.sitemaps.org/schemas/sitemap/0.9');
    expect(index.sitemap).toEqual({ loc: 'https://example.com/sitemaps/1.xml', lastmod: '2024-01-05T00:00:00.000Z' });
  });
});
