import type { Post } from '../../../entities';

export type PublicPostStatus = 'DRAFT' | 'SCHEDULED' | 'PUBLISHED' | 'DELETED';

/** A published post whose time has not come is SCHEDULED; the clock decides, not a job. */
export function postStatus(post: Pick<Post, 'status' | 'publishedAt' | 'deletedAt'>, now: Date): PublicPostStatus {
  if (post.deletedAt) return 'DELETED';
  if (post.status === 'draft') return 'DRAFT';
  return post.publishedAt && post.publishedAt.getTime() > now.getTime() ? 'SCHEDULED' : 'PUBLISHED';
}
