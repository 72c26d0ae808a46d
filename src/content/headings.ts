/** Heading text and `id` anchors, taken from markdown-it block tokens. */
import { MdToken } from './markdown';
import { slugify } from './slug';
import { Heading } from './types';

/** The visible text of an inline token: text, code and image alt, without markup. */
export function inlineText(inline: MdToken | undefined): string {
  if (!inline) return '';
  if (!inline.children) return inline.content;
  let out = '';
  for (const c of inline.children) {
    if (c.type === 'text' || c.type === 'code_inline') out += c.content;
    else if (c.type === 'softbreak' || c.type === 'hardbreak') out += ' ';
    else if (c.type === 'image') out += inlineText(c);
  }
  return out.replace(/\s+/g, ' ').trim();
}

/**
 * Gives every heading an `id` (slug of its text; `-2`, `-3` for repeats) and lists them.
 * Mutates the tokens so the renderer writes the ids.
 */
export function assignHeadingAnchors(tokens: MdToken[]): Heading[] {
  const headings: Heading[] = [];
  const used = new Map<string, number>();
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.type !== 'heading_open') continue;
    const text = inlineText(tokens[i + 1]);
    const base = slugify(text);
    const n = (used.get(base) ?? 0) + 1;
    used.set(base, n);
    let anchor = n === 1 ? base : `${base}-${n}`;
    // `intro-2` written as a real heading would collide with the second `intro`.
    while (n > 1 && used.has(anchor)) anchor = `${anchor}-${n}`;
    if (n > 1) used.set(anchor, 1);
    t.attrSet('id', anchor);
    headings.push({ level: Number(t.tag.slice(1)), text, anchor });
  }
  return headings;
}

/** First heading's text in a Markdown body, for files without a title. */
export function firstHeadingText(tokens: MdToken[]): string | null {
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i].type === 'heading_open') {
      const text = inlineText(tokens[i + 1]);
      if (text) return text;
    }
  }
  return null;
}
