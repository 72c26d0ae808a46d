import type { EntityManager } from 'typeorm';
import { ANONYMOUS } from '../access';
import { chunks } from '../../db/dialect';
import type { Post } from '../../entities';
import type { PostChange, PostChangeRecorder, WriteLock } from '../posts/write';
import type { PostReader } from '../posts/read';
import type { Clock } from '../shared';
import { appendLogRows, dropOldRows, dropSupersededRows, postsLoggedBefore, raiseFloor } from './statements';

/*
 * The partners' change log: one row per change to a post that partners could notice, appended by
 * the write path inside the change's own transaction (post-changes.ts), so a row exists exactly
 * when its change committed.
 *
 * Reading it without ever skipping a row. Rows are ordered by (txid, seq). Sequence order alone
 * is NOT safe on PostgreSQL: transaction A takes seq 10, B takes seq 11 and commits first; a
 * reader that then sees 11 and moves its cursor past it would never see 10, committed later. So
 * each row also carries its transaction's id, and a read returns only rows whose txid is below
 * the horizon of the snapshot it read in, `pg_snapshot_xmin(pg_current_snapshot())`: every
 * transaction with an id below it had ended when the snapshot was taken, and ids are handed out
 * in increasing order, so the set of rows below the horizon can no longer grow. Rows of
 * transactions still running, or committed while an older one still runs, wait (the feed says
 * `hasMore`) until the horizon passes them. Once the rows below the horizon are all read, the
 * cursor may move to (horizon, 0). SQLite has one writer at a time: txid is 0, no horizon, and
 * seq alone orders the log, read only between write transactions (change-feed.ts says why).
 */

/** What a write could have changed for partners: posts published or scheduled, before or after it. */
function listed(post: Post | null): boolean {
  return post !== null && post.status === 'published' && post.deletedAt === null;
}

export interface CompactionResult {
  /** Rows dropped because a newer row of the same post follows them. */
  superseded: number;
  /** Rows of posts hidden now, older than the retention, dropped (the floor rose past them). */
  expired: number;
}

export class SyncLog implements PostChangeRecorder {
  constructor(
    private readonly clock: Clock,
    private readonly posts: PostReader,
    private readonly lock: WriteLock,
  ) {}

  /**
   * A write that leaves a post a draft or deleted, before and after, changes nothing partners see
   * and is not logged: partners never learn that drafts exist, nor how often they change.
   */
  async record(manager: EntityManager, changes: readonly PostChange[]): Promise<void> {
    const logged = changes.filter((change) => listed(change.before) || listed(change.after));
    if (logged.length)
      await appendLogRows(
        manager,
        logged.map((change) => ({ postId: change.after.id, at: change.at })),
      );
  }

  /**
   * Compacts the log (`kiji sync compact`):
   * 1. drops every row that has a newer row for the same post, both below the horizon. A reader
   *    maps a row to the post's current state, not to what the row's change did, so the newer row
   *    tells every cursor-holder that has not read the older one exactly what the older one would
   *    have (it comes later in the log, so a holder below the older row also reaches it). What
   *    any cursor-holder ends with is unchanged, and no cursor expires.
   * 2. with `retainDays`, drops rows older than that of posts hidden now (unpublished, deleted,
   *    drafts, scheduled). A holder below such a row may hold the post and would never learn it
   *    went away, so the floor rises to the highest row dropped and cursors below it are refused
   *    (SYNC_CURSOR_EXPIRED): their partners start over with an initial sync.
   * Rows of visible posts are always kept: they are how a holder learns of their latest version.
   */
  async compact(retainDays?: number): Promise<CompactionResult> {
    // Through the write lock: on SQLite's one connection, never interleaved with a write's transaction (change-feed.ts).
    const superseded = await this.lock.transaction((manager) => dropSupersededRows(manager), { content: false });
    if (retainDays === undefined) return { superseded, expired: 0 };
    const before = new Date(this.clock.now().getTime() - retainDays * 86_400_000);
    const logged = await this.lock.transaction((manager) => postsLoggedBefore(manager, before), { content: false });
    const visible = new Set<number>();
    await this.lock.betweenWrites(async () => {
      for (const ids of chunks(logged)) for (const post of await this.posts.byIds(ANONYMOUS, ids, { include: {} })) visible.add(post.id);
    });
    const hidden = logged.filter((id) => !visible.has(id));
    if (hidden.length === 0) return { superseded, expired: 0 };
    // The rows dropped and the floor raised commit together: a reader's one snapshot sees both or neither.
    const expired = await this.lock.transaction(
      async (manager) => {
        const { dropped, highest } = await dropOldRows(manager, hidden, before);
        if (highest) await raiseFloor(manager, highest);
        return dropped;
      },
      { content: false },
    );
    return { superseded, expired };
  }
}
