import { LRUCache } from 'lru-cache';
import type { CacheState } from '../cache';

/** How many searches' counts are kept: each entry is a key of at most a few hundred characters and a number. */
const KEPT_COUNTS = 2000;

interface KeptCount {
  generation: number;
  /** The next scheduled publication when it was counted: past it, a scheduled post may have become a match. */
  validUntil: number;
  count: Promise<number>;
  /** Whether it is counted apart (SearchCountSources.countsApart). */
  apart: boolean;
}

/** Where counting happens: what reads the content state, what runs reads between writes, the clock. */
export interface SearchCountSources {
  /** The content state as read by a statement that starts after the call. */
  state: () => Promise<CacheState>;
  /**
   * Runs a read outside every write transaction (WriteLock.betweenWrites). SQLite's one connection
   * would otherwise show the state read and the count a write's uncommitted rows, and a count kept
   * from a write that then rolled back would be served until the generation moved twice.
   */
  betweenWrites: <T>(read: () => Promise<T>) => Promise<T>;
  /**
   * Whether a count started now reads on a connection of its own (SearchIndex.countsApart): it is
   * then started in the turn, after the state is read, but awaited outside it, so one slow count
   * does not hold up every other search's turn.
   */
  countsApart: () => boolean;
  now: () => Date;
}

/**
 * The `totalCount` of searches, counted once per state of the content. A word found in half of
 * 100,000 posts has 50,000 matches; counting them is most of what such a search costs on either
 * database (tens of milliseconds), while the page itself reads the newest matches only. Content
 * changes far more rarely than it is searched, so a count is kept until the content generation
 * moves (any write, in any process: the generation is read from the database) or a scheduled post
 * becomes visible. Concurrent searches for the same words share one count.
 */
export class SearchCounts {
  private readonly kept = new LRUCache<string, KeptCount>({ max: KEPT_COUNTS });

  constructor(private readonly sources: SearchCountSources) {}

  /**
   * The number of matches of a search: `count` when none is kept for the current content.
   * @param tokens the search's tokens: a count depends on which tokens a post must hold, not on their order
   */
  async count(tokens: readonly string[], count: () => Promise<number>): Promise<number> {
    const key = [...new Set(tokens)].sort().join(' ');
    const { counting, apart } = await this.sources.betweenWrites(async () => {
      // Read before counting: a write that commits meanwhile moves the generation past the one the
      // count is kept under, so the next search counts again.
      const { generation, nextScheduledAt } = await this.sources.state();
      const now = this.sources.now().getTime();
      const kept = this.kept.get(key);
      // The same generation only: one read after a restore from a backup may be lower than a kept one.
      if (kept && kept.generation === generation && now < kept.validUntil) return { counting: kept.count, apart: kept.apart };
      // Asked right before the count starts, in the same synchronous stretch, so both see the same answer.
      const apart = this.sources.countsApart();
      const counting = count();
      const entry = { generation, validUntil: nextScheduledAt?.getTime() ?? Infinity, count: counting, apart };
      this.kept.set(key, entry);
      // A failed count (a timeout, a lost connection) is not kept.
      counting.catch(() => {
        if (this.kept.get(key) === entry) this.kept.delete(key);
      });
      if (!apart) await counting;
      return { counting, apart };
    });
    try {
      return await counting;
    } catch (error) {
      // A count apart that failed because its thread was lost is counted again, in the turn.
      if (apart && !this.sources.countsApart()) return this.count(tokens, count);
      throw error;
    }
  }
}
