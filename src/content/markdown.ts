/**
 * The one markdown-it instance of the pipeline. Building it costs far more than a render, so it is
 * created once per process and shared; per-render state travels in `env`, never on the instance.
 */
import MarkdownIt from 'markdown-it';

export const md: MarkdownIt = new MarkdownIt({ html: true, linkify: true });

/** The link schemes Kiji serves; relative links have none. The sanitizer uses the same list. */
export const ALLOWED_SCHEMES = ['http', 'https', 'mailto'];

// markdown-it's own check only blocks javascript:/vbscript:/file:/data:. With the same policy as
// the sanitizer, HTML rendered from Markdown that holds no raw HTML is already safe as it is.
md.validateLink = (url: string): boolean => {
  const scheme = /^\s*([a-z][a-z0-9+.-]*):/i.exec(url);
  return !scheme || ALLOWED_SCHEMES.includes(scheme[1].toLowerCase());
};

/**
 * Block structure only (paragraphs, code, lists with their line maps): no inline parsing and no
 * linkify, which are most of the cost of a parse and say nothing about where code is.
 */
export const blockMd: MarkdownIt = new MarkdownIt({ html: true }).disable(['inline', 'linkify', 'replacements', 'smartquotes', 'text_join']);

export type MdToken = ReturnType<MarkdownIt['parse']>[number];

export interface Range {
  start: number;
  end: number;
}

/** Line indexes (0-based, in `text`) of fenced and indented code blocks, from a block parse. */
export function codeBlockLineRanges(tokens: MdToken[]): [number, number][] {
  const ranges: [number, number][] = [];
  for (const t of tokens) {
    if ((t.type === 'fence' || t.type === 'code_block') && t.map) ranges.push([t.map[0], t.map[1]]);
  }
  return ranges;
}

function lineOffsets(text: string): number[] {
  const offsets = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) offsets.push(i + 1);
  return offsets;
}

const CODE_SPAN = /(?<!`)(`+)(?!`)([\s\S]*?[^`])\1(?!`)/g;

/**
 * Character ranges of `text` that are code — fenced/indented blocks and inline code spans — so
 * rewriting passes (Liquid, key-name escaping) can leave them exactly as written.
 */
export function codeRanges(text: string): Range[] {
  const tokens = blockMd.parse(text, {});
  const offsets = lineOffsets(text);
  const at = (line: number) => (line < offsets.length ? offsets[line] : text.length);
  const blocks = codeBlockLineRanges(tokens).map(([a, b]) => ({ start: at(a), end: at(b) }));
  const ranges: Range[] = [];
  let pos = 0;
  const spansIn = (from: number, to: number) => {
    const segment = text.slice(from, to);
    CODE_SPAN.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = CODE_SPAN.exec(segment))) {
      // A code span never crosses a blank line (that ends the paragraph).
      if (/\n[ \t]*\n/.test(m[0])) {
        CODE_SPAN.lastIndex = m.index + m[1].length;
        continue;
      }
      ranges.push({ start: from + m.index, end: from + m.index + m[0].length });
    }
  };
  for (const b of blocks) {
    spansIn(pos, b.start);
    ranges.push(b);
    pos = b.end;
  }
  spansIn(pos, text.length);
  return ranges;
}

/** Applies `fn` to every stretch of `text` outside `ranges` (sorted, non-overlapping). */
export function mapOutside(text: string, ranges: Range[], fn: (chunk: string) => string): string {
  let out = '';
  let pos = 0;
  for (const r of ranges) {
    if (r.start > pos) out += fn(text.slice(pos, r.start));
    out += text.slice(Math.max(r.start, pos), r.end);
    pos = Math.max(pos, r.end);
  }
  return out + fn(text.slice(pos));
}
