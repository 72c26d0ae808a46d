import { declaredSeo } from '../../../src/content';
import { Presentation } from '../../../src/services/media';
import { DEFAULT_PRESENTATION } from '../../../src/config';
import { prep, source } from './helpers';

describe('declared SEO fields', () => {
  it.each([
    ['description', { description: 'About this.' }, { description: 'About this.' }],
    ['a folded description', { description: 'Two\n  lines ' }, { description: 'Two lines' }],
    ['seo.title', { seo: { title: 'Better title' } }, { title: 'Better title' }],
    ['seo.description over description', { description: 'plain', seo: { description: 'nested' } }, { description: 'nested' }],
    ['seo.canonical_url', { seo: { canonical_url: 'https://orig.example.org/p' } }, { canonicalUrl: 'https://orig.example.org/p' }],
    ['seo.canonical', { seo: { canonical: '/elsewhere/' } }, { canonicalUrl: '/elsewhere/' }],
    ['canonical_url', { canonical_url: 'https://orig.example.org/q' }, { canonicalUrl: 'https://orig.example.org/q' }],
    ['seo.image', { seo: { image: '/assets/og.png' } }, { ogImage: '/assets/og.png' }],
    ['seo.og_image', { seo: { og_image: 'assets/og2.png' } }, { ogImage: '/assets/og2.png' }],
    ['og_image', { og_image: 'https://img.example.org/o.png' }, { ogImage: 'https://img.example.org/o.png' }],
    ['meta_title and meta_description (Ghost)', { meta_title: 'MT', meta_description: 'MD' }, { title: 'MT', description: 'MD' }],
  ])('%s', (_, data, expected) => {
    expect(declaredSeo(data as Record<string, unknown>)).toEqual({ seo: expected, noindex: false });
  });

  it('ignores empty values, non-URLs and other schemes', () => {
    expect(declaredSeo({ description: '', seo: { title: '  ', canonical_url: 'javascript:alert(1)', image: 'data:image/png;base64,AA' } })).toEqual({ seo: null, noindex: false });
    expect(declaredSeo({ canonical_url: 'not a url', seo: 'just text' })).toEqual({ seo: null, noindex: false });
    expect(declaredSeo({})).toEqual({ seo: null, noindex: false });
  });

  it.each([
    ['noindex: true', { noindex: true }, true],
    ['noindex: "yes"', { noindex: 'yes' }, true],
    ['seo.noindex', { seo: { noindex: true } }, true],
    ['sitemap: false', { sitemap: false }, true],
    ['sitemap.exclude', { sitemap: { exclude: 'yes' } }, true],
    ['robots: noindex, follow', { robots: 'noindex, follow' }, true],
    ['robots as a list', { robots: ['nofollow', 'noindex'] }, true],
    ['noindex: false', { noindex: false }, false],
    ['sitemap: true', { sitemap: true }, false],
    ['robots: index, follow', { robots: 'index, follow' }, false],
  ])('%s', (_, data, noindex) => {
    expect(declaredSeo(data as Record<string, unknown>).noindex).toBe(noindex);
  });

  it('fills PreparedArticle and keeps the keys in frontMatter', () => {
    const article = prep(source('title: T\ndescription: D\nseo:\n  title: S\nsitemap: false\nimage: /i.png'));
    expect(article.seo).toEqual({ title: 'S', description: 'D' });
    expect(article.noindex).toBe(true);
    expect(article.frontMatter).toMatchObject({ description: 'D', seo: { title: 'S' }, sitemap: false, image: '/i.png' });
    expect(prep(source('title: T')).seo).toBeNull();
  });
});

describe('SEO with fallbacks (Presentation.seo)', () => {
  const input = { declared: null, title: 'Title', description: 'Excerpt.', url: '/posts/p', image: '/assets/c.png', noindex: false };

  it('falls back to the title, description, absolute URL and image', () => {
    const p = new Presentation('https://example.com/blog', DEFAULT_PRESENTATION);
    expect(p.seo(input)).toEqual({
      title: 'Title',
      description: 'Excerpt.',
      canonicalUrl: 'https://example.com/blog/posts/p',
      ogImage: 'https://example.com/blog/assets/c.png',
      noindex: false,
    });
  });

  it('lets declared fields win, making their paths absolute', () => {
    const p = new Presentation('https://example.com', { ...DEFAULT_PRESENTATION, assetUrl: 'https://cdn.example.com' });
    const declared = { title: 'S', description: 'D', canonicalUrl: '/canon/', ogImage: '/og.png' };
    expect(p.seo({ ...input, declared, noindex: true })).toEqual({
      title: 'S',
      description: 'D',
      canonicalUrl: 'https://example.com/canon/',
      ogImage: 'https://cdn.example.com/og.png',
      noindex: true,
    });
  });

  it('keeps addresses as given without KIJI_SITE_URL', () => {
    const p = new Presentation(null, DEFAULT_PRESENTATION);
    expect(p.seo({ ...input, image: null })).toMatchObject({ canonicalUrl: '/posts/p', ogImage: null });
  });
});

describe('image CDN addresses (Presentation.imageUrl)', () => {
  const withTemplate = (template: string, site = 'https://example.com/blog') => new Presentation(site, { ...DEFAULT_PRESENTATION, imageUrlTemplate: template });

  it('fills {path} and {width} for images on the site', () => {
    const p = withTemplate('https://img.example.com/{path}?w={width}');
    expect(p.imageUrl('/assets/a b/日本.png', 640)).toBe('https://img.example.com/assets/a%20b/%E6%97%A5%E6%9C%AC.png?w=640');
    expect(p.imageUrl('https://example.com/blog/assets/x.png', 320)).toBe('https://img.example.com/assets/x.png?w=320');
    expect(p.imageUrl('https://elsewhere.org/x.png', 320)).toBeNull();
  });

  it('fills {url} encoded, for any host', () => {
    const p = withTemplate('https://res.example.com/fetch/w_{width}/{url}');
    expect(p.imageUrl('/assets/x.png', 100)).toBe(`https://res.example.com/fetch/w_100/${encodeURIComponent('https://example.com/blog/assets/x.png')}`);
    expect(p.imageUrl('https://elsewhere.org/x.png', 100)).toBe(`https://res.example.com/fetch/w_100/${encodeURIComponent('https://elsewhere.org/x.png')}`);
    expect(withTemplate('https://res.example.com/{url}?w={width}', null as unknown as string).imageUrl('/relative.png', 1)).toBeNull();
  });

  it('is null without a template', () => {
    expect(new Presentation('https://example.com', DEFAULT_PRESENTATION).imageUrl('/a.png', 100)).toBeNull();
  });

  it("never lets an image's query or fragment set the CDN's parameters", () => {
    const p = withTemplate('https://img.example.com/{path}?w={width}');
    expect(p.imageUrl('/a.png?w=9999&fm=gif', 640)).toBe('https://img.example.com/a.png?w=640');
    expect(p.imageUrl('/a.png#x?w=1', 640)).toBe('https://img.example.com/a.png?w=640');
    expect(p.imageUrl('https://example.com/blog/a.png?w=9999&fm=gif', 640)).toBe('https://img.example.com/a.png?w=640');
    expect(p.imageUrl('/.//evil.com/a.png', 640)).toBe('https://img.example.com/evil.com/a.png?w=640');
    expect(p.imageUrl('/\\evil.com/a.png', 640)).toBeNull();
  });

  it('encodes {path} as one parameter when it sits in the query', () => {
    const p = withTemplate('https://img.example.com/resize?src={path}&w={width}');
    expect(p.imageUrl('/assets/a&b=c.png?fm=gif', 320)).toBe('https://img.example.com/resize?src=assets%2Fa%26b%3Dc.png&w=320');
  });
});

describe('cover image addresses (Presentation.coverUrl, srcset)', () => {
  const p = new Presentation('https://example.com', { ...DEFAULT_PRESENTATION, imageUrlTemplate: 'https://img.example.com/{path}?w={width}' });

  it('gives the stored address made absolute, or a CDN size when a width is asked for', () => {
    expect(p.coverUrl('/a.png', null)).toBe('https://example.com/a.png');
    expect(p.coverUrl('/a.png', 640)).toBe('https://img.example.com/a.png?w=640');
    expect(p.coverUrl('https://elsewhere.org/a.png', 640)).toBe('https://elsewhere.org/a.png');
  });

  it('caps srcset sizes at the intrinsic width, and is null without a template that applies', () => {
    expect(p.srcset({ src: '/a.png', width: 800 }, [320, 640, 960, 1280])).toBe(
      'https://img.example.com/a.png?w=320 320w, https://img.example.com/a.png?w=640 640w, https://img.example.com/a.png?w=800 800w',
    );
    expect(p.srcset({ src: 'https://elsewhere.org/a.png', width: null }, null)).toBeNull();
  });

  it('refuses widths out of range and too many sizes, naming the argument', () => {
    expect(() => p.coverUrl('/a.png', 0)).toThrow(/`width` must be between 1 and 4096/);
    expect(() => p.srcset({ src: '/a.png', width: null }, [5000])).toThrow(/widths/);
    expect(() => p.srcset({ src: '/a.png', width: null }, Array.from({ length: 11 }, (_, i) => i + 1))).toThrow(/at most 10/);
  });
});
