/**
 * Paths that lead to a post other than its current URL: the front matter's `redirect_from`
 * (jekyll-redirect-from) and the URLs of slugs a post no longer has. Every path is brought to one
 * form before it is stored or looked up, so that `/ja/記事/`, `/ja/%e8%a8%98%e4%ba%8b` and
 * `https://example.com/ja/記事?utm=x` are one key:
 * - a full http(s) URL gives its path (its host is the caller's to check); no query or fragment;
 * - it starts with `/`; empty segments (`//`), `.` and `..` are resolved away; no trailing `/` but
 *   for the root;
 * - a last segment `index.html` (or `index.htm`) is dropped: Jekyll serves `/a/` from
 *   `/a/index.html`, so both name one page;
 * - each segment is percent-decoded, NFC-normalized and encoded again, with only unreserved
 *   characters and `!$&'()*+,;=:@` left as they are and every other byte as uppercase `%XX`
 *   (an encoded `/` stays `%2F`, part of its segment). The stored form is ASCII.
 */
import type { ContentIssue } from './types';

/** The longest stored path (the `post_redirects.path` column), in its encoded form. */
export const MAX_REDIRECT_PATH = 1000;

export type PathReading = { path: string } | { error: string };

const LITERAL = /[A-Za-z0-9\-._~!$&'()*+,;=:@]/;
// eslint-disable-next-line no-control-regex -- control characters are what this looks for
const CONTROL = /[\u0000-\u001f\u007f]/;
const INDEX_FILES = new Set(['index.html', 'index.htm']);

/** `%XX` runs decoded as UTF-8 (a `%` not followed by two hex digits is a literal `%`); null when they are not UTF-8. */
function decodeSegment(segment: string): string | null {
  let valid = true;
  const text = segment.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
    const bytes = Uint8Array.from(run.slice(1).split('%'), (hex) => parseInt(hex, 16));
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      valid = false;
      return '';
    }
  });
  return valid ? text : null;
}

function encodeSegment(text: string): string {
  let out = '';
  for (const char of text.normalize('NFC')) {
    out += LITERAL.test(char) ? char : [...Buffer.from(char, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
  }
  return out;
}

/** The path part of a path or http(s) URL, as written (no query or fragment); an error for other schemes. */
function rawPathOf(input: string): PathReading {
  const absolute = /^https?:\/\//i.test(input) || input.startsWith('//');
  if (!absolute && /^[A-Za-z][A-Za-z0-9+.-]*:/.test(input)) return { error: 'is neither a path nor an http(s) URL' };
  if (absolute) {
    const rest = input.replace(/^(?:https?:)?\/\/[^/?#]*/i, '');
    if (!URL.canParse(input.startsWith('//') ? `http:${input}` : input)) return { error: 'is not a valid URL' };
    return { path: rest.split(/[?#]/)[0] };
  }
  return { path: input.split(/[?#]/)[0] };
}

/** A path or URL on the site in its one stored form (see the top of this file), or why it cannot be one. */
export function normalizeSitePath(input: string): PathReading {
  const text = input.trim();
  if (!text) return { error: 'is empty' };
  if (CONTROL.test(text)) return { error: 'contains control characters' };
  const raw = rawPathOf(text);
  if ('error' in raw) return raw;
  const segments: string[] = [];
  for (const part of raw.path.split(/[/\\]/)) {
    const decoded = decodeSegment(part);
    if (decoded === null) return { error: 'has percent-escapes that are not UTF-8' };
    if (decoded === '' || decoded === '.') continue;
    if (decoded === '..') segments.pop();
    else segments.push(encodeSegment(decoded));
  }
  if (segments.length && INDEX_FILES.has(segments[segments.length - 1].toLowerCase())) segments.pop();
  const path = `/${segments.join('/')}`;
  if (path.length > MAX_REDIRECT_PATH) return { error: `is longer than ${MAX_REDIRECT_PATH} characters once encoded` };
  return { path };
}

/** The query string of a path or URL (without `?` or the fragment); '' when it has none. */
export function queryOf(input: string): string {
  const match = /\?([^#]*)/.exec(input);
  return match ? match[1] : '';
}

/** One line of the front matter, with its line in the file. */
export interface NumberedLine {
  text: string;
  line: number;
}

/**
 * The front matter's `redirect_from` (one path or a list, paths or URLs), normalized, without
 * repeats; each entry that cannot be a path is a REDIRECT_INVALID issue on its own line.
 */
export function readRedirectFrom(file: string, value: unknown, keyLine: number, lines: readonly NumberedLine[] = []): { paths: string[]; issues: ContentIssue[] } {
  const paths: string[] = [];
  const issues: ContentIssue[] = [];
  if (value === undefined || value === null || value === '') return { paths, issues };
  const entries = Array.isArray(value) ? value : [value];
  // Entries are found in order below the key, so a repeated entry gets its own line.
  let from = lines.findIndex((l) => l.line >= keyLine);
  for (const entry of entries) {
    const text = typeof entry === 'string' || typeof entry === 'number' ? String(entry) : null;
    const at = text === null ? -1 : lines.findIndex((l, i) => i >= from && l.text.includes(text.trim()));
    const line = at >= 0 ? lines[at].line : keyLine;
    if (at >= 0) from = at;
    const reading = text === null ? ({ error: 'is not a path' } as const) : normalizeSitePath(text);
    if ('error' in reading) {
      issues.push({ file, line, code: 'REDIRECT_INVALID', message: `redirect_from entry ${JSON.stringify(entry)} ${reading.error}; it is ignored` });
    } else if (!paths.includes(reading.path)) {
      paths.push(reading.path);
    }
  }
  return { paths, issues };
}

const SENTINEL = 'kijislugsentinel0';

/**
 * Reads the slug out of a URL made by the post URL template (KIJI_POST_URL): `/posts/{slug}`,
 * `https://example.com/{slug}.html`, or `/post?id={slug}` (the slug in the query). Gives a function
 * of a normalized path and the raw query string that answers the slug, or null when the URL is
 * not one of the template's. A template's host is not compared (the caller checks the site).
 */
export function postUrlMatcher(template: string): (path: string, query: string) => string | null {
  const templatePath = rawPathOf(template.replace('{slug}', SENTINEL));
  const pathPart = 'error' in templatePath ? null : normalizeSitePath(templatePath.path);
  if (!pathPart || 'error' in pathPart) return () => null;
  const slugOf = (encoded: string) => {
    const decoded = decodeSegment(encoded);
    return decoded ? decoded.normalize('NFKC') : null;
  };
  const at = pathPart.path.indexOf(SENTINEL);
  if (at >= 0) {
    const prefix = pathPart.path.slice(0, at);
    const suffix = pathPart.path.slice(at + SENTINEL.length);
    return (path) => {
      if (!path.startsWith(prefix) || !path.endsWith(suffix) || path.length <= prefix.length + suffix.length) return null;
      const segment = path.slice(prefix.length, path.length - suffix.length);
      return segment.includes('/') ? null : slugOf(segment);
    };
  }
  // The slug is in the query: the path must be the template's, the slug is its parameter's value.
  const parameter = [...new URLSearchParams(queryOf(template)).entries()].find(([, v]) => v === '{slug}')?.[0];
  if (parameter === undefined) return () => null;
  return (path, query) => {
    if (path !== pathPart.path) return null;
    const value = new URLSearchParams(query).get(parameter);
    return value ? value.normalize('NFKC') : null;
  };
}

/**
 * The line of a file whose front matter lists `path` (normalized) in its `redirect_from`, for
 * messages about it; the line of the `redirect_from` key, or 1, when no single line says it.
 */
export function redirectLine(text: string, path: string): number {
  const lines = text.split(/\r\n?|\n/);
  let keyLine = 1;
  let inside = false;
  for (let i = 1; i < lines.length && !/^(?:---|\.\.\.)\s*$/.test(lines[i]); i++) {
    // The key's own line, then its list, which ends at the next top-level key.
    if (/^redirect_from\s*:/.test(lines[i])) [keyLine, inside] = [i + 1, true];
    else if (/^[^\s#-]/.test(lines[i])) inside = false;
    if (!inside) continue;
    const entry = lines[i].replace(/^\s*(?:redirect_from\s*:|-)\s*/, '').replace(/^\[|\]$/g, '');
    for (const candidate of entry.split(',')) {
      const reading = normalizeSitePath(candidate.trim().replace(/^(['"])(.*)\1$/, '$2'));
      if ('path' in reading && reading.path === path && candidate.trim()) return i + 1;
    }
  }
  return keyLine;
}

/**
 * The spellings a page's `permalink` (stored as written) likely has for a normalized path: with or
 * without a trailing `/` or `index.html`, percent-encoded or not. A database can look these up by
 * equality; a match still has to normalize to `path` (`normalizeSitePath`) to count.
 */
export function permalinkForms(path: string): string[] {
  let decoded = path;
  try {
    decoded = decodeURI(path);
  } catch {
    // Not valid percent-encoding: the path as it is is the only spelling.
  }
  const forms = new Set<string>();
  for (const base of [path, decoded]) {
    const trimmed = base === '/' ? '' : base;
    for (const ending of ['', '/', '/index.html']) forms.add(`${trimmed}${ending}` || '/');
  }
  return [...forms];
}
