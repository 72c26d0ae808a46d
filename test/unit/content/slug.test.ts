import { slugify, slugFromFileName } from '../../../src/content';

describe('slugify', () => {
  it('keeps Japanese letters and digits, drops the full-width question mark', () => {
    expect(slugify('Amazon 1兆円の可能性とは？')).toBe('amazon-1兆円の可能性とは');
  });

  it('applies NFKC so full-width Latin and half-width kana meet their usual forms', () => {
    expect(slugify('ＡＢＣ　ﾃｽﾄ')).toBe('abc-テスト');
  });

  it('turns runs of anything else into one dash and trims dashes', () => {
    expect(slugify('  Hello, World!! -- again_ ')).toBe('hello-world-again');
  });

  it('makes author handles that differ only in case or -/_ one slug', () => {
    expect(slugify('DirtyF')).toBe(slugify('dirtyf'));
    expect(slugify('dirty_f')).toBe(slugify('dirty-f'));
    expect(slugify('mattr-')).toBe('mattr');
  });

  it('never returns an empty slug, and the fallback is stable and distinct', () => {
    const a = slugify('+++');
    expect(a).toMatch(/^h-[0-9a-f]{8}$/);
    expect(slugify('+++')).toBe(a);
    expect(slugify('***')).not.toBe(a);
    expect(slugify('')).not.toBe('');
  });
});

describe('slugFromFileName', () => {
  it.each([
    ['_posts/2019-1-7-vimconf.md', 'vimconf'],
    ['2019-01-07-vimconf.markdown', 'vimconf'],
    ['/a/b/release/2013-05-06-jekyll-1-0-0-released.markdown', 'jekyll-1-0-0-released'],
    ['C:\\posts\\2020-12-31-Hello_World.md', 'hello-world'],
  ])('%s → %s', (path, slug) => {
    expect(slugFromFileName(path)).toBe(slug);
  });

  it('returns null for names without the Jekyll date prefix', () => {
    expect(slugFromFileName('about.md')).toBeNull();
    expect(slugFromFileName('000_20020096e96e7224.txt')).toBeNull();
    expect(slugFromFileName('2019-01-vimconf.md')).toBeNull();
  });
});
