import type { Post } from '../../entities';
import { postStatus } from '../posts/read/post-status';
import { toGlobalId, urlOnSite } from '../shared';

/** The events an endpoint can subscribe to (README "Partners → webhooks"). */
export const WEBHOOK_EVENTS = ['post.published', 'post.updated', 'post.unpublished', 'post.deleted', 'post.restored', 'post.scheduled_published'] as const;
export type WebhookEventName = (typeof WEBHOOK_EVENTS)[number];

/** What a partner can see: published, its time come, not deleted (the rule of post-visibility.ts). */
export function isVisible(post: Pick<Post, 'status' | 'publishedAt' | 'deletedAt'>, at: Date): boolean {
  return postStatus(post, at) === 'PUBLISHED';
}

/**
 * The event a write causes, seen from outside (a receiver only ever learned of visible posts):
 * - became visible: `post.published` (`post.restored` when that was by undeleting it);
 * - visible before and after: `post.updated`;
 * - visible before, not after: `post.deleted` when deleted, else `post.unpublished` (back to draft,
 *   or moved to a future date: it comes back with `post.scheduled_published` then);
 * - invisible before and after (drafts, scheduling, un-scheduling, rescheduling, deleting a draft):
 *   nothing, so receivers never hear of posts they could not read.
 * A scheduled post going live involves no write: the sweeper (sweeper.ts) emits that one, a poll
 * later. Until it has (`wasAnnounced`), a write counts the post as not yet visible before it: an
 * edit right after the post went live sends `post.published`, an un-scheduling sends nothing.
 */
export function eventOf(before: Post | null, after: Post, at: Date, sweptUntil: Date | null = null): WebhookEventName | null {
  const was = before !== null && isVisible(before, at) && wasAnnounced(before, sweptUntil);
  const is = isVisible(after, at);
  if (!was && is) return before?.deletedAt && !after.deletedAt ? 'post.restored' : 'post.published';
  if (was && is) return 'post.updated';
  if (was && !is) return after.deletedAt ? 'post.deleted' : 'post.unpublished';
  return null;
}

/**
 * Whether a post visible before a write may have gone live since its last write with no event yet:
 * dated after that write, and after where the sweeper has looked (the complement of what the
 * sweeper picks, statements.ts postIdsGoneLive). Only then must the outbox read `sweptUntil`.
 */
export function mayBeUnannounced(post: Pick<Post, 'publishedAt' | 'updatedAt'>): boolean {
  return post.publishedAt !== null && post.publishedAt.getTime() > post.updatedAt.getTime();
}

function wasAnnounced(post: Post, sweptUntil: Date | null): boolean {
  // No sweep has run yet: the first one starts from its own time and never announces this post.
  if (!mayBeUnannounced(post) || sweptUntil === null) return true;
  return post.publishedAt!.getTime() <= sweptUntil.getTime();
}

/** The body a receiver gets: what happened and to which post, not its content (receivers fetch it). */
export interface WebhookPayload {
  type: WebhookEventName;
  /** When it happened (ISO 8601, Kiji's clock). */
  timestamp: string;
  data: { id: string; slug: string; url: string; version: number; status: string };
}

export function payloadOf(type: WebhookEventName, post: Post, at: Date, urlOf: (slug: string) => string): WebhookPayload {
  return {
    type,
    timestamp: at.toISOString(),
    data: { id: toGlobalId('Post', post.id), slug: post.slug, url: urlOf(post.slug), version: post.version, status: postStatus(post, at) },
  };
}

/**
 * The `url` receivers get: `Post.url`, made absolute with KIJI_SITE_URL when it is set (appended
 * to it, so a path prefix such as `https://example.com/blog` is kept, as the feeds do), and
 * percent-encoded so a Japanese slug gives one ASCII address everywhere. Without a site URL, receivers get `Post.url` as is.
 */
export function webhookPostUrl(siteUrl: string | null | undefined, postUrl: (slug: string) => string): (slug: string) => string {
  return (slug) => urlOnSite(siteUrl, postUrl(slug));
}
