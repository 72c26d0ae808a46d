import { Feed } from 'feed';
import type { Category, Tag } from '../../entities';
import type { FeedContent, FeedPost } from './feed-reader';
import type { FeedFormat, SiteLinks } from './site-links';

/**
 * A feed's text in one of the three formats. RSS 2.0 and Atom 1.0 are written by the `feed`
 * package; JSON Feed is built here, because that package writes version 1.0 and Kiji serves 1.1
 * (`authors`, `language`). The text depends only on the content and the links, never on the
 * time of the request, so an uncached answer has the same ETag as the cached one.
 */

/** Names the feed's subject; `title` is the site's (KIJI_SITE_TITLE, else its host name). */
function describe(content: FeedContent, title: string): { title: string; description: string } {
  const term = content.term;
  switch (content.scope.kind) {
    case 'site':
      return { title, description: `The newest posts on ${title}` };
    case 'tag':
      return { title: `${term!.name} | ${title}`, description: `The newest posts tagged ${term!.name} on ${title}` };
    case 'author':
      return { title: `${term!.name} | ${title}`, description: `The newest posts by ${term!.name} on ${title}` };
    case 'category':
      return { title: `${term!.name} | ${title}`, description: `The newest posts in ${term!.name} on ${title}` };
  }
}

/** When a post last changed as readers see it: a scheduled post appears at `publishedAt`, after its last edit. */
export function postUpdated(post: { updatedAt: Date; publishedAt: Date | null }): Date {
  return post.publishedAt && post.publishedAt > post.updatedAt ? post.publishedAt : post.updatedAt;
}

/** The newest change among the posts; the epoch for an empty feed (a fixed value keeps the ETag stable). */
function feedUpdated(posts: FeedPost[]): Date {
  return posts.reduce((newest, p) => (postUpdated(p.post) > newest ? postUpdated(p.post) : newest), new Date(0));
}

/** The language of every post, when they share one (a feed-level language must hold for every item). */
function sharedLanguage(posts: FeedPost[]): string | undefined {
  const languages = new Set(posts.map((p) => p.post.language));
  return languages.size === 1 ? [...languages][0] : undefined;
}

/** Tags and categories as feed categories; `domain`/`scheme` (the term's page) tells a tag from a category. */
function categoriesOf(p: FeedPost, links: SiteLinks) {
  const term = (kind: 'tag' | 'category') => (t: Tag | Category) => ({
    name: xmlText(t.name),
    term: t.slug,
    domain: links.term(kind, t.slug),
    scheme: links.term(kind, t.slug),
  });
  return [...p.tags.map(term('tag')), ...p.categories.map(term('category'))];
}

/** Characters XML 1.0 cannot hold at all, even escaped (a stray control character in a title would make the whole feed unreadable). */
// eslint-disable-next-line no-control-regex -- control characters are what it removes
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function xmlText(text: string): string {
  return text.replace(NOT_XML, '');
}

function xmlFeed(format: 'rss' | 'atom', content: FeedContent, links: SiteLinks, siteTitle: string): string {
  const { title, description } = describe(content, siteTitle);
  const self = links.feed(content.scope, format);
  const feed = new Feed({
    id: self,
    title: xmlText(title),
    description: xmlText(description),
    link: links.page(content.scope),
    updated: feedUpdated(content.posts),
    language: sharedLanguage(content.posts),
    generator: 'Kiji',
    feedLinks: { [format]: self },
  });
  for (const p of content.posts) {
    const url = links.post(p.post.slug);
    const authors = p.authors.map((a) => ({ name: xmlText(a.name), link: links.term('author', a.slug) }));
    feed.addItem({
      title: xmlText(p.post.title),
      id: url,
      link: url,
      date: postUpdated(p.post),
      published: p.post.publishedAt ?? undefined,
      description: xmlText(p.post.excerpt),
      content: xmlText(p.post.bodyHtml),
      category: categoriesOf(p, links),
      // RSS 2.0's <author> is an e-mail address, which Kiji does not have: names go in dc:creator.
      ...(format === 'atom'
        ? { author: authors }
        : authors.length > 0
          ? { extensions: [{ name: 'dc:creator', objects: { _text: authors.map((a) => a.name).join(', ') } }] }
          : {}),
    });
  }
  return format === 'atom' ? feed.atom1() : feed.rss2();
}

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
      id: links.post(p.post.slug),
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
  return format === 'json' ? jsonFeed(content, links, siteTitle) : xmlFeed(format, content, links, siteTitle);
}
