import { toGlobalId } from '../shared';
import type { FeedContent, FeedPost } from './feed-reader';

/* What the three feed formats say alike: titles, dates, languages and item ids. */

/** Names the feed's subject; `title` is the site's (KIJI_SITE_TITLE, else its host name). */
export function describe(content: FeedContent, title: string): { title: string; description: string } {
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

/**
 * An item's id: the post's global id (as GraphQL and the change log name it), never its URL, so
 * that renaming a slug does not make readers show the post again as a new item.
 */
export function itemId(post: { id: number }): string {
  return `urn:kiji:post:${toGlobalId('Post', post.id)}`;
}

/** When a post last changed as readers see it: a scheduled post appears at `publishedAt`, after its last edit. */
export function postUpdated(post: { updatedAt: Date; publishedAt: Date | null }): Date {
  return post.publishedAt && post.publishedAt > post.updatedAt ? post.publishedAt : post.updatedAt;
}

/** The newest of `dates`; the epoch when there is none (a fixed value keeps the ETag stable). */
export function newestOf(dates: readonly Date[]): Date {
  return dates.reduce((newest, date) => (date > newest ? date : newest), new Date(0));
}

/** The newest change among the posts (an empty feed's is the epoch). */
export function feedUpdated(posts: FeedPost[]): Date {
  return newestOf(posts.map((p) => postUpdated(p.post)));
}

/** The language of every post, when they share one (a feed-level language must hold for every item). */
export function sharedLanguage(posts: FeedPost[]): string | undefined {
  const languages = new Set(posts.map((p) => p.post.language));
  return languages.size === 1 ? [...languages][0] : undefined;
}
