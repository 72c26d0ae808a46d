import { In, type DataSource, type EntityManager } from 'typeorm';
import { chunks } from '../../db/dialect';
import { Post } from '../../entities';
import type { WriteLock } from '../posts/write';
import type { Clock } from '../shared';
import type { WebhookOutbox } from './outbox';
import { anyGoneLive, postIdsGoneLive, scheduledMark, setScheduledMark } from './statements';

/** A sweep that finds nothing still moves the mark this often, so the range it reads stays short. */
const MARK_REFRESH_MS = 5 * 60_000;

/**
 * Sweeps (under the write lock) only when a read outside it finds a post to announce, or the mark
 * has not moved for MARK_REFRESH_MS: an idle instance does not take the lock at every poll. The
 * read cannot make the sweep miss a post: only the locked sweep moves the mark, so a post the
 * read missed (its write committing just after) is still after the mark at the next poll.
 */
export async function sweepIfDue(dataSource: DataSource, lock: WriteLock, clock: Clock, outbox: WebhookOutbox): Promise<void> {
  const now = clock.now();
  const mark = await scheduledMark(dataSource);
  if (mark && mark.getTime() >= now.getTime()) return;
  const due = !mark || now.getTime() - mark.getTime() >= MARK_REFRESH_MS || (await anyGoneLive(dataSource, mark, now));
  if (due) await lock.transaction((manager) => sweepScheduled(manager, clock.now(), outbox), { content: false });
}

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
  const byId = new Map<number, Post>();
  // In chunks: a long quiet spell can leave more posts than one statement takes parameters.
  for (const chunk of chunks(ids)) for (const post of await manager.findBy(Post, { id: In(chunk) })) byId.set(post.id, post);
  for (const id of ids) {
    const post = byId.get(id);
    // Read under the same lock as the ids: a post among them is there (as findOneByOrFail had it).
    if (!post) throw new Error(`post ${id} gone live is missing`);
    await outbox.enqueue(manager, 'post.scheduled_published', post, post.publishedAt!);
  }
  await setScheduledMark(manager, now);
  return ids.length;
}
