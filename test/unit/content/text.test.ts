import { detectLanguage, makeExcerpt, readingTimeMinutes } from '../../../src/content';

describe('readingTimeMinutes', () => {
  it('counts CJK characters at 500 a minute', () => {
    expect(readingTimeMinutes('あ'.repeat(500))).toBe(1);
    expect(readingTimeMinutes('漢'.repeat(501))).toBe(2);
    expect(readingTimeMinutes('カ'.repeat(2500))).toBe(5);
  });

  it('counts Latin words at 230 a minute, and adds both', () => {
    expect(readingTimeMinutes('word '.repeat(230))).toBe(1);
    expect(readingTimeMinutes('word '.repeat(690))).toBe(3);
    // 250 characters (0.5 min) + 115 words (0.5 min) = 1 minute exactly
    expect(readingTimeMinutes('あ'.repeat(250) + ' ' + 'word '.repeat(115))).toBe(1);
    expect(readingTimeMinutes('あ'.repeat(251) + ' ' + 'word '.repeat(115))).toBe(2);
  });

  it('is at least one minute', () => {
    expect(readingTimeMinutes('')).toBe(1);
  });

  it('counts code blocks like prose, but not link targets or tags', () => {
    expect(readingTimeMinutes('```\n' + 'token '.repeat(460) + '\n```\n')).toBe(2);
    expect(readingTimeMinutes('[link](https://a.b/' + 'x/'.repeat(500) + ') <span class="a b c d">t</span>')).toBe(1);
  });
});

describe('makeExcerpt', () => {
  it('gives plain text without Markdown, HTML or headings', () => {
    expect(makeExcerpt('# Title\n\nSome **bold** and [a link](http://x) with `code` and <b>html</b>.\n')).toBe(
      'Some bold and a link with code and html.',
    );
  });

  it('skips a bold-only pseudo-heading', () => {
    expect(makeExcerpt('**なぜ今なのか？**\n\n本文です。\n')).toBe('本文です。');
  });

  it('ends at the last sentence end that fits under 160 characters', () => {
    const s = 'これは文です。'.repeat(30);
    const e = makeExcerpt(s);
    expect(e.length).toBeLessThan(160);
    expect(e.endsWith('。')).toBe(true);
    expect(e.length).toBe(154);
    const en = makeExcerpt('This is a sentence. '.repeat(20));
    expect(en).toBe('This is a sentence. '.repeat(8).trim());
  });

  it('does not end at a dot inside a number or a domain', () => {
    const text = `${'a '.repeat(60)}version 3.5 from example.com is out${' b'.repeat(40)}`;
    const e = makeExcerpt(text);
    expect(e.endsWith('…')).toBe(true);
    expect(e).not.toMatch(/3\.$|example\.$/);
  });

  it('cuts at a word boundary with … when no sentence end fits', () => {
    const e = makeExcerpt('lorem ipsum dolor '.repeat(20));
    expect(e.length).toBeLessThan(160);
    expect(e).toMatch(/(lorem|ipsum|dolor)…$/);
  });

  it('never splits a surrogate pair', () => {
    const e = makeExcerpt('𠮷'.repeat(200));
    expect(e.length).toBeLessThan(160);
    expect(e.endsWith('…')).toBe(true);
    expect(/[\uD800-\uDBFF]…$/.test(e)).toBe(false);
    expect(Array.from(e.slice(0, -1)).every((c) => c === '𠮷')).toBe(true);
  });

  it('adds following short paragraphs while they fit whole', () => {
    expect(makeExcerpt('Short one.\n\nShort two.\n')).toBe('Short one. Short two.');
  });
});

describe('detectLanguage', () => {
  it('says ja for Japanese prose, even with English words and code-ish names', () => {
    expect(detectLanguage('Vim 8.2 をリリースしました。詳しくは README を読んでください。')).toBe('ja');
  });

  it('says en for English, also when a few Japanese words are quoted', () => {
    expect(detectLanguage('Kiji means article (記事) in Japanese; the rest of this paragraph, like the post around it, is written in plain English text.')).toBe('en');
    expect(detectLanguage('Plain English.')).toBe('en');
  });

  it('says ja for a Japanese post that mostly lists English titles', () => {
    const list = Array.from({ length: 8 }, (_, i) => `- patch 8.0.${i}: fix the crash when closing a window`).join('\n');
    expect(detectLanguage(`今月のパッチをまとめました。気になるものを確認してください。\n${list}`)).toBe('ja');
  });
});
