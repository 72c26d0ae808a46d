import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { prepareArticle, renderMarkdown } from '../../../src/content';
import { frontMatterImage, siteImageSource } from '../../../src/content/media';
import type { ImageSize, PrepareOptions } from '../../../src/content';
import { AssetsFolder } from '../../../src/services/import/assets-folder';
import { tinyPng } from '../../support/png';
import { options, source } from './helpers';

const cover = (frontMatter: string, body = 'Text.\n', extra: Partial<PrepareOptions> = {}) =>
  prepareArticle({ path: '_posts/2020-01-02-sample-post.md', text: source(frontMatter, body) }, { ...options, ...extra }).coverImage;

const SITE = { siteUrl: 'https://example.com/blog', assetUrl: 'https://cdn.example.com' };
const html = (body: string, extra: Partial<PrepareOptions> = {}) =>
  prepareArticle({ path: '_posts/2020-01-02-sample-post.md', text: source('title: T', body) }, { ...options, ...extra }).bodyHtml;

describe('cover image from the front matter', () => {
  it.each([
    ['image as a string', 'image: /assets/a.png', { src: '/assets/a.png', alt: null }],
    ['image with image_alt', 'image: /assets/a.png\nimage_alt: A cat', { src: '/assets/a.png', alt: 'A cat' }],
    ['image.path and alt', 'image:\n  path: /assets/b.png\n  alt: B', { src: '/assets/b.png', alt: 'B' }],
    ['image.feature', 'image:\n  feature: /assets/f.png', { src: '/assets/f.png', alt: null }],
    ['image.url', 'image:\n  url: https://img.example.org/u.png\n  alt: U', { src: 'https://img.example.org/u.png', alt: 'U' }],
    ['image.src', 'image:\n  src: /s.png', { src: '/s.png', alt: null }],
    ['header.image', 'header:\n  image: /assets/h.jpg\n  image_description: Hills', { src: '/assets/h.jpg', alt: 'Hills' }],
    ['header.og_image', 'header:\n  og_image: /assets/og.jpg', { src: '/assets/og.jpg', alt: null }],
    ['header.teaser', 'header:\n  teaser: /assets/t.jpg', { src: '/assets/t.jpg', alt: null }],
    ['og_image', 'og_image: /og.png', { src: '/og.png', alt: null }],
    ['cover as a string', 'cover: /c.png', { src: '/c.png', alt: null }],
    ['cover as an object', 'cover:\n  image: /c2.png\n  alt: C', { src: '/c2.png', alt: 'C' }],
    ['thumbnail', 'thumbnail: /th.png', { src: '/th.png', alt: null }],
    ['a path from the site root', 'image: assets/rel.png', { src: '/assets/rel.png', alt: null }],
    ['a protocol-relative URL', 'image: //img.example.org/p.png', { src: 'https://img.example.org/p.png', alt: null }],
  ])('%s', (_, frontMatter, expected) => {
    expect(cover(frontMatter)).toEqual({ ...expected, width: null, height: null });
  });

  it('prefers image over header.image over og_image over cover over thumbnail', () => {
    expect(cover('thumbnail: /5.png\ncover: /4.png\nog_image: /3.png\nheader:\n  image: /2.png\nimage: /1.png')?.src).toBe('/1.png');
    expect(cover('thumbnail: /5.png\ncover: /4.png\nog_image: /3.png\nheader:\n  image: /2.png')?.src).toBe('/2.png');
    expect(cover('thumbnail: /5.png\ncover: /4.png\nog_image: /3.png')?.src).toBe('/3.png');
    expect(cover('thumbnail: /5.png\ncover: /4.png')?.src).toBe('/4.png');
  });

  it('stores a path on the site, never a protocol-relative URL or another host', () => {
    expect(cover('image: /.//evil.com/x.png')?.src).toBe('/evil.com/x.png');
    expect(cover('image: "/\\\\evil.com/x.png"')).toBeNull();
    expect(cover('image: "a\\tb:.evil.com/x.png"')).toBeNull();
    expect(siteImageSource('a\nb:@evil.com/x')).toBeNull();
    expect(siteImageSource('a\tb:.evil.com/x.png', '/posts/p/')).toBeNull();
    expect(siteImageSource('.//evil.com/x.png', '/posts/p/')).toBe('/posts/p//evil.com/x.png');
  });

  it('skips empty values and data:/javascript: URLs', () => {
    expect(cover('image:\ncover: ""\nthumbnail: /t.png')?.src).toBe('/t.png');
    expect(cover('image: "data:image/png;base64,AAAA"\nog_image: javascript:alert(1)')).toBeNull();
    expect(frontMatterImage({ image: { alt: 'no source' } })).toBeNull();
    expect(frontMatterImage({ image: ['/a.png'] })).toBeNull();
  });
});

describe('cover image from the body', () => {
  it('takes the first Markdown image with its alt', () => {
    expect(cover('title: T', 'Intro.\n\n![First one](/img/one.png)\n\n![Second](/img/two.png)\n')).toEqual({ src: '/img/one.png', alt: 'First one', width: null, height: null });
  });

  it('takes a raw <img> when it comes first', () => {
    expect(cover('title: T', '<p><img alt="Raw &amp; first" src="/raw.png"></p>\n\n![md](/md.png)\n')).toEqual({ src: '/raw.png', alt: 'Raw & first', width: null, height: null });
    expect(cover('title: T', 'Inline <img src=\'/inline.png\'> here.\n')?.src).toBe('/inline.png');
  });

  it('resolves a document-relative image against the post address', () => {
    expect(cover('title: T', '![x](img/x.png)\n')?.src).toBe('/posts/img/x.png');
    expect(cover('title: T', '![x](../shared/x.png)\n')?.src).toBe('/shared/x.png');
  });

  it('prefers the front matter, and is null without any image', () => {
    expect(cover('image: /fm.png', '![b](/body.png)\n')?.src).toBe('/fm.png');
    expect(cover('title: T', 'No images, only [a link](/x).\n')).toBeNull();
    expect(cover('title: T', '`![code](/not-an-image.png)`\n')).toBeNull();
  });

  it('reads width and height through imageSize, and never fails on it', () => {
    const imageSize: ImageSize = (p) => (p === '/assets/a.png' ? { width: 800, height: 600 } : null);
    expect(cover('image: /assets/a.png', 'x\n', { imageSize })).toMatchObject({ width: 800, height: 600 });
    expect(cover('image: /assets/missing.png', 'x\n', { imageSize })).toMatchObject({ width: null, height: null });
    const throwing: ImageSize = () => {
      throw new Error('disk on fire');
    };
    expect(cover('image: /assets/a.png', 'x\n', { imageSize: throwing })).toMatchObject({ src: '/assets/a.png', width: null });
    expect(cover('image: https://other.org/a.png', 'x\n', { imageSize })).toMatchObject({ width: null });
  });
});

describe('body media', () => {
  it('makes relative image URLs absolute against the asset base, and links against the site', () => {
    const out = html('![a](/assets/x.png) ![b](img/y.png) ![c](./z.png) ![d](../up.png)\n\n[home](/about/) [doc](other-post) [up](../tags/)\n', SITE);
    expect(out).toContain('src="https://cdn.example.com/assets/x.png"');
    expect(out).toContain('src="https://cdn.example.com/posts/img/y.png"');
    expect(out).toContain('src="https://cdn.example.com/posts/z.png"');
    expect(out).toContain('src="https://cdn.example.com/up.png"');
    expect(out).toContain('href="https://example.com/blog/about/"');
    expect(out).toContain('href="https://example.com/blog/posts/other-post"');
    expect(out).toContain('href="https://example.com/blog/tags/"');
  });

  it('uses the site URL (with its path prefix) for images when no asset URL is set', () => {
    expect(html('![a](/assets/x.png)\n', { siteUrl: 'https://example.com/blog' })).toContain('src="https://example.com/blog/assets/x.png"');
  });

  it('leaves fragments, mailto:, absolute and protocol-relative URLs alone', () => {
    const out = html('[f](#part) [m](mailto:a@b.c) [abs](https://x.org/p) [pr](//x.org/q) ![i](https://x.org/i.png)\n', SITE);
    expect(out).toContain('href="#part"');
    expect(out).toContain('href="mailto:a@b.c"');
    expect(out).toContain('href="https://x.org/p"');
    expect(out).toContain('href="//x.org/q"');
    expect(out).toContain('src="https://x.org/i.png"');
  });

  it('leaves every URL as written without a base', () => {
    const out = html('![a](/assets/x.png) [l](/about/) [d](doc)\n\n<img src="/raw.png"> <a href="/raw-link">r</a>\n');
    expect(out).toContain('src="/assets/x.png"');
    expect(out).toContain('href="/about/"');
    expect(out).toContain('href="doc"');
    expect(out).toContain('src="/raw.png"');
    expect(out).toContain('href="/raw-link"');
  });

  it('rewrites raw HTML the same way', () => {
    const out = html('<figure><img src="/assets/r.png" alt="R"><figcaption><a href="/credits">c</a></figcaption></figure>\n\n<picture><source srcset="/a-1x.webp 1x, /a-2x.webp 2x"><img src="a.png"></picture>\n', SITE);
    expect(out).toContain('<img src="https://cdn.example.com/assets/r.png" alt="R" loading="lazy" decoding="async" />');
    expect(out).toContain('href="https://example.com/blog/credits"');
    expect(out).toContain('srcset="https://cdn.example.com/a-1x.webp 1x, https://cdn.example.com/a-2x.webp 2x"');
    expect(out).toContain('src="https://cdn.example.com/posts/a.png"');
    expect(out).not.toMatch(/(?:src|href|srcset)="\//);
  });

  it('makes every image lazy and async, Markdown or raw, keeping what the author set', () => {
    expect(renderMarkdown('![a](https://x.org/a.png)\n').html).toBe('<p><img src="https://x.org/a.png" alt="a" loading="lazy" decoding="async"></p>\n');
    expect(renderMarkdown('<img src="https://x.org/b.png" loading="eager">\n').html).toContain('<img src="https://x.org/b.png" loading="eager" decoding="async" />');
  });

  it('adds width and height where imageSize knows them and the author gave none', () => {
    const imageSize: ImageSize = (p) => (p === '/assets/x.png' ? { width: 40, height: 30 } : null);
    expect(html('![a](/assets/x.png) ![b](/assets/unknown.png)\n', { ...SITE, imageSize })).toBe(
      '<p><img src="https://cdn.example.com/assets/x.png" alt="a" width="40" height="30" loading="lazy" decoding="async"> ' +
        '<img src="https://cdn.example.com/assets/unknown.png" alt="b" loading="lazy" decoding="async"></p>\n',
    );
    const raw = html('<img src="/assets/x.png"> <img src="/assets/x.png" width="10">\n', { imageSize });
    expect(raw).toContain('<img src="/assets/x.png" width="40" height="30" loading="lazy" decoding="async" />');
    expect(raw).toContain('<img src="/assets/x.png" width="10" loading="lazy" decoding="async" />');
  });

  it('never moves a relative URL to another host (entity-hidden schemes, `\\\\host`, pasted paths)', () => {
    const site = { siteUrl: 'https://site.example', assetUrl: 'https://cdn.example' };
    const link = html('<a href="a&#10;b:@evil.com/x">l</a>\n', site);
    expect(link).not.toContain('site.example@evil.com');
    expect(link).not.toMatch(/href="https?:\/\/[^"]*evil/);
    const image = html('<img src="a&#9;b:.evil.com/x.png">\n', site);
    expect(image).not.toContain('cdn.example.evil.com');
    expect(image).not.toMatch(/src="https?:\/\/[^"]*evil/);
    // Markdown percent-encodes the tab: a path on the site, and it stays there.
    const markdown = html('![i](<a\tb:.evil.com/x.png>) [l](<a\tb:@evil.com/x>)\n', site);
    expect(markdown).toContain('src="https://cdn.example/posts/a%09b:.evil.com/x.png"');
    expect(markdown).toContain('href="https://site.example/posts/a%09b:@evil.com/x"');
    const slashes = html('<img src="/.//evil.com/x.png"> <a href="/.//evil.com/y">y</a>\n', site);
    expect(slashes).toContain('src="https://cdn.example/evil.com/x.png"');
    expect(slashes).toContain('href="https://site.example/evil.com/y"');
    // A post URL on the site (KIJI_POST_URL absolute): document-relative links resolve against it, on its origin only.
    const absolute = html('[doc](other) <a href="a&#10;b:@evil.com/x">l</a>\n', { ...site, postUrl: (slug: string) => `https://site.example/posts/${slug}/` });
    expect(absolute).toContain('href="https://site.example/posts/sample-post/other"');
    expect(absolute).not.toMatch(/href="https?:\/\/[^"]*evil/);
  });

  it('keeps the base\'s path prefix when resolving', () => {
    const out = html('![a](/assets/x.png) [l](/about/) [r](../../../../up)\n', { siteUrl: 'https://example.com/blog', assetUrl: 'https://cdn.example.com/static' });
    expect(out).toContain('src="https://cdn.example.com/static/assets/x.png"');
    expect(out).toContain('href="https://example.com/blog/about/"');
    expect(out).toContain('href="https://example.com/blog/up"');
  });

  it('renders a body without images or relative links exactly as before', () => {
    const body = '# Title\n\nText with [a link](https://x.org/) and `code`.\n\n- one\n- two\n';
    expect(html(body, SITE)).toBe(html(body));
  });
});

describe('assets folder', () => {
  let root: string;
  let outside: string;
  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'kiji-assets-'));
    outside = fs.mkdtempSync(path.join(os.tmpdir(), 'kiji-outside-'));
    fs.mkdirSync(path.join(root, 'assets/img'), { recursive: true });
    fs.writeFileSync(path.join(root, 'assets/img/x.png'), tinyPng(40, 30));
    fs.writeFileSync(path.join(root, 'assets/img/日本.png'), tinyPng(7, 5));
    fs.writeFileSync(path.join(root, 'assets/img/not-an-image.png'), 'hello');
    fs.writeFileSync(path.join(outside, 'secret.png'), tinyPng(9, 9));
    fs.symlinkSync(path.join(outside, 'secret.png'), path.join(root, 'assets/img/link.png'));
  });
  afterAll(() => {
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(outside, { recursive: true, force: true });
  });

  it('reads sizes of images under the folder', () => {
    const assets = new AssetsFolder(root);
    expect(assets.size('/assets/img/x.png')).toEqual({ width: 40, height: 30 });
    expect(assets.size('assets/img/x.png')).toEqual({ width: 40, height: 30 });
    expect(assets.size('/assets/img/日本.png')).toEqual({ width: 7, height: 5 });
  });

  it('answers null for missing, unreadable and unknown files, and folders', () => {
    const assets = new AssetsFolder(root);
    expect(assets.size('/assets/img/missing.png')).toBeNull();
    expect(assets.size('/assets/img/not-an-image.png')).toBeNull();
    expect(assets.size('/assets/img')).toBeNull();
    expect(assets.size('/assets/img/x.png\0.txt')).toBeNull();
    expect(new AssetsFolder(path.join(root, 'nowhere')).size('/x.png')).toBeNull();
  });

  it('never reads outside the folder', () => {
    const assets = new AssetsFolder(path.join(root, 'assets'));
    expect(assets.size('/../../etc/passwd')).toBeNull();
    expect(assets.size(`/../../${path.basename(outside)}/secret.png`)).toBeNull();
    expect(assets.size('/img/../img/x.png')).toEqual({ width: 40, height: 30 });
    // A symbolic link out of the folder is outside it.
    expect(assets.size('/img/link.png')).toBeNull();
    expect(assets.size(path.join(outside, 'secret.png'))).toBeNull();
  });

  it('gives an imported body its image sizes', () => {
    const assets = new AssetsFolder(root);
    const out = html('![a](/assets/img/x.png) ![b](/../../etc/passwd)\n', { imageSize: assets.size });
    expect(out).toContain('<img src="/assets/img/x.png" alt="a" width="40" height="30" loading="lazy" decoding="async">');
    expect(out).toContain('<img src="/../../etc/passwd" alt="b" loading="lazy" decoding="async">');
  });
});
