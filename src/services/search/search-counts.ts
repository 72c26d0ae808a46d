import { LRUCache } from 'lru-cache';
import type { CacheState } from '../cache';

/** How many searches' counts are kept: each entry is a key of at most a few hundred characters and a number. */
const KEPT_COUNTS = 2000;

interface KeptCount {
  generation: number;
  /** The next scheduled publication when it was counted: past it, a scheduled post may have become a match. */
  validUntil: number;
  count: Promise<number>;
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

  /**
   * @param state the content state read by a statement that starts after the call (ContentStateReader.fresh)
   * @param now the clock scheduled publications are compared with
   */
  constructor(
    private readonly state: () => Promise<CacheState>,
    private readonly now: () => Date,
  ) {}

  /** The count for `key` (the search's tokens), from `count` when none is kept for the current content. */
  async count(key: string, count: () => Promise<number>): Promise<number> {
    // Read before counting: a write that commits meanwhile moves the generation past the one the
    // count is kept under, so the next search counts again.
    const { generation, nextScheduledAt } = await this.state();
    const now = this.now().getTime();
    const kept = this.kept.get(key);
    // A count kept under a later generation than this read saw is at least as fresh as needed.
    if (kept && kept.generation >= generation && now < kept.validUntil) return kept.count;
    const counting = count();
    const entry = { generation, validUntil: nextScheduledAt?.getTime() ?? Infinity, count: counting };
    if (!kept || kept.generation <= generation) this.kept.set(key, entry);
    // A failed count (a timeout, a lost connection) is not kept.
    counting.catch(() => {
      if (this.kept.get(key) === entry) this.kept.delete(key);
    });
    return counting;
  }
}
