/**
 * The partners' delta sync: the change log the write path appends to (sync-log.ts, which says how
 * reading it never skips a row), its compaction, and the feed read from it (change-feed.ts).
 * Every statement on the log is in statements.ts.
 * This file is the folder's public face: code outside it imports from here.
 */
export { ChangeFeed, MAX_CHANGES } from './change-feed';
export type { ChangeEntry, ChangeKind, ChangePage } from './change-feed';
export { SyncLog } from './sync-log';
export type { CompactionResult } from './sync-log';
export { appendLogRow, logSize } from './statements';
