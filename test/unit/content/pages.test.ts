import { isPageFile, isPageSource, pagePermalink, pageSlug } from '../../../src/content/pages';
import path from 'node:path';
import { pathBelowRoot } from '../../../src/services/import/site-paths';
import { source } from './helpers';

describe('isPageFile', () => {
  it('takes `layout: page` outside `_posts`, and anything in a pages/ or _pages/ folder', () => {
    expect(isPageFile('about.md', { layout: 'page' })).toBe(true);
    expect(isPageFile('docs/about.md', { layout: ' Page ' })).toBe(true);
    expect(isPageFile('pages/contact.md', {})).toBe(true);
    expect(isPageFile('_pages/team/index.md', { layout: 'default' })).toBe(true);
  });

  it('keeps posts posts: `_posts` wins, and other layouts or none are posts', () => {
    expect(isPageFile('_posts/2024-01-01-hello.md', { layout: 'page' })).toBe(false);
    expect(isPageFile('_posts/pages/2024-01-01-hello.md', {})).toBe(false);
    expect(isPageFile('2024-01-15-choosing.md', { layout: 'post' })).toBe(false);
    expect(isPageFile('content/posts/2015-05-21-TockingTime.md', {})).toBe(false);
    // A folder named like pages.md is not a pages/ folder.
    expect(isPageFile('pagesx/a.md', {})).toBe(false);
  });
});

describe('isPageSource', () => {
  it('reads the front matter only when the folders do not decide', () => {
    expect(isPageSource('about.md', source('layout: page\ntitle: About'))).toBe(true);
    expect(isPageSource('about.md', source('layout: "page"\ntitle: About'))).toBe(true);
    expect(isPageSource('about.md', source('title: About'))).toBe(false);
    // "layout: page" in the body is not the front matter's.
    expect(isPageSource('post.md', source('title: Post', 'layout: page\n'))).toBe(false);
    // A file that cannot be parsed is left to the post importer, which reports it.
    expect(isPageSource('bad.md', 'layout: page\nno front matter')).toBe(false);
    expect(isPageSource('_posts/x.md', source('layout: page'))).toBe(false);
    expect(isPageSource('pages/x.md', 'not even front matter')).toBe(true);
  });
});

describe('pageSlug and pagePermalink', () => {
  it('names a page by its front matter slug, else its file, else its title', () => {
    expect(pageSlug('pages/contact.md', {}, 'Write to us')).toBe('contact');
    expect(pageSlug('about.md', { slug: 'Who We Are' }, 'About')).toBe('who-we-are');
    expect(pageSlug('_pages/team/index.md', {}, 'The team')).toBe('team');
    expect(pageSlug('index.md', {}, 'Home page')).toBe('home-page');
    expect(pageSlug('pages/会社概要.md', {}, 'x')).toBe('会社概要');
  });

  it('keeps a permalink that is a plain path, and leaves Jekyll placeholders to the URL template', () => {
    expect(pagePermalink({ permalink: '/about/' })).toBe('/about/');
    expect(pagePermalink({ permalink: '/:path/' })).toBeNull();
    expect(pagePermalink({ permalink: 'about' })).toBeNull();
    expect(pagePermalink({ permalink: '//evil.example/x' })).toBeNull();
    expect(pagePermalink({})).toBeNull();
  });
});

describe('pathBelowRoot', () => {
  it("keeps the imported folder's own name, so importing site/pages imports pages and site/_posts posts", () => {
    const site = path.resolve('/tmp/blog/site');
    expect(pathBelowRoot(`${site}/pages/about.md`, [site])).toBe('site/pages/about.md');
    expect(pathBelowRoot(`${site}/pages/about.md`, [`${site}/pages`])).toBe('pages/about.md');
    expect(pathBelowRoot(`${site}/_posts/2024-01-01-x.md`, [`${site}/_posts/`])).toBe('_posts/2024-01-01-x.md');
    // The innermost folder given decides; a file given by itself is its name.
    expect(pathBelowRoot(`${site}/pages/about.md`, [site, `${site}/pages`])).toBe('pages/about.md');
    expect(pathBelowRoot(`${site}/about.md`, [`${site}/about.md`])).toBe('about.md');
    expect(isPageSource(pathBelowRoot(`${site}/pages/x.md`, [`${site}/pages`]), source('title: X'))).toBe(true);
    expect(isPageSource(pathBelowRoot(`${site}/_posts/x.md`, [`${site}/_posts`]), source('layout: page'))).toBe(false);
  });
});
