/**
 * Whether two servers answered a case alike: each answer is reduced to what a reader sees (which
 * posts, in which order, with which author and tags; a page's count; an article's body, author,
 * tags and related posts) so Kiji's, the raw baseline's and PostGraphile's shapes compare.
 * Tags are compared as sets: PostGraphile lists them in primary-key order, not by position.
 */
import type { CaseName } from './queries';

type Json = Record<string, unknown> | undefined;
export type Shape = 'kiji' | 'postgraphile';

const obj = (v: unknown): Json => (v && typeof v === 'object' ? (v as Record<string, unknown>) : undefined);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const at = (v: unknown, ...keys: string[]): unknown => keys.reduce<unknown>((o, k) => obj(o)?.[k], v);
const slugs = (items: unknown[]): string =>
  items
    .map((t) => String(at(t, 'slug')))
    .sort()
    .join(',');

/** One post of a list: slug, author, tags. */
function kijiPost(node: unknown): string {
  return `${String(at(node, 'slug'))} by ${String(at(node, 'author', 'slug'))} [${slugs(list(at(node, 'tags')))}]`;
}

function pglPost(node: unknown): string {
  const author = list(at(node, 'postAuthors', 'nodes'))[0];
  return `${String(at(node, 'slug'))} by ${String(at(author, 'author', 'slug'))} [${slugs(list(at(node, 'postTags', 'nodes')).map((n) => at(n, 'tag')))}]`;
}

/** What a reader sees of one answer, as comparable JSON text; null when the answer has no data. */
export function essence(shape: Shape, kind: CaseName, answer: unknown): string | null {
  const data = at(answer, 'data');
  if (!obj(data)) return null;
  let out: unknown;
  if (shape === 'kiji') {
    const edges = (v: unknown) => list(at(v, 'edges')).map((e) => kijiPost(at(e, 'node')));
    if (kind === 'feed') out = edges(at(data, 'posts'));
    else if (kind === 'search') out = { count: at(data, 'posts', 'totalCount'), posts: list(at(data, 'posts', 'edges')).map((e) => at(e, 'node', 'slug')) };
    else if (kind === 'article') {
      const p = at(data, 'post');
      out = p && {
        slug: at(p, 'slug'),
        title: at(p, 'title'),
        bodyHtml: at(p, 'bodyHtml'),
        author: at(p, 'author', 'slug'),
        bio: at(p, 'author', 'bio') ?? null,
        tags: slugs(list(at(p, 'tags'))),
        related: list(at(p, 'related')).map((r) => at(r, 'post', 'slug')),
      };
    } else {
      const t = at(data, kind);
      out = t && { count: at(t, 'postCount'), total: at(t, 'posts', 'totalCount'), posts: edges(at(t, 'posts')) };
    }
  } else {
    const first = (key: string) => list(at(data, key, 'nodes'))[0];
    if (kind === 'feed') out = list(at(data, 'posts', 'nodes')).map(pglPost);
    else if (kind === 'article') {
      const p = first('posts');
      const author = at(list(at(p, 'postAuthors', 'nodes'))[0], 'author');
      out = p && {
        slug: at(p, 'slug'),
        title: at(p, 'title'),
        bodyHtml: at(p, 'bodyHtml'),
        author: at(author, 'slug'),
        bio: at(author, 'bio') ?? null,
        tags: slugs(list(at(p, 'postTags', 'nodes')).map((n) => at(n, 'tag'))),
        related: list(at(p, 'relatedByScore', 'nodes')).map((r) => at(r, 'related', 'slug')),
      };
    } else if (kind === 'tag' || kind === 'author') {
      const t = first(kind === 'tag' ? 'tags' : 'authors');
      const total = at(t, 'newestPosts', 'totalCount');
      out = t && { count: total, total, posts: list(at(t, 'newestPosts', 'nodes')).map(pglPost) };
    }
  }
  return out === undefined || out === null ? null : JSON.stringify(out);
}

/** Answers of the same requests compared; a short description of the first difference, or null. */
export function compareAnswers(kind: CaseName, reference: (string | null)[], other: (string | null)[], otherName: string): string | null {
  const n = Math.min(reference.length, other.length);
  let differing = 0;
  let first = '';
  for (let i = 0; i < n; i++) {
    if (reference[i] === other[i]) continue;
    differing++;
    if (!first) first = difference(reference[i], other[i]);
  }
  return differing ? `${otherName} differs from Kiji on ${differing}/${n} sampled ${kind} answers (first: ${first})` : null;
}

/** The first field that differs (an article's `related`, a page's `count`), else the two answers clipped. */
function difference(a: string | null, b: string | null): string {
  const [x, y] = [a, b].map((t) => (t === null ? null : (JSON.parse(t) as unknown)));
  const [ox, oy] = [obj(x), obj(y)];
  if (ox && oy && !Array.isArray(x)) {
    const key = Object.keys(ox).find((k) => JSON.stringify(ox[k]) !== JSON.stringify(oy[k]));
    if (key) return `${key}: kiji ${clip(JSON.stringify(ox[key]))} vs ${clip(JSON.stringify(oy[key]) ?? 'none')}`;
  }
  if (Array.isArray(x) && Array.isArray(y)) {
    const i = x.findIndex((v, k) => JSON.stringify(v) !== JSON.stringify(y[k]));
    if (i >= 0) return `item ${i + 1}: kiji ${clip(JSON.stringify(x[i]))} vs ${clip(JSON.stringify(y[i]) ?? 'none')}`;
  }
  return `kiji ${clip(a)} vs ${clip(b)}`;
}

function clip(text: string | null): string {
  if (text === null) return 'no data';
  return text.length > 160 ? text.slice(0, 160) + '…' : text;
}
