/**
 * Jekyll Liquid tags and Eleventy shortcodes in a body, resolved to plain Markdown.
 *
 * Kiji serves Markdown, not a Jekyll site, so the few tags that carry content (links between posts,
 * images, highlighted code, raw text) become their Markdown equivalent and every other tag goes
 * away without leaving gaps. Code stays exactly as written — except `{% raw %}`, which authors put
 * inside code precisely so that Jekyll would print its content; unwrapping it everywhere is what
 * Jekyll itself does.
 */
import { codeRanges, Range } from './markdown';
import { parseJekyllFileName, slugify } from './slug';

export interface LiquidContext {
  postUrl: (slug: string) => string;
  /** Front-matter values, for `{{ page.image }}` / `{{ image | url }}`. */
  variables: Record<string, unknown>;
}

/** A change worth telling an editor about; `offset` is in the input text. */
export interface LiquidNote {
  offset: number;
  code: string;
  message: string;
}

const TAG = /\{%-?\s*([A-Za-z_]\w*)?([\s\S]*?)-?%\}|\{\{-?([\s\S]*?)-?\}\}/g;
const REMOVED = '\uE000';
const URL_FILTERS = new Set(['relative_url', 'absolute_url', 'url']);
// Resolve to the empty string on a site served from its root; removing them is the right result.
const EMPTY_VARIABLES = new Set(['site.baseurl', 'site.url', 'baseurl']);
const IMAGE_TAGS = new Set(['image', 'image_with_class', 'figure', 'img', 'picture']);

interface Args {
  positional: string[];
  named: Record<string, string>;
}

function parseArgs(text: string): Args {
  const positional: string[] = [];
  const named: Record<string, string> = {};
  const re = /([A-Za-z_][\w-]*)\s*[:=]\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([^\s,]+))|"((?:[^"\\]|\\.)*)"|'([^']*)'|([^\s,]+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    if (m[1]) named[m[1].toLowerCase()] = m[2] ?? m[3] ?? m[4] ?? '';
    else positional.push(m[5] ?? m[6] ?? m[7] ?? '');
  }
  return { positional, named };
}

function siteUrl(src: string): string {
  // Shortcode sources are site-root relative (`assets/blog/x.jpg`).
  return /^(?:[a-z][a-z0-9+.-]*:|\/|#)/i.test(src) ? src : `/${src}`;
}

function markdownImage(src: string, alt: string): string {
  const dest = /[\s()<>]/.test(src) ? `<${src.replace(/[<>]/g, encodeURIComponent)}>` : src;
  return `![${alt.replace(/([[\]\\])/g, '\\$1')}](${dest})`;
}

function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function imageFrom(tag: string, args: Args): string | null {
  const { positional, named } = args;
  const src = named.src ?? named.image ?? named.url ?? (tag === 'include' ? undefined : positional[0]);
  if (!src) return null;
  const alt = named.alt ?? (tag === 'image_with_class' ? positional[2] : tag === 'include' ? undefined : positional[1]) ?? '';
  const caption = named.caption ?? (tag === 'figure' ? positional[2] : undefined);
  const url = siteUrl(src);
  if (caption) {
    return `<figure>\n<img src="${escapeAttr(url)}" alt="${escapeAttr(alt)}">\n<figcaption>${escapeAttr(caption)}</figcaption>\n</figure>`;
  }
  return markdownImage(url, alt);
}

function postSlug(arg: string): string | null {
  const name = arg.replace(/\.(?:md|markdown|mkd|mkdn|html|txt)$/i, '');
  const parsed = parseJekyllFileName(`${name}.md`);
  return parsed ? slugify(parsed.name) : null;
}

function unquote(s: string | undefined): string {
  return (s ?? '').trim().replace(/^(["'])(.*)\1$/, '$2');
}

function evalOutput(expr: string, ctx: LiquidContext): string | null {
  const m = /^\s*(?:"([^"]*)"|'([^']*)'|([A-Za-z_][\w.-]*))\s*((?:\|[^|]*)*)$/.exec(expr);
  if (!m) return null;
  const filters = m[4]
    .split('|')
    .slice(1)
    .map((f) => f.trim().split(/[\s:]/)[0]);
  const literal = m[1] ?? m[2];
  // 18F's `{{ "maya" | team_link }}` links a person: without the team data, the handle is the
  // best text (a quote keeps its attribution instead of ending in a dangling dash).
  if (literal !== undefined && filters.length === 1 && filters[0] === 'team_link') return literal;
  if (!filters.every((f) => URL_FILTERS.has(f))) return null;
  if (literal !== undefined) return literal;
  const name = m[3];
  if (EMPTY_VARIABLES.has(name)) return '';
  const value = ctx.variables[name.replace(/^page\./, '')];
  return typeof value === 'string' && value.trim() ? value.trim() : null;
}

function fence(lang: string, content: string): string {
  const longest = Math.max(0, ...(content.match(/`+/g) ?? []).map((r) => r.length));
  const f = '`'.repeat(Math.max(3, longest + 1));
  const code = content.replace(/^[ \t]*\n/, '').replace(/\s+$/, '');
  return `${f}${lang}\n${code}\n${f}`;
}

/** Drops the removal marks: a line left empty disappears, no double blank line, no stray spaces. */
function cleanRemovals(text: string): string {
  if (!text.includes(REMOVED)) return text;
  const out: string[] = [];
  let dropped = false;
  const blank = (s: string | undefined) => s !== undefined && !s.trim();
  for (const line of text.split('\n')) {
    if (!line.includes(REMOVED)) {
      if (dropped && blank(line) && (out.length === 0 || blank(out[out.length - 1]))) {
        dropped = false;
        continue;
      }
      out.push(line);
      dropped = false;
      continue;
    }
    if (!line.replace(new RegExp(REMOVED, 'g'), '').trim()) {
      dropped = true;
      continue;
    }
    const cleaned = line.replace(/([ \t]*)\uE000+([ \t]*)/g, (_m, before: string, after: string, offset: number, whole: string) => {
      if (offset === 0) return before; // keep indentation, it can be Markdown structure
      if (offset + _m.length === whole.length) return '';
      return before || after ? ' ' : '';
    });
    out.push(cleaned.replace(/[ \t]+$/, ''));
    dropped = false;
  }
  if (dropped) while (out.length > 1 && blank(out[out.length - 1]) && blank(out[out.length - 2])) out.pop();
  return out.join('\n');
}

export function resolveLiquid(text: string, ctx: LiquidContext): { text: string; notes: LiquidNote[] } {
  const notes: LiquidNote[] = [];
  if (!text.includes('{%') && !text.includes('{{')) return { text, notes };
  const code: Range[] = codeRanges(text);
  let ci = 0;
  const inCode = (offset: number) => {
    while (ci < code.length && code[ci].end <= offset) ci++;
    return ci < code.length && code[ci].start <= offset;
  };
  const findClose = (name: string, from: number) => {
    const re = new RegExp(`\\{%-?\\s*${name}\\s*-?%\\}`, 'g');
    re.lastIndex = from;
    return re.exec(text);
  };

  /** Offset after the `end<name>` that closes the block opened before `from`, counting nesting. */
  const findBlockEnd = (name: string, from: number): number | null => {
    const re = new RegExp(`\\{%-?\\s*(${name}|end${name})\\b[\\s\\S]*?-?%\\}`, 'g');
    re.lastIndex = from;
    let depth = 1;
    let b: RegExpExecArray | null;
    while ((b = re.exec(text))) {
      depth += b[1] === name ? 1 : -1;
      if (depth === 0) return b.index + b[0].length;
    }
    return null;
  };

  let out = '';
  let pos = 0;
  TAG.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = TAG.exec(text))) {
    const start = m.index;
    const end = start + m[0].length;
    const name = m[1]?.toLowerCase();
    if (name === 'raw') {
      const close = findClose('endraw', end);
      out += text.slice(pos, start);
      if (!close) {
        notes.push({ offset: start, code: 'LIQUID_UNCLOSED', message: '{% raw %} is never closed; the rest of the body is kept as written' });
        out += text.slice(end);
        pos = text.length;
        break;
      }
      // The tags themselves are removals (a `{% raw %}` alone on its line leaves no blank line).
      out += REMOVED + text.slice(end, close.index) + REMOVED;
      pos = close.index + close[0].length;
      TAG.lastIndex = pos;
      continue;
    }
    if (inCode(start)) {
      TAG.lastIndex = start + 2;
      continue;
    }
    out += text.slice(pos, start);
    pos = end;

    if (m[3] !== undefined) {
      const value = evalOutput(m[3], ctx);
      if (value === null) {
        notes.push({ offset: start, code: 'LIQUID_REMOVED', message: `removed Liquid output ${m[0].replace(/\s+/g, ' ')}` });
        out += REMOVED;
      } else {
        out += value || REMOVED;
      }
      continue;
    }

    const args = parseArgs(m[2] ?? '');
    if (name === 'for' || name === 'capture') {
      // A loop body without the data it loops over (or a captured value nobody prints) is only
      // template noise: the whole block goes, not just its tags.
      const close = findBlockEnd(name, end);
      if (close) pos = close;
      notes.push({ offset: start, code: 'LIQUID_REMOVED', message: `removed the {% ${name} %} block ${m[0].replace(/\s+/g, ' ').slice(0, 60)}` });
      out += REMOVED;
    } else if (name === 'comment') {
      const close = findClose('endcomment', end);
      if (close) pos = close.index + close[0].length;
      else notes.push({ offset: start, code: 'LIQUID_UNCLOSED', message: '{% comment %} is never closed; only the tag was removed' });
      out += REMOVED;
    } else if (name === 'highlight') {
      const close = findClose('endhighlight', end);
      if (!close) {
        notes.push({ offset: start, code: 'LIQUID_UNCLOSED', message: '{% highlight %} is never closed; only the tag was removed' });
        out += REMOVED;
      } else {
        const lang = (args.positional[0] ?? '').replace(/[^\w+#.-]/g, '');
        const before = out.length && !out.endsWith('\n') ? '\n' : '';
        const after = text.charAt(close.index + close[0].length) === '\n' || close.index + close[0].length >= text.length ? '' : '\n';
        out += before + fence(lang, text.slice(end, close.index)) + after;
        pos = close.index + close[0].length;
      }
    } else if (name === 'post_url' || name === 'link') {
      const target = unquote(args.positional[0]);
      const isPost = name === 'post_url' || /(^|\/)_posts\//.test(target) || parseJekyllFileName(target) !== null;
      const slug = target && isPost ? postSlug(target) : null;
      if (slug) out += ctx.postUrl(slug);
      else if (name === 'link' && target) out += `/${target.replace(/^\/+/, '').replace(/\.[^./]+$/, '')}`;
      else {
        notes.push({ offset: start, code: 'UNRESOLVED_LINK', message: `cannot resolve ${m[0].replace(/\s+/g, ' ')}; removed` });
        out += REMOVED;
      }
    } else if (name && (IMAGE_TAGS.has(name) || name === 'include')) {
      const image = imageFrom(name, args);
      if (image) out += image;
      else {
        notes.push({ offset: start, code: 'LIQUID_REMOVED', message: `removed ${m[0].replace(/\s+/g, ' ').slice(0, 80)}` });
        out += REMOVED;
      }
    } else {
      // if/for/assign/include…: Kiji has no site to evaluate them against. End tags go silently.
      if (name && !/^(?:end\w+|else|elsif|when)$/.test(name)) {
        notes.push({ offset: start, code: 'LIQUID_REMOVED', message: `removed ${m[0].replace(/\s+/g, ' ').slice(0, 80)}` });
      }
      out += REMOVED;
    }
    TAG.lastIndex = pos;
  }
  out += text.slice(pos);
  return { text: cleanRemovals(out), notes };
}
