import { badInput, KijiError } from '../shared';
import type { LogPosition } from './statements';

/**
 * Where a partner is in the change feed. Opaque to partners: base64url of a small versioned JSON,
 * checked strictly, so that a cursor Kiji did not give is BAD_USER_INPUT naming `after` before
 * anything is read.
 */
export interface SyncCursor {
  /** Every log row at or below it has been delivered (or, during an initial sync, read as posts). */
  position: LogPosition;
  /**
   * Kiji's clock when the partner last had every post visible by then: posts whose publication
   * time has passed since are delivered too, though no write happened when they became visible.
   */
  since: Date;
  /** During an initial sync, the posts cursor of the last post delivered ('' before the first). */
  initial?: string;
  /** While posts that became visible since `since` are paged through, the posts cursor of the last one. */
  timeAfter?: string;
}

const VERSION = 1;
const KEYS = new Set(['v', 'p', 't', 'i', 's']);
const MAX_LENGTH = 4096;
const MAX_TIME = 8.64e15;

interface Encoded {
  v: number;
  p: [number, number];
  t: number;
  i?: string;
  s?: string;
}

export function encodeSyncCursor(cursor: SyncCursor): string {
  const encoded: Encoded = { v: VERSION, p: [cursor.position.txid, cursor.position.seq], t: cursor.since.getTime() };
  if (cursor.initial !== undefined) encoded.i = cursor.initial;
  if (cursor.timeAfter !== undefined) encoded.s = cursor.timeAfter;
  return Buffer.from(JSON.stringify(encoded), 'utf8').toString('base64url');
}

const count = (value: unknown, max: number): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value <= max;
const postsCursor = (value: unknown, emptyAllowed: boolean) =>
  value === undefined || (typeof value === 'string' && value.length <= MAX_LENGTH && (value === '' ? emptyAllowed : /^[A-Za-z0-9_-]+$/.test(value)));

export function decodeSyncCursor(text: string): SyncCursor {
  try {
    if (text.length <= MAX_LENGTH && /^[A-Za-z0-9_-]+$/.test(text)) {
      const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
        const c = value as Partial<Encoded>;
        if (
          Object.keys(c).every((key) => KEYS.has(key)) &&
          c.v === VERSION &&
          Array.isArray(c.p) &&
          c.p.length === 2 &&
          count(c.p[0], Number.MAX_SAFE_INTEGER) &&
          count(c.p[1], 2_147_483_647) &&
          count(c.t, MAX_TIME) &&
          postsCursor(c.i, true) &&
          postsCursor(c.s, false) &&
          !(c.i !== undefined && c.s !== undefined)
        ) {
          return { position: { txid: c.p[0], seq: c.p[1] }, since: new Date(c.t), initial: c.i, timeAfter: c.s };
        }
      }
    }
  } catch {
    // refused below
  }
  throw badInput('`after` is not a change feed cursor: pass the `cursor` of the last answer, or no `after` to start over', { argument: 'after' });
}

/** Told to a partner whose cursor is older than the log kept (compaction raised the floor past it). */
export function expiredCursor(): KijiError {
  return badInput('`after` is older than the change log Kiji keeps: start over with no `after` (an initial sync)', {
    argument: 'after',
    reason: 'SYNC_CURSOR_EXPIRED',
  });
}
