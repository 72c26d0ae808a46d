/**
 * Feeds (RSS 2.0, Atom 1.0, JSON Feed 1.1) and the sitemap: what goes in them, read through the
 * post and term readers as an anonymous reader sees it, and their text.
 * This file is the folder's public face: code outside it imports from here.
 */
export { FeedService } from './feed-service';
export type { FeedSettings } from './feed-service';
export { checkFeedSize, DEFAULT_FEED_SIZE, FeedReader, MAX_FEED_SIZE } from './feed-reader';
export { FEED_FOLDERS, FEED_FORMATS, SiteLinks } from './site-links';
export type { FeedFormat, FeedScope, TermKind } from './site-links';
export { SITEMAP_LIMITS, splitSitemap } from './sitemap';
export type { SitemapLimits, SitemapUrl } from './sitemap';
