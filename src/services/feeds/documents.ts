import { describe, itemId, postUpdated, sharedLanguage } from './feed-facts';
import type { FeedContent } from './feed-reader';
import type { FeedFormat, SiteLinks } from './site-links';
import { atomFeed, rssFeed } from './xml-feeds';

/**
 * A feed's text in one of the three formats: JSON Feed 1.1 here, RSS 2.0 and Atom 1.0 in
 * xml-feeds.ts. The text depends only on the content and the links, never on the time of the
 * request, so an uncached answer has the same ETag as the cached one.
 */

/** JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/). */
function jsonFeed(content: FeedContent, links: SiteLinks, siteTitle: string): string {
  const { title, description } = describe(content, siteTitle);
  const document = {
    version: 'https://jsonfeed.org/version/1.1',
    title,
    home_page_url: links.page(content.scope),
    feed_url: links.feed(content.scope, 'json'),
    description,
    language: sharedLanguage(content.posts),
    items: content.posts.map((p) => ({
      id: itemId(p.post),
      url: links.post(p.post.slug),
      title: p.post.title,
      content_html: p.post.bodyHtml,
      summary: p.post.excerpt,
      date_published: p.post.publishedAt?.toISOString(),
      date_modified: postUpdated(p.post).toISOString(),
      authors: p.authors.map((a) => ({ name: a.name, url: links.term('author', a.slug) })),
      tags: [...new Set([...p.tags, ...p.categories].map((t) => t.name))],
      language: p.post.language,
    })),
  };
  return JSON.stringify(document);
}

export function renderFeed(format: FeedFormat, content: FeedContent, links: SiteLinks, siteTitle: string): string {
  switch (format) {
    case 'json':
      return jsonFeed(content, links, siteTitle);
    case 'rss':
      return rssFeed(content, links, siteTitle);
    case 'atom':
      return atomFeed(content, links, siteTitle);
  }
}
