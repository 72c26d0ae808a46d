import { ContentError, prepareArticle } from '../../../src/content';
import { codes, options, prep, source } from './helpers';

function thrown(text: string, path = 'posts/2020-01-02-x.md'): ContentError {
  try {
    prepareArticle({ path, text }, options);
  } catch (err) {
    if (err instanceof ContentError) return err;
    throw err;
  }
  throw new Error('expected a ContentError');
}

describe('splitting front matter', () => {
  it('handles CRLF line endings and a BOM, keeping line numbers', () => {
    const text = '\uFEFF---\r\ntitle: Hello\r\ndate: nope\r\n---\r\n\r\nBody\r\n';
    const a = prep(text);
    expect(a.title).toBe('Hello');
    expect(a.bodyMarkdown).toBe('Body\n');
    expect(a.contentIssues.find((i) => i.code === 'DATE_UNREADABLE')?.line).toBe(3);
  });

  it('accepts "..." as the closing line', () => {
    expect(prep('---\ntitle: Dots\n...\nBody\n').title).toBe('Dots');
  });

  it('rejects a file without front matter, naming the file and line 1', () => {
    const err = thrown('# Just markdown\n', 'x/2020-01-01-plain.md');
    expect(err.file).toBe('x/2020-01-01-plain.md');
    expect(err.line).toBe(1);
    expect(err.message).toMatch(/x\/2020-01-01-plain\.md.*front matter/);
  });

  it('rejects front matter that is never closed', () => {
    expect(thrown('---\ntitle: x\n\nbody\n').line).toBe(1);
  });

  it('reports truly broken YAML with the line in the file', () => {
    const err = thrown('---\ntitle: ok\ntags: [a, b\nauthor: x\n---\nbody\n');
    expect(err.line).toBeGreaterThanOrEqual(3);
    expect(err.line).toBeLessThanOrEqual(5);
    expect(err.message).toMatch(/not valid YAML/);
    const indented = thrown('---\ntitle: ok\nauthors:\n\t- melody\n---\nbody\n');
    expect(indented.line).toBe(4);
  });

  it('rejects front matter that is not a mapping', () => {
    expect(thrown('---\n- a\n- b\n---\nbody\n').message).toMatch(/mapping/);
    expect(thrown('---\njust a string\n---\nbody\n').message).toMatch(/mapping/);
  });
});

describe('lenient reading of what Jekyll accepted', () => {
  it('reads a quoted value continued on unindented lines, and says so', () => {
    const a = prep(source('title: "67 million more records at your\nfingertips"\ndate: 2015-07-15\nauthors:\n- lindsay'));
    expect(a.title).toBe('67 million more records at your fingertips');
    expect(a.authors).toEqual(['lindsay']);
    expect(a.contentIssues.find((i) => i.code === 'FRONT_MATTER_REPAIRED')?.line).toBe(3);
  });

  it('keeps body text that leaked out of an unindented plain value in that value, not as a key', () => {
    const fm = 'title: Leak\nexcerpt: <p>First part.</p>\n\n<p>In the movies, hackers are often dangerous: but not here.</p>\n\nimage:\nauthors:\n- greg';
    const a = prep(source(fm));
    expect(Object.keys(a.frontMatter).some((k) => k.includes('movies'))).toBe(false);
    expect(a.excerpt).toBe('First part. In the movies, hackers are often dangerous: but not here.');
    expect(a.authors).toEqual(['greg']);
    expect(a.contentIssues.find((i) => i.code === 'FRONT_MATTER_REPAIRED')?.line).toBe(5);
  });

  it('warns about tabs in front matter that still parses', () => {
    const a = prep(source('title: T\nauthors:\n- melody\t\t'));
    expect(a.authors).toEqual(['melody']);
    expect(a.contentIssues.find((i) => i.code === 'YAML_TAB')?.line).toBe(4);
  });
});

describe('field mapping', () => {
  it('reads tags and categories from lists and from Jekyll strings', () => {
    expect(prep(source('title: T\ntags: [AI, LLM, ai]\ncategory: AI技術ガイド')).tags).toEqual(['AI', 'LLM']);
    expect(prep(source('title: T\ncategories: release blog')).categories).toEqual(['release', 'blog']);
    expect(prep(source('title: T\ntags: open data, how we work ,, api')).tags).toEqual(['open data', 'how we work', 'api']);
    const both = prep(source('title: T\ncategory: イベント\ncategories: [team, community]'));
    expect(both.categories).toEqual(['team', 'community', 'イベント']);
    expect(prep(source('title: T\ntag: solo')).tags).toEqual(['solo']);
  });

  it('turns numbers in lists into strings as written', () => {
    expect(prep(source('title: T\ntags: [3.0, 2, v1]')).tags).toEqual(['3.0', '2', 'v1']);
  });

  it('reads one author or a list of ids, merging case variants', () => {
    expect(prep(source('title: T\nauthor: ALLFORCES編集部')).authors).toEqual(['ALLFORCES編集部']);
    expect(prep(source('title: T\nauthors:\n- noah\n- greg\n- Noah')).authors).toEqual(['noah', 'greg']);
    expect(prep(source('title: T')).authors).toEqual([]);
  });

  it('marks drafts from published: false or draft: true', () => {
    expect(prep(source('title: T\npublished: false')).draft).toBe(true);
    expect(prep(source('title: T\ndraft: true')).draft).toBe(true);
    expect(prep(source('title: T\npublished: true')).draft).toBe(false);
    expect(prep(source('title: T')).draft).toBe(false);
  });

  it('keeps every unmapped key verbatim and JSON-safe', () => {
    const a = prep(source('title: T\nlayout: post\nversion: 3.0\npermalink: /x/\nredirect_from:\n  - /old/\nimage: {src: a.png}\ntags: [a]'));
    expect(a.frontMatter).toEqual({ layout: 'post', version: '3.0', permalink: '/x/', redirect_from: ['/old/'], image: { src: 'a.png' } });
    expect(JSON.parse(JSON.stringify(a.frontMatter))).toEqual(a.frontMatter);
  });

  it('uses front-matter lang/language over detection', () => {
    expect(prep(source('title: T\nlang: ja')).language).toBe('ja');
    expect(prep(source('title: T\nlanguage: fr')).language).toBe('fr');
  });

  it('chooses the slug: front matter, then the Jekyll file name, then the title', () => {
    expect(prep(source('title: T\nslug: My Custom Slug'), '2019-1-7-vimconf.md').slug).toBe('my-custom-slug');
    expect(prep(source('title: T'), 'release/2019-1-7-vimconf.md').slug).toBe('vimconf');
    expect(prep(source('title: Amazon 1兆円の可能性とは？'), 'samples/000_abc.txt').slug).toBe('amazon-1兆円の可能性とは');
  });

  it('falls back to the first heading, then the file name, for a missing title and reports NO_TITLE', () => {
    const a = prep(source('layout: post', '\n# Real Heading\n\ntext\n'), 'about.md');
    expect(a.title).toBe('Real Heading');
    expect(codes(a.contentIssues)).toContain('NO_TITLE');
    expect(prep(source('layout: post', 'just text\n'), '2019-1-7-vimconf.md').title).toBe('vimconf');
  });

  it('accepts empty front matter', () => {
    const a = prep('---\n---\n# Hi\n', 'notes.md');
    expect(a.title).toBe('Hi');
    expect(a.frontMatter).toEqual({});
  });

  it('reports duplicate keys and keeps the last value, as Jekyll does', () => {
    const a = prep(source('title: First\ntitle: Second'));
    expect(a.title).toBe('Second');
    expect(a.contentIssues.find((i) => i.code === 'DUPLICATE_KEY')?.line).toBe(3);
  });
});
