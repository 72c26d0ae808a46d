import type { EntityManager } from 'typeorm';
import { Post } from '../../entities';
import type { WebhookOutbox } from './outbox';
import { postIdsGoneLive, scheduledMark, setScheduledMark } from './statements';

/**
 * Emits `post.scheduled_published` for posts whose scheduled time came since the last sweep: no
 * write happens at that instant, so no recorder sees it. Runs under the write lock, so it sees every
 * write committed before its "now" and none can commit in between: a post's date either passed
 * before its last write (that write emitted `post.published`) or after it (this emits). The mark
 * moves in the same transaction as the deliveries it queues, so each moment is swept once, by one
 * instance, across restarts. The first sweep starts the mark at its own time (nothing older).
 */
export async function sweepScheduled(manager: EntityManager, now: Date, outbox: WebhookOutbox): Promise<number> {
  const mark = await scheduledMark(manager);
  if (mark && mark.getTime() >= now.getTime()) return 0;
  const ids = mark ? await postIdsGoneLive(manager, mark, now) : [];
  for (const id of ids) {
    const post = await manager.findOneByOrFail(Post, { id });
    await outbox.enqueue(manager, 'post.scheduled_published', post, post.publishedAt!);
  }
  await setScheduledMark(manager, now);
  return ids.length;
}
