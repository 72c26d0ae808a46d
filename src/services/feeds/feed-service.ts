import type { DataSource } from 'typeorm';
import type { TermUrlTemplates } from '../../config';
import type { PostLinkName } from '../../entities';
import type { Clock } from '../shared';
import { renderFeed } from './documents';
import { newestOf, postUpdated } from './feed-facts';
import type { FeedReader } from './feed-reader';
import { FEED_FOLDERS, FeedFormat, FeedScope, SiteLinks, TermKind } from './site-links';
import { renderIndex, renderUrlSet, SITEMAP_LIMITS, SitemapLimits, SitemapUrl, splitSitemap } from './sitemap';
import { SitemapRow, visiblePostDates, visibleTermDates } from './statements';

export interface FeedSettings {
  postUrl: (slug: string) => string;
  termUrlTemplates: TermUrlTemplates;
  /** KIJI_SITE_TITLE; null: the site's host name. */
  siteTitle: string | null;
}

/** Term pages in the sitemap, in this order after the posts. */
const SITEMAP_TERMS = Object.entries(FEED_FOLDERS) as [TermKind, PostLinkName][];

/**
 * Feeds and sitemaps as documents (text), for the site at a base URL: what the HTTP routes
 * serve and cache. Everything is the anonymous view of the content.
 */
export class FeedService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly reader: FeedReader,
    private readonly settings: FeedSettings,
  ) {}

  /** The addresses of the site at `baseUrl` (KIJI_SITE_URL, or the request's origin). */
  linksFor(baseUrl: string): SiteLinks {
    return new SiteLinks(baseUrl, this.settings.postUrl, this.settings.termUrlTemplates);
  }

  /** A feed's text; null when the scope's term is unknown (or no visible post carries it). */
  async feed(scope: FeedScope, format: FeedFormat, size: number, links: SiteLinks): Promise<string | null> {
    const content = await this.reader.read(scope, size);
    if (!content) return null;
    return renderFeed(format, content, links, this.settings.siteTitle ?? new URL(links.baseUrl).host);
  }

  /**
   * `/sitemap.xml`: the only sitemap while the URLs fit in one file, else an index of the parts
   * (`/sitemaps/{n}.xml`), as sitemaps.org requires past 50,000 URLs or 50 MB.
   */
  async sitemap(links: SiteLinks, limits: SitemapLimits = SITEMAP_LIMITS): Promise<string> {
    const parts = splitSitemap(await this.sitemapUrls(links), limits);
    if (parts.length === 1) return renderUrlSet(parts[0]);
    return renderIndex(parts.map((part, i) => ({ loc: links.sitemapPart(i + 1), lastmod: newestOf(part.map((u) => u.lastmod)) })));
  }

  /** Part `n` (from 1) of an indexed sitemap; null when there is no such part (or no index). */
  async sitemapPart(n: number, links: SiteLinks, limits: SitemapLimits = SITEMAP_LIMITS): Promise<string | null> {
    const parts = splitSitemap(await this.sitemapUrls(links), limits);
    if (parts.length === 1 || !Number.isInteger(n) || n < 1 || n > parts.length) return null;
    return renderUrlSet(parts[n - 1]);
  }

  /** Every visible post, then the pages of the tags, authors and categories visible posts carry. */
  private async sitemapUrls(links: SiteLinks): Promise<SitemapUrl[]> {
    const now = this.clock.now();
    const [posts, ...terms] = await Promise.all([visiblePostDates(this.dataSource, now), ...SITEMAP_TERMS.map(([, name]) => visibleTermDates(this.dataSource, name, now))]);
    const url = (loc: string, row: SitemapRow) => ({ loc, lastmod: postUpdated(row) });
    return [...posts.map((row) => url(links.post(row.slug), row)), ...SITEMAP_TERMS.flatMap(([kind], i) => terms[i].map((row) => url(links.term(kind, row.slug), row)))];
  }
}
