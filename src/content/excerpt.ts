/**
 * A plain-text teaser from the first paragraph(s): no Markdown, no HTML, no headings, ending at a
 * sentence end and shorter than 160 UTF-16 units (the strictest reading of "160 characters", so a
 * column or a tweet-sized card never overflows). Never cut inside a character or a word.
 */
import { md, MdToken } from './markdown';
import { sentenceEnds } from './sentences';
import { escapeKeyNames } from './vimKeys';

export const EXCERPT_LIMIT = 160;

function paragraphText(inline: MdToken): string {
  let out = '';
  for (const c of inline.children ?? []) {
    if (c.type === 'text' || c.type === 'code_inline') out += c.content;
    else if (c.type === 'softbreak' || c.type === 'hardbreak') out += ' ';
  }
  return out.replace(/\s+/g, ' ').trim();
}

/** `**Why now?**` alone in a paragraph is a heading in disguise, not prose to quote. */
function isBoldOnly(inline: MdToken): boolean {
  // markdown-it surrounds the strong run with empty text tokens.
  const c = (inline.children ?? []).filter((x) => !(x.type === 'text' && x.content === ''));
  return c.length >= 3 && c[0].type === 'strong_open' && c[c.length - 1].type === 'strong_close' && c.filter((x) => x.type === 'strong_open').length === 1;
}

function paragraphs(tokens: MdToken[]): string[] {
  const pick = (topOnly: boolean) => {
    const out: string[] = [];
    for (let i = 0; i < tokens.length - 1; i++) {
      const t = tokens[i];
      if (t.type !== 'paragraph_open' || (topOnly && t.level !== 0)) continue;
      const inline = tokens[i + 1];
      if (isBoldOnly(inline)) continue;
      const text = paragraphText(inline);
      if (text) out.push(text);
    }
    return out;
  };
  const top = pick(true);
  return top.length ? top : pick(false);
}

const joiner = (a: string, b: string) => (/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}。、！？」』]$/u.test(a) ? '' : ' ') + b;

/** The last word (or, in CJK text, character) boundary at or before `max` code units. */
const WORDS = new Intl.Segmenter('ja', { granularity: 'word' });
const GRAPHEMES = new Intl.Segmenter('ja', { granularity: 'grapheme' });

function boundaryBefore(text: string, max: number): number {
  let best = 0;
  for (const s of WORDS.segment(text.slice(0, max + 80))) {
    const end = s.index + s.segment.length;
    if (end > max) break;
    best = end;
  }
  if (best > 0) return best;
  // One enormous "word" (a URL): fall back to a grapheme boundary.
  for (const s of GRAPHEMES.segment(text.slice(0, max + 8))) {
    const end = s.index + s.segment.length;
    if (end > max) break;
    best = end;
  }
  return best;
}

export function makeExcerpt(markdown: string): string {
  return excerptFromTokens(md.parse(escapeKeyNames(markdown), {}));
}

/** The same excerpt from tokens already parsed for rendering (saves a parse per import). */
export function excerptFromTokens(tokens: MdToken[]): string {
  const paras = paragraphs(tokens);
  if (!paras.length) return '';
  let text = paras[0];
  // Short opening paragraphs are followed by the next ones while they fit whole.
  for (let i = 1; i < paras.length; i++) {
    const next = text + joiner(text, paras[i]);
    if (next.length >= EXCERPT_LIMIT) break;
    text = next;
  }
  return shortenExcerpt(text);
}

/** Cuts plain text to the excerpt limit: at the last sentence end that fits, else at a word with `…`. */
export function shortenExcerpt(text: string): string {
  if (text.length < EXCERPT_LIMIT) return text;
  const ends = sentenceEnds(text).filter((e) => e < EXCERPT_LIMIT);
  if (ends.length) return text.slice(0, ends[ends.length - 1]).trim();

  const cut = boundaryBefore(text, EXCERPT_LIMIT - 2);
  return `${text.slice(0, cut).trimEnd()}…`;
}
