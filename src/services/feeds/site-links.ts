import type { TermUrlTemplates } from '../../config';
import type { PostLinkName } from '../../entities';
import type { PostParent } from '../posts/read';
import { absoluteUrl } from '../shared';
import { termUrlFor } from '../terms/term-urls';

/** What a feed is about: the whole site, or one author's, tag's or category's posts (the parents a post list has). */
export type TermKind = PostParent;
export type FeedScope = { kind: 'site' } | { kind: TermKind; slug: string };

export type FeedFormat = 'rss' | 'atom' | 'json';
export const FEED_FORMATS: readonly FeedFormat[] = ['rss', 'atom', 'json'];

/** The path segment of each kind's feeds (`/feeds/tags/{slug}.rss`), which is its link's name; in this order in the sitemap. */
export const FEED_FOLDERS: Record<TermKind, PostLinkName> = { tag: 'tags', author: 'authors', category: 'categories' };

/**
 * Absolute addresses of everything feeds and sitemaps point at. `baseUrl` is KIJI_SITE_URL (or
 * the request's origin), which may carry a path prefix (`https://example.com/blog`): templates
 * that start with `/` are appended to it, not resolved against it, or the prefix would be lost.
 * Every address is percent-encoded (`new URL`), so a Japanese slug gives the same ASCII URL in
 * every feed and sitemap, which is what feed readers key their "already read" state by.
 */
export class SiteLinks {
  private readonly postUrl: (slug: string) => string;
  private readonly termUrl: (kind: TermKind, slug: string) => string;

  constructor(
    readonly baseUrl: string,
    postUrl: (slug: string) => string,
    termTemplates: TermUrlTemplates,
  ) {
    this.postUrl = postUrl;
    this.termUrl = termUrlFor(termTemplates);
  }

  /** An absolute URL for a path or URL (a template may already name another host). */
  absolute(pathOrUrl: string): string {
    return absoluteUrl(this.baseUrl, pathOrUrl);
  }

  home(): string {
    return this.absolute('/');
  }

  post(slug: string): string {
    return this.absolute(this.postUrl(slug));
  }

  term(kind: TermKind, slug: string): string {
    return this.absolute(this.termUrl(kind, slug));
  }

  /** The page a feed is the feed of: the home page, or the term's page. */
  page(scope: FeedScope): string {
    return scope.kind === 'site' ? this.home() : this.term(scope.kind, scope.slug);
  }

  feed(scope: FeedScope, format: FeedFormat): string {
    const path = scope.kind === 'site' ? `/feeds/posts.${format}` : `/feeds/${FEED_FOLDERS[scope.kind]}/${encodeURIComponent(scope.slug)}.${format}`;
    return this.absolute(path);
  }

  /** Part `n` (from 1) of a sitemap that needs an index. */
  sitemapPart(n: number): string {
    return this.absolute(`/sitemaps/${n}.xml`);
  }
}
