import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_PRESENTATION } from '../../src/config';
import { describeEachDatabase } from '../support/databases';
import { writeFixtureFolder } from '../support/fixtures';
import { tinyPng } from '../support/png';
import { startTestServer, TestServer } from '../support/server';

/*
 * Cover images, body media and SEO fields over HTTP, as an app rendering a page reads them: the
 * site lives under a path prefix, images on a separate asset host, an image CDN template gives
 * sizes, and the import reads image sizes from an assets folder (real PNGs written here).
 */

const SITE = 'https://example.com/blog';
const ASSETS = 'https://cdn.example.com';
const CDN = 'https://img.example.com/{path}?w={width}';

const POSTS: Record<string, string> = {
  '2024-01-01-with-cover.md': [
    '---',
    'title: With a cover',
    'image: /assets/img/cover.png',
    'image_alt: A wide cover',
    'description: Declared description.',
    '---',
    'Intro with ![inline](/assets/img/inline.png) and [about](/about/), [next](next-post), [top](#top), [mail](mailto:a@example.com).',
    '',
    '![relative](img/rel.png)',
    '',
    '<figure><img src="/assets/img/raw.png" alt="Raw"><figcaption><a href="/credits/">credits</a></figcaption></figure>',
    '',
  ].join('\n'),
  '2024-01-02-declared-seo.md': [
    '---',
    'title: Declared SEO',
    'noindex: true',
    'seo:',
    '  title: The SEO title',
    '  description: The SEO description.',
    '  canonical_url: https://origin.example.org/declared/',
    '  image: /assets/img/og.png',
    '---',
    'Body of the declared post. It has no image.',
    '',
  ].join('\n'),
  '2024-01-03-body-image.md': ['---', 'title: Body image', '---', 'First words.', '', '![Body first](/assets/img/body.png)', ''].join('\n'),
  '2024-01-04-no-image.md': ['---', 'title: No image', '---', 'Plain words only. Second sentence here.', ''].join('\n'),
  '2024-01-05-sitemap-false.md': ['---', 'title: Not in the sitemap', 'sitemap: false', '---', 'Hidden from search engines.', ''].join('\n'),
  '2024-01-06-remote.md': ['---', 'title: Remote cover', 'image:', '  url: https://other.example.org/pic.jpg', '  alt: Elsewhere', '---', 'Text.', ''].join('\n'),
};

const COVER_FIELDS = 'coverImage { url alt width height w640: url(width: 640) srcset narrow: srcset(widths: [2000, 100]) }';
const SEO_FIELDS = 'seo { title description canonicalUrl ogImage noindex }';

interface Cover {
  url: string;
  alt: string | null;
  width: number | null;
  height: number | null;
  w640: string;
  srcset: string | null;
  narrow: string | null;
}
interface Seo {
  title: string;
  description: string;
  canonicalUrl: string;
  ogImage: string | null;
  noindex: boolean;
}
interface PostView {
  slug: string;
  excerpt: string;
  coverImage: Cover | null;
  seo: Seo;
}
interface Answer<T> {
  data?: T | null;
  errors?: { message: string; extensions: { code: string; argument?: string; limit?: number } }[];
}

describeEachDatabase('cover images, body media and SEO', (kind) => {
  let server: TestServer;
  let plain: TestServer;
  let byUrl: TestServer;
  let posts: string;
  let site: string;

  async function gql<T>(query: string, variables: object = {}, on = server, key?: string): Promise<Answer<T>> {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (key) headers.authorization = `Bearer ${key}`;
    const response = await fetch(on.url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    return (await response.json()) as Answer<T>;
  }
  async function ok<T>(query: string, variables: object = {}, on = server, key?: string): Promise<T> {
    const answer = await gql<T>(query, variables, on, key);
    expect(answer.errors).toBeUndefined();
    return answer.data!;
  }
  const post = async (slug: string, on = server) =>
    (await ok<{ post: PostView }>(`query($slug: String) { post(slug: $slug) { slug excerpt ${COVER_FIELDS} ${SEO_FIELDS} } }`, { slug }, on)).post;

  beforeAll(async () => {
    site = fs.mkdtempSync(path.join(os.tmpdir(), 'kiji-site-'));
    fs.mkdirSync(path.join(site, 'assets/img'), { recursive: true });
    fs.writeFileSync(path.join(site, 'assets/img/cover.png'), tinyPng(1200, 630));
    fs.writeFileSync(path.join(site, 'assets/img/inline.png'), tinyPng(40, 30));
    fs.writeFileSync(path.join(site, 'assets/img/body.png'), tinyPng(800, 600));
    posts = writeFixtureFolder(POSTS);
    const presentation = { ...DEFAULT_PRESENTATION, assetUrl: ASSETS, imageUrlTemplate: CDN };
    server = await startTestServer(kind, { site: { siteUrl: SITE, presentation } });
    const summary = await server.importer.importPaths([posts], undefined, undefined, { assetsDir: site });
    expect(summary.failed).toEqual([]);
    expect(summary.imported).toBe(Object.keys(POSTS).length);
    // The same database served without an image CDN, and with a `{url}` template.
    plain = await startTestServer(kind, { shareDatabaseWith: server, site: { siteUrl: SITE } });
    byUrl = await startTestServer(kind, {
      shareDatabaseWith: server,
      site: { siteUrl: SITE, presentation: { ...presentation, imageUrlTemplate: 'https://res.example.com/w_{width}/{url}' } },
    });
  }, 60_000);

  afterAll(async () => {
    await byUrl?.stop();
    await plain?.stop();
    await server?.stop();
    fs.rmSync(posts, { recursive: true, force: true });
    fs.rmSync(site, { recursive: true, force: true });
  });

  it('gives the front matter cover with its alt, absolute URL and the size read from the assets folder', async () => {
    const { coverImage } = await post('with-cover');
    expect(coverImage).toEqual({
      url: `${ASSETS}/assets/img/cover.png`,
      alt: 'A wide cover',
      width: 1200,
      height: 630,
      w640: 'https://img.example.com/assets/img/cover.png?w=640',
      srcset: [320, 640, 960, 1200].map((w) => `https://img.example.com/assets/img/cover.png?w=${w} ${w}w`).join(', '),
      narrow: 'https://img.example.com/assets/img/cover.png?w=100 100w, https://img.example.com/assets/img/cover.png?w=1200 1200w',
    });
  });

  it("takes the body's first image when the front matter names none, and null when there is none", async () => {
    expect((await post('body-image')).coverImage).toMatchObject({ url: `${ASSETS}/assets/img/body.png`, alt: 'Body first', width: 800, height: 600 });
    expect((await post('no-image')).coverImage).toBeNull();
  });

  it('sends images on other hosts through {url} templates only', async () => {
    const remote = await post('remote');
    expect(remote.coverImage).toMatchObject({
      url: 'https://other.example.org/pic.jpg',
      alt: 'Elsewhere',
      width: null,
      w640: 'https://other.example.org/pic.jpg',
      srcset: null,
    });
    const viaUrl = await post('remote', byUrl);
    expect(viaUrl.coverImage!.w640).toBe(`https://res.example.com/w_640/${encodeURIComponent('https://other.example.org/pic.jpg')}`);
    expect(viaUrl.coverImage!.srcset).toContain(`https://res.example.com/w_1920/${encodeURIComponent('https://other.example.org/pic.jpg')} 1920w`);
  });

  it('gives the original URL for url(width) and no srcset without an image CDN template', async () => {
    const { coverImage } = await post('with-cover', plain);
    expect(coverImage).toMatchObject({ url: `${SITE}/assets/img/cover.png`, w640: `${SITE}/assets/img/cover.png`, srcset: null, narrow: null });
  });

  it('refuses widths out of 1..4096 and srcsets of more than 10 widths, naming the argument and limit', async () => {
    for (const width of [0, 4097]) {
      const answer = await gql(`{ post(slug: "with-cover") { coverImage { url(width: ${width}) } } }`);
      expect(answer.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'width', limit: 4096 });
      expect(answer.errors?.[0].message).toContain('4096');
    }
    const tooMany = await gql(`{ post(slug: "with-cover") { coverImage { srcset(widths: [1,2,3,4,5,6,7,8,9,10,11]) } } }`);
    expect(tooMany.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'widths', limit: 10 });
    const wide = await gql(`{ post(slug: "with-cover") { coverImage { srcset(widths: [100, 5000]) } } }`);
    expect(wide.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'widths', limit: 4096 });
  });

  it('falls back to the title, excerpt, absolute post URL and cover image for SEO', async () => {
    const cover = await post('with-cover');
    expect(cover.seo).toEqual({
      title: 'With a cover',
      description: 'Declared description.',
      canonicalUrl: `${SITE}/posts/with-cover`,
      ogImage: `${ASSETS}/assets/img/cover.png`,
      noindex: false,
    });
    const none = await post('no-image');
    expect(none.seo).toEqual({ title: 'No image', description: none.excerpt, canonicalUrl: `${SITE}/posts/no-image`, ogImage: null, noindex: false });
    expect(none.excerpt).toContain('Plain words only.');
  });

  it('serves declared SEO fields as they are declared', async () => {
    expect((await post('declared-seo')).seo).toEqual({
      title: 'The SEO title',
      description: 'The SEO description.',
      canonicalUrl: 'https://origin.example.org/declared/',
      ogImage: `${ASSETS}/assets/img/og.png`,
      noindex: true,
    });
    expect((await post('sitemap-false')).seo.noindex).toBe(true);
  });

  it('leaves noindex posts out of the sitemap', async () => {
    const response = await fetch(server.url.replace(/\/graphql$/, '/sitemap.xml'));
    expect(response.status).toBe(200);
    const sitemap = await response.text();
    for (const slug of ['with-cover', 'body-image', 'no-image', 'remote']) expect(sitemap).toContain(`<loc>${SITE}/posts/${slug}</loc>`);
    expect(sitemap).not.toContain('declared-seo');
    expect(sitemap).not.toContain('sitemap-false');
  });

  it('serves bodies with absolute image and link URLs, lazy images and known sizes', async () => {
    const { post: body } = await ok<{ post: { bodyHtml: string } }>('{ post(slug: "with-cover") { bodyHtml } }');
    const html = body.bodyHtml;
    expect(html).toContain(`<img src="${ASSETS}/assets/img/inline.png" alt="inline" width="40" height="30" loading="lazy" decoding="async" />`);
    expect(html).toContain(`<img src="${ASSETS}/posts/img/rel.png" alt="relative" loading="lazy" decoding="async" />`);
    expect(html).toContain(`<img src="${ASSETS}/assets/img/raw.png" alt="Raw" loading="lazy" decoding="async" />`);
    expect(html).toContain(`href="${SITE}/about/"`);
    expect(html).toContain(`href="${SITE}/posts/next-post"`);
    expect(html).toContain(`href="${SITE}/credits/"`);
    expect(html).toContain('href="#top"');
    expect(html).toContain('href="mailto:a@example.com"');
    expect(html).not.toMatch(/(?:src|href)="\//);
  });

  it('reads the cover image and SEO of posts found through an interface fragment', async () => {
    const { post: found } = await ok<{ post: { id: string } }>('{ post(slug: "with-cover") { id } }');
    const data = await ok<{ node: { coverImage: { url: string }; seo: { title: string } } }>(
      'query($id: ID!) { node(id: $id) { ...Cover } } fragment Cover on Node { ... on Post { coverImage { url } seo { title } } }',
      { id: found.id },
    );
    expect(data.node).toEqual({ coverImage: { url: `${ASSETS}/assets/img/cover.png` }, seo: { title: 'With a cover' } });
  });

  it("gives an editor's post the body's first image as its cover", async () => {
    const key = (await server.services.keys.create('editor', 'media tests')).secret;
    const input = { title: 'Edited here', bodyMarkdown: 'Words, [more](/about/).\n\n![Drawn](/assets/img/drawn.png)\n', author: 'editor' };
    const created = await ok<{ createPost: { slug: string; bodyHtml: string; coverImage: { url: string; alt: string } } }>(
      'mutation($input: PostInput!) { createPost(input: $input) { slug bodyHtml coverImage { url alt } } }',
      { input },
      server,
      key,
    );
    expect(created.createPost.coverImage).toEqual({ url: `${ASSETS}/assets/img/drawn.png`, alt: 'Drawn' });
    // An editor's body is made absolute as an import's is.
    expect(created.createPost.bodyHtml).toContain(`href="${SITE}/about/"`);
    expect(created.createPost.bodyHtml).toContain(`src="${ASSETS}/assets/img/drawn.png" alt="Drawn" loading="lazy" decoding="async"`);
    expect(created.createPost.bodyHtml).not.toMatch(/(?:src|href)="\//);
  });
});
