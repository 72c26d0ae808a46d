import type { DataSource } from 'typeorm';
import type { Post } from '../../entities';
import { ANONYMOUS, requirePartner, type Viewer } from '../access';
import type { PostReader } from '../posts/read';
import type { WriteLock } from '../posts/write';
import { badInput, type Clock, MAX_PAGE_SIZE } from '../shared';
import { decodeSyncCursor, encodeSyncCursor, expiredCursor, SyncCursor } from './sync-cursor';
import { comparePositions, LoggedChange, logHead, readLog } from './statements';

export type ChangeKind = 'UPSERT' | 'DELETE';

/** What to read with each post, and the request's loaders that keep its relations (as PostReader takes it). */
type PostRead = NonNullable<Parameters<PostReader['page']>[4]>;

/** One entry of the feed: what a partner must do with one post. */
export interface ChangeEntry {
  kind: ChangeKind;
  postId: number;
  version: number;
  /** When the public view of the post last changed: its last change, or its publication if later. */
  at: Date;
  /** The post as the public sees it now (UPSERT only). */
  post: Post | null;
}

export interface ChangePage {
  entries: ChangeEntry[];
  cursor: string;
  hasMore: boolean;
}

/** A page of the feed holds at most as many entries as a connection's page. */
export const MAX_CHANGES = MAX_PAGE_SIZE;

/**
 * The entries of one page: at most one per post, the one read last. Each read gives a post's
 * state when it ran, so a later read is at least as new as every log row consumed before it
 * (keeping an earlier UPSERT over a later DELETE would lose the deletion).
 */
class PageEntries {
  private readonly byPost = new Map<number, ChangeEntry>();

  add(entry: ChangeEntry): void {
    const known = this.byPost.get(entry.postId);
    this.byPost.set(entry.postId, known && known.at > entry.at ? { ...entry, at: known.at } : entry);
  }

  upsert(post: Post, changedAt: Date): void {
    const at = post.publishedAt && post.publishedAt > changedAt ? post.publishedAt : changedAt;
    this.add({ kind: 'UPSERT', postId: post.id, version: post.version, at, post });
  }

  list(): ChangeEntry[] {
    return [...this.byPost.values()];
  }
}

/**
 * The partners' delta sync. With no cursor, an initial sync: every visible post once (oldest
 * first), the log pinned where it began. Then the log (sync-log.ts): each logged post as the
 * public sees it now, UPSERT when visible, DELETE when not. Then the posts whose publication time
 * has come since the cursor's time mark: scheduled posts become visible with no write to log.
 * Delivery is at least once (a post may come again), and the latest state always wins. Every
 * read is the public view (ANONYMOUS), whoever asks: an editor's key syncs what partners see.
 *
 * A page must only see committed changes. On PostgreSQL each read has a connection and snapshot
 * of its own. On SQLite this process has ONE connection, and a read on it runs inside whatever
 * write transaction is open there: it would see an uncommitted log row at seq N and move the
 * cursor to N; if that write rolled back, the next write takes seq N again (AUTOINCREMENT's
 * counter rolls back too) and the partner, already past N, never gets it. So a page runs in the
 * write lock's turn (WriteLock.betweenWrites): after the open transaction ends, before the next
 * begins, with no transaction of its own. Other processes' writes are invisible until committed.
 */
export class ChangeFeed {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly posts: PostReader,
    private readonly lock: WriteLock,
  ) {}

  async page(viewer: Viewer, args: { after?: string | null; first?: number | null }, read: PostRead): Promise<ChangePage> {
    requirePartner(viewer);
    const limit = args.first ?? MAX_CHANGES;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_CHANGES) {
      throw badInput(`\`first\` must be between 1 and ${MAX_CHANGES}; got ${limit}`, { argument: 'first', limit: MAX_CHANGES });
    }
    const after = args.after != null ? decodeSyncCursor(args.after) : null;
    return this.lock.betweenWrites(() => this.read(after, limit, read));
  }

  /** One page from `after` (null: an initial sync), between write transactions. */
  private async read(after: SyncCursor | null, limit: number, read: PostRead): Promise<ChangePage> {
    const now = this.clock.now();
    const entries = new PageEntries();
    const answer = (cursor: SyncCursor, hasMore: boolean): ChangePage => ({ entries: entries.list(), cursor: encodeSyncCursor(cursor), hasMore });
    let cursor: SyncCursor = after ?? { position: await logHead(this.dataSource), since: now, initial: '' };
    let room = limit;

    if (cursor.initial !== undefined) {
      const page = await this.posts.page(ANONYMOUS, {}, 'OLDEST', { first: room, after: cursor.initial || null }, read);
      for (const post of page.rows) entries.upsert(post, post.updatedAt);
      if (page.hasNextPage) return answer({ ...cursor, initial: page.cursorOf(page.rows[page.rows.length - 1]) }, true);
      room -= page.rows.length;
      cursor = { position: cursor.position, since: cursor.since };
      if (room === 0) return answer(cursor, true);
    }

    const log = await readLog(this.dataSource, cursor.position, room + 1);
    if (comparePositions(cursor.position, log.floor) < 0) throw expiredCursor();
    const settled = log.rows.filter((row) => log.horizon === null || row.position.txid < log.horizon);
    // A committed row at or past the horizon is for a later read: the partner is told there is more.
    const waiting = settled.length < log.rows.length;
    const taken = settled.slice(0, room);
    await this.addLogged(entries, taken, read);
    let position = taken.length ? taken[taken.length - 1].position : cursor.position;
    if (settled.length > room) return answer({ ...cursor, position }, true);
    // Every row below the horizon is read: none can still appear there.
    if (log.horizon !== null && comparePositions(position, { txid: log.horizon, seq: 0 }) < 0) position = { txid: log.horizon, seq: 0 };
    room -= taken.length;
    if (room === 0) return answer({ ...cursor, position }, true);

    const published = await this.posts.page(ANONYMOUS, { publishedAfter: cursor.since }, 'OLDEST', { first: room, after: cursor.timeAfter ?? null }, read);
    for (const post of published.rows) entries.upsert(post, post.publishedAt!);
    if (published.hasNextPage) return answer({ position, since: cursor.since, timeAfter: published.cursorOf(published.rows[published.rows.length - 1]) }, true);
    return answer({ position, since: now }, waiting);
  }

  /** The logged posts as the public sees them now: one statement for all of the page's visible posts. */
  private async addLogged(entries: PageEntries, rows: LoggedChange[], read: PostRead): Promise<void> {
    if (rows.length === 0) return;
    const visible = new Map((await this.posts.byIds(ANONYMOUS, [...new Set(rows.map((r) => r.postId))], read)).map((p) => [p.id, p]));
    for (const row of rows) {
      const post = visible.get(row.postId);
      if (post) entries.upsert(post, row.at);
      else entries.add({ kind: 'DELETE', postId: row.postId, version: row.version, at: row.at, post: null });
    }
  }
}
