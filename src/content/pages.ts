/**
 * Jekyll pages (About, Contact): files that are part of the site but not of its stream of posts.
 * Which files they are, and the slug and address a page gets.
 */
import { scalarText } from './fields';
import { normalizeNewlines, parseFrontMatter, splitFrontMatter } from './frontMatter';
import { slugify } from './slug';

const PAGE_FOLDERS = new Set(['pages', '_pages']);

function foldersOf(path: string): string[] {
  return path.split(/[\\/]/).slice(0, -1);
}

function baseName(path: string): string {
  return (path.split(/[\\/]/).pop() ?? '').replace(/\.[^.]+$/, '');
}

/**
 * Whether a file is a page rather than a post: one inside a `pages/` or `_pages/` folder, or one
 * whose front matter says `layout: page`, unless it is inside a `_posts` folder (posts stay posts,
 * whatever their layout). `path` is the file's path below the folder the site was imported from,
 * so that folders above the site (`~/pages/blog/…`) say nothing.
 */
export function isPageFile(path: string, frontMatter: Record<string, unknown>): boolean {
  const folders = foldersOf(path);
  if (folders.includes('_posts')) return false;
  if (folders.some((f) => PAGE_FOLDERS.has(f))) return true;
  return scalarText(frontMatter.layout)?.trim().toLowerCase() === 'page';
}

/**
 * `isPageFile` for a file's text. The front matter is parsed only when the folders do not decide
 * and a line of it reads `layout: page` (every file of an import is asked, unchanged ones too); a
 * file that cannot be parsed is left to the post importer, which reports why.
 */
export function isPageSource(path: string, text: string): boolean {
  const folders = foldersOf(path);
  if (folders.includes('_posts')) return false;
  if (folders.some((f) => PAGE_FOLDERS.has(f))) return true;
  const normalized = normalizeNewlines(text);
  const fence = normalized.indexOf('\n---', 3);
  if (!/^layout[ \t]*:[ \t]*(["']?)page\1[ \t]*(?:#.*)?$/im.test(normalized.slice(0, fence < 0 ? undefined : fence))) return false;
  try {
    return isPageFile(path, parseFrontMatter(path, splitFrontMatter(path, normalized)).data);
  } catch {
    return false;
  }
}

/**
 * A page's slug: the front matter `slug`, else the file's name (`about.md` → `about`; an
 * `index.md` takes its folder's name), else the title.
 */
export function pageSlug(path: string, frontMatter: Record<string, unknown>, title: string): string {
  const declared = scalarText(frontMatter.slug);
  if (declared) return slugify(declared);
  const name = baseName(path);
  const folder = foldersOf(path).pop();
  const fromFile = name.toLowerCase() === 'index' ? folder : name;
  return fromFile && /[\p{L}\p{N}]/u.test(fromFile) ? slugify(fromFile) : slugify(title);
}

/**
 * The front matter's `permalink` when it is an address Kiji can serve as it is (a path from `/`,
 * no spaces, no Jekyll placeholders such as `:title`); null otherwise, and the page URL template
 * (KIJI_PAGE_URL) makes its address.
 */
export function pagePermalink(frontMatter: Record<string, unknown>): string | null {
  const value = scalarText(frontMatter.permalink)?.trim();
  if (!value || !value.startsWith('/') || value.startsWith('//') || /[\s:]/.test(value) || value.length > 1000) return null;
  return value;
}
