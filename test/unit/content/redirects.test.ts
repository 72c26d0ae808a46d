import { normalizeSitePath, postUrlMatcher, readRedirectFrom, redirectLine } from '../../../src/content/redirects';
import { prep, source } from './helpers';

const pathOf = (input: string) => {
  const reading = normalizeSitePath(input);
  return 'path' in reading ? reading.path : `error: ${reading.error}`;
};

describe('normalizeSitePath', () => {
  it('gives one key for a path however it is written', () => {
    const key = '/ja/%E8%A8%98%E4%BA%8B';
    for (const form of ['/ja/記事', '/ja/記事/', '/ja/%e8%a8%98%e4%ba%8b', '/ja/%E8%A8%98%E4%BA%8B/', 'ja/記事', '/ja//記事', 'https://example.com/ja/記事?utm=x#top', '//example.com/ja/記事/', '/ja/x/../記事/./']) {
      expect(pathOf(form)).toBe(key);
    }
    // Decomposed kana (a file system's NFD) is the same text.
    expect(pathOf('/ja/\u30cf\u309a')).toBe(pathOf('/ja/\u30d1'));
  });

  it('keeps case and the characters a path may hold as they are, and encodes the rest', () => {
    expect(pathOf('/2015/05/21/TockingTime/')).toBe('/2015/05/21/TockingTime');
    expect(pathOf('/2011/10/21/patch_7.3.344.html')).toBe('/2011/10/21/patch_7.3.344.html');
    expect(pathOf('/a b')).toBe('/a%20b');
    expect(pathOf('/%7Euser')).toBe('/~user');
    // An encoded slash stays inside its segment; a lone % is a literal one.
    expect(pathOf('/a%2Fb')).toBe('/a%2Fb');
    expect(pathOf('/100%')).toBe('/100%25');
  });

  it('drops a last index.html and keeps the root', () => {
    expect(pathOf('/docs/index.html')).toBe('/docs');
    expect(pathOf('/index.html')).toBe('/');
    expect(pathOf('/')).toBe('/');
    expect(pathOf('https://example.com')).toBe('/');
  });

  it('refuses what is not a path', () => {
    expect(pathOf('')).toMatch(/^error: is empty/);
    expect(pathOf('mailto:someone@example.com')).toMatch(/neither a path nor/);
    expect(pathOf('javascript:alert(1)')).toMatch(/neither a path nor/);
    expect(pathOf('/%FF%FE')).toMatch(/not UTF-8/);
    expect(pathOf('/a\u0001b')).toMatch(/control characters/);
    expect(pathOf(`/${'記'.repeat(200)}`)).toMatch(/longer than 1000/);
  });
});

describe('readRedirectFrom', () => {
  it('reads one path or a list, without repeats, and reports bad entries on their own line', () => {
    const article = prep(source('title: Moved\nredirect_from:\n  - /old/place/\n  - mailto:x\n  - /old/place\n  - https://example.com/older.html'));
    expect(article.redirectFrom).toEqual(['/old/place', '/older.html']);
    expect(article.frontMatter.redirect_from).toEqual(['/old/place/', 'mailto:x', '/old/place', 'https://example.com/older.html']);
    const invalid = article.contentIssues.filter((i) => i.code === 'REDIRECT_INVALID');
    expect(invalid.map((i) => i.line)).toEqual([5]);
    expect(invalid[0].message).toContain('"mailto:x"');
    expect(prep(source('title: One\nredirect_from: /2017/09/08/forrest/')).redirectFrom).toEqual(['/2017/09/08/forrest']);
    expect(prep(source('title: None')).redirectFrom).toEqual([]);
  });

  it('refuses entries that are not text', () => {
    const { paths, issues } = readRedirectFrom('f.md', ['/a', { to: '/b' }], 3);
    expect(paths).toEqual(['/a']);
    expect(issues).toEqual([expect.objectContaining({ file: 'f.md', line: 3, code: 'REDIRECT_INVALID' })]);
  });
});

describe('postUrlMatcher', () => {
  it('reads the slug of a URL the post URL template makes', () => {
    const match = postUrlMatcher('/posts/{slug}');
    expect(match('/posts/old-name', '')).toBe('old-name');
    expect(match(pathOf('/posts/記事/'), '')).toBe('記事');
    expect(match('/posts/a/b', '')).toBeNull();
    expect(match('/posts', '')).toBeNull();
    expect(match('/other/x', '')).toBeNull();
    expect(postUrlMatcher('https://example.com/blog/{slug}.html')('/blog/x.html', '')).toBe('x');
    expect(postUrlMatcher('/{slug}/index.html')('/x', '')).toBe('x');
  });

  it('reads the slug from the query when the template puts it there', () => {
    const match = postUrlMatcher('/post?slug={slug}&ref=feed');
    expect(match('/post', 'slug=old-name&utm=x')).toBe('old-name');
    expect(match('/post', 'slug=%E8%A8%98')).toBe('記');
    expect(match('/posts', 'slug=old-name')).toBeNull();
    expect(match('/post', '')).toBeNull();
  });
});

describe('redirectLine', () => {
  it('finds the line that lists a path, in the forms the corpora use', () => {
    const text = '---\ntitle: T\ntags:\n- old\nredirect_from:\n- /2015/05/21/TockingTime/\n-  /a/b/\nexcerpt: x\n---\nBody\n';
    expect(redirectLine(text, '/2015/05/21/TockingTime')).toBe(6);
    expect(redirectLine(text, '/a/b')).toBe(7);
    // Not listed under redirect_from (a tag named "old" is no path): the key's line.
    expect(redirectLine(text, '/old')).toBe(5);
    expect(redirectLine('---\nredirect_from: "/one/"\n---\n', '/one')).toBe(2);
    expect(redirectLine('---\nredirect_from: [/one, /two]\n---\n', '/two')).toBe(2);
  });
});
