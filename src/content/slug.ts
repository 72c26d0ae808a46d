/**
 * Slugs for posts, tags, categories, authors and heading anchors.
 * One rule everywhere so that `DirtyF`, `dirtyf` and `dirty-f`/`dirty_f` variants meet on one slug.
 */

const NON_WORD = /[^\p{L}\p{M}\p{N}]+/gu;

/** FNV-1a, 32 bit: tiny, deterministic, good enough to tell punctuation-only names apart. */
function shortHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

/**
 * NFKC, lower case, Unicode letters/digits kept (combining marks too: without them Devanagari or
 * decomposed kana would be torn apart), every other run becomes one `-`.
 * Never empty: a name made only of punctuation (`+++`) gets a stable `h-<hash>` slug instead.
 */
export function slugify(text: string): string {
  const normalized = String(text ?? '').normalize('NFKC').toLowerCase();
  const slug = normalized.replace(NON_WORD, '-').replace(/^-+|-+$/g, '');
  if (slug) return slug;
  return `h-${shortHash(normalized.trim())}`;
}

/** Jekyll's post file name: `YYYY-M-D-name.ext`, month and day padded or not, in any folder. */
const JEKYLL_NAME = /^(\d{4})-(\d{1,2})-(\d{1,2})-(.+?)(?:\.[A-Za-z0-9]+)?$/;

export interface JekyllName {
  year: number;
  month: number;
  day: number;
  name: string;
}

export function parseJekyllFileName(path: string): JekyllName | null {
  const base = path.split(/[\\/]/).pop() ?? '';
  const m = JEKYLL_NAME.exec(base);
  if (!m || !m[4].trim()) return null;
  return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]), name: m[4] };
}

/** `2019-1-7-vimconf.md` → `vimconf`; null when the name is not in Jekyll's form. */
export function slugFromFileName(path: string): string | null {
  const parsed = parseJekyllFileName(path);
  return parsed ? slugify(parsed.name) : null;
}
