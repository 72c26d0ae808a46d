import type { DataSource } from 'typeorm';
import { normalizeSitePath, permalinkForms, postUrlMatcher, queryOf } from '../../content/redirects';
import { dialectOf } from '../../db/dialect';
import { isAbsoluteUrl } from '../shared';

/** Where an old path leads: the post, and whether by its `redirect_from` or by a slug it had. */
export interface RedirectTarget {
  postId: number;
  via: 'redirect_from' | 'old_slug';
}

/** What `redirect(path:)` answers. */
export interface RedirectAnswer {
  location: string;
  statusCode: number;
}

/** The longest path or URL `redirect(path:)` reads: longer than any address a browser sends. */
export const MAX_REDIRECT_INPUT = 2000;

/** Moved Permanently: the old address is not coming back, so clients and search engines update their links. */
const MOVED_PERMANENTLY = 301;

/**
 * Answers where an old address of a post leads (`redirect(path:)`): a path its front matter's
 * `redirect_from` lists, or a URL its old slug had under the post URL template (KIJI_POST_URL).
 * Paths are relative to the site (as `redirect_from` and KIJI_POST_URL are); a full URL counts
 * when it is on the site (KIJI_SITE_URL, its path prefix removed, or the template's own host),
 * or on any host when no site URL is set. Which post a viewer may see is the caller's to check.
 */
export class RedirectReader {
  private readonly matchSlug: (path: string, query: string) => string | null;
  private readonly matchPageSlug: (path: string, query: string) => string | null;
  private readonly hosts: Set<string>;
  private readonly sitePrefix: string;

  constructor(
    private readonly dataSource: DataSource,
    siteUrl: string | null,
    private readonly postUrl: (slug: string) => string,
    postUrlTemplate: string,
    /** A path on the site as the public address apps link to (absolute when KIJI_SITE_URL is set). */
    private readonly pageUrl: (pathOrUrl: string) => string,
    /** KIJI_PAGE_URL: the address of a page without a usable permalink. */
    pageUrlTemplate = '/{slug}',
  ) {
    this.matchSlug = postUrlMatcher(postUrlTemplate);
    this.matchPageSlug = postUrlMatcher(pageUrlTemplate);
    const site = siteUrl ? new URL(siteUrl) : null;
    this.sitePrefix = site ? site.pathname.replace(/\/+$/, '') : '';
    this.hosts = new Set(site ? [site.host] : []);
    if (site && isAbsoluteUrl(postUrlTemplate)) this.hosts.add(new URL(postUrlTemplate.replace('{slug}', 'x')).host);
  }

  /**
   * The post each old path or URL leads to, all in one statement; null for one that leads
   * nowhere, or is a current address already: a post's current URL (some post has the slug the
   * post URL template reads from it, draft or deleted too) or a published page's (its permalink,
   * else the page URL template's). A live address wins over a `redirect_from` path another post
   * lists and over an old slug: the importer does not store a `redirect_from` that is a page's
   * address, but a page or post that takes an address later takes it from the redirect.
   * `redirect_from` paths win over old slugs.
   */
  async find(inputs: readonly string[]): Promise<(RedirectTarget | null)[]> {
    const asked = inputs.map((input) => {
      const path = this.sitePathOf(input);
      const query = queryOf(input);
      return { path, slug: path === null ? null : this.matchSlug(path, query), pageSlug: path === null ? null : this.matchPageSlug(path, query) };
    });
    const paths = [...new Set(asked.flatMap((a) => (a.path === null ? [] : [a.path])))];
    const slugs = [...new Set(asked.flatMap((a) => (a.slug === null ? [] : [a.slug])))];
    const pageSlugs = [...new Set(asked.flatMap((a) => (a.pageSlug === null ? [] : [a.pageSlug])))];
    const forms = [...new Set(paths.flatMap(permalinkForms))];
    if (paths.length === 0) return inputs.map(() => null);
    const dialect = dialectOf(this.dataSource);
    const parts: string[] = [];
    const parameters: string[] = [];
    const part = (sql: (list: string) => string, values: string[]) => {
      parts.push(sql(dialect.inList(values.length, parameters.length)));
      parameters.push(...values);
    };
    part((list) => `SELECT 2 AS rank, path AS key, "postId" FROM post_redirects WHERE path IN (${list})`, paths);
    if (slugs.length) {
      // A slug some post has now is that post's URL, whatever redirects say: it needs no redirect.
      part((list) => `SELECT 1 AS rank, slug AS key, id AS "postId" FROM posts WHERE slug IN (${list})`, slugs);
      part((list) => `SELECT 3 AS rank, slug AS key, "postId" FROM post_old_slugs WHERE slug IN (${list})`, slugs);
    }
    // Pages' permalinks are stored as written: found by their likely spellings, checked once normalized.
    part((list) => `SELECT 4 AS rank, path AS key, 0 AS "postId" FROM pages WHERE status = 'published' AND path IN (${list})`, forms);
    if (pageSlugs.length)
      part((list) => `SELECT 5 AS rank, slug AS key, 0 AS "postId" FROM pages WHERE status = 'published' AND path IS NULL AND slug IN (${list})`, pageSlugs);
    const rows: { rank: number | string; key: string; postId: number | string }[] = await this.dataSource.query(parts.join(' UNION ALL '), parameters);
    const found = new Map<string, number>();
    for (const row of rows) {
      const rank = Number(row.rank);
      const key = rank === 4 ? this.normalized(row.key) : row.key;
      if (key !== null) found.set(`${rank}:${key}`, Number(row.postId));
    }
    return asked.map(({ path, slug, pageSlug }) => {
      if (path === null || (slug !== null && found.has(`1:${slug}`))) return null;
      if (found.has(`4:${path}`) || (pageSlug !== null && found.has(`5:${pageSlug}`))) return null;
      const byPath = found.get(`2:${path}`);
      if (byPath !== undefined) return { postId: byPath, via: 'redirect_from' as const };
      const bySlug = slug === null ? undefined : found.get(`3:${slug}`);
      return bySlug === undefined ? null : { postId: bySlug, via: 'old_slug' as const };
    });
  }

  private normalized(permalink: string): string | null {
    const reading = normalizeSitePath(permalink);
    return 'path' in reading ? reading.path : null;
  }

  /**
   * The answer for a post that now has `slug`. A path that is the post's current URL never gets
   * here: it names a current slug, which `find` answers with null.
   */
  answer(slug: string): RedirectAnswer {
    return { location: this.pageUrl(this.postUrl(slug)), statusCode: MOVED_PERMANENTLY };
  }

  /** The normalized path on the site of a path or URL; null for a URL on another host, or what cannot be a path. */
  private sitePathOf(input: string): string | null {
    let text = input.trim();
    if (isAbsoluteUrl(text) || text.startsWith('//')) {
      let url: URL;
      try {
        url = new URL(text.startsWith('//') ? `https:${text}` : text);
      } catch {
        return null;
      }
      if (this.hosts.size && !this.hosts.has(url.host)) return null;
      text = url.pathname;
      if (this.sitePrefix && url.host === [...this.hosts][0]) {
        if (text !== this.sitePrefix && !text.startsWith(`${this.sitePrefix}/`)) return null;
        text = text.slice(this.sitePrefix.length) || '/';
      }
    }
    const reading = normalizeSitePath(text);
    return 'path' in reading ? reading.path : null;
  }
}
