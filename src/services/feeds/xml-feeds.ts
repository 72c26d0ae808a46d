import type { Category, Tag } from '../../entities';
import { describe, feedUpdated, itemId, postUpdated, sharedLanguage } from './feed-facts';
import type { FeedContent, FeedPost } from './feed-reader';
import type { SiteLinks } from './site-links';
import { escapeHtml } from '../../content/searchSnippet';
import { element, Markup, xmlDocument } from './xml';

/*
 * RSS 2.0 and Atom 1.0, written with xml.ts (why not the `feed` package: see there). Every text is
 * escaped as XML, never put in CDATA. What is plain text (titles, excerpts, names) is said to be
 * so: Atom `type="text"`; RSS `description` is HTML to every reader, so the excerpt is escaped as
 * HTML first (`a < b` shows as `a < b`, not as a tag). Item ids are stable (feed-facts.ts itemId).
 */

const NAMESPACES = {
  atom: 'http://www.w3.org/2005/Atom',
  content: 'http://purl.org/rss/1.0/modules/content/',
  dc: 'http://purl.org/dc/elements/1.1/',
};

/** Tags, then categories; `kind` tells them apart by their page (RSS `domain`, Atom `scheme`). */
function termsOf(p: FeedPost): { kind: 'tag' | 'category'; term: Tag | Category }[] {
  return [...p.tags.map((term) => ({ kind: 'tag' as const, term })), ...p.categories.map((term) => ({ kind: 'category' as const, term }))];
}

function rssItem(p: FeedPost, links: SiteLinks): Markup {
  const published = p.post.publishedAt ?? postUpdated(p.post);
  return element(
    'item',
    {},
    element('title', {}, p.post.title),
    element('link', {}, links.post(p.post.slug)),
    element('guid', { isPermaLink: 'false' }, itemId(p.post)),
    element('pubDate', {}, published.toUTCString()),
    element('description', {}, escapeHtml(p.post.excerpt)),
    element('content:encoded', {}, p.post.bodyHtml),
    // RSS 2.0's <author> is an e-mail address, which Kiji does not have: names go in dc:creator.
    p.authors.length > 0 && element('dc:creator', {}, p.authors.map((a) => a.name).join(', ')),
    ...termsOf(p).map(({ kind, term }) => element('category', { domain: links.term(kind, term.slug) }, term.name)),
  );
}

export function rssFeed(content: FeedContent, links: SiteLinks, siteTitle: string): string {
  const { title, description } = describe(content, siteTitle);
  const language = sharedLanguage(content.posts);
  const channel = element(
    'channel',
    {},
    element('title', {}, title),
    element('link', {}, links.page(content.scope)),
    element('description', {}, escapeHtml(description)),
    element('lastBuildDate', {}, feedUpdated(content.posts).toUTCString()),
    element('docs', {}, 'https://www.rssboard.org/rss-specification'),
    element('generator', {}, 'Kiji'),
    language && element('language', {}, language),
    element('atom:link', { href: links.feed(content.scope, 'rss'), rel: 'self', type: 'application/rss+xml' }),
    ...content.posts.map((p) => rssItem(p, links)),
  );
  // Every namespace is declared whatever the items hold (dc:creator appears in items without a body too).
  const root = element('rss', { version: '2.0', 'xmlns:atom': NAMESPACES.atom, 'xmlns:content': NAMESPACES.content, 'xmlns:dc': NAMESPACES.dc }, channel);
  return xmlDocument(root);
}

function atomEntry(p: FeedPost, links: SiteLinks): Markup {
  return element(
    'entry',
    {},
    element('title', { type: 'text' }, p.post.title),
    element('id', {}, itemId(p.post)),
    element('link', { rel: 'alternate', href: links.post(p.post.slug) }),
    element('updated', {}, postUpdated(p.post).toISOString()),
    p.post.publishedAt && element('published', {}, p.post.publishedAt.toISOString()),
    ...p.authors.map((a) => element('author', {}, element('name', {}, a.name), element('uri', {}, links.term('author', a.slug)))),
    ...termsOf(p).map(({ kind, term }) => element('category', { term: term.slug, scheme: links.term(kind, term.slug), label: term.name })),
    element('summary', { type: 'text' }, p.post.excerpt),
    element('content', { type: 'html' }, p.post.bodyHtml),
  );
}

export function atomFeed(content: FeedContent, links: SiteLinks, siteTitle: string): string {
  const { title, description } = describe(content, siteTitle);
  const self = links.feed(content.scope, 'atom');
  const root = element(
    'feed',
    { xmlns: NAMESPACES.atom, 'xml:lang': sharedLanguage(content.posts) },
    element('id', {}, self),
    element('title', { type: 'text' }, title),
    element('subtitle', { type: 'text' }, description),
    element('updated', {}, feedUpdated(content.posts).toISOString()),
    element('generator', {}, 'Kiji'),
    element('link', { rel: 'alternate', href: links.page(content.scope) }),
    element('link', { rel: 'self', href: self }),
    ...content.posts.map((p) => atomEntry(p, links)),
  );
  return xmlDocument(root);
}
