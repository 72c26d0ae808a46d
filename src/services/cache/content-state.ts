import type { DataSource } from 'typeorm';
import { outsideSqlTally } from '../../db/sql-counter';
import { withinMs } from '../../db/availability';
import { readCacheState } from './statements';

export interface CacheState {
  /** Changes whenever published content may have changed. */
  generation: number;
  /** When the next scheduled post becomes visible: nothing cached may outlive that moment. */
  nextScheduledAt: Date | null;
}

/** Reads the content generation and the next scheduled publication, in one statement. */
export class ContentStateReader {
  private recent: { readAt: number; state: Promise<CacheState> } | undefined;
  private running: Promise<CacheState> | undefined;
  private queued: Promise<CacheState> | undefined;
  private last: CacheState | undefined;
  private readonly bounded = new WeakMap<Promise<CacheState>, Promise<CacheState>>();

  /**
   * `quietFromNow` (WriteLock.quietFromNow): tells whether a read may have seen an open write
   * transaction's rows (SQLite); such a state is answered, but neither remembered as `lastKnown`
   * nor shared by `readRecent`.
   */
  constructor(
    private readonly dataSource: DataSource,
    private readonly quietFromNow: () => () => boolean,
  ) {}

  /**
   * The state as read at most a second ago, shared by all requests: enough for Cache-Control
   * hints (a CDN may keep a response up to a second past a scheduled publication) without a
   * statement per request.
   */
  readRecent(now: Date): Promise<CacheState> {
    if (!this.recent || Date.now() - this.recent.readAt > 1000) {
      const stillQuiet = this.quietFromNow();
      // Shared by every request of the next second, so not counted against the one that came first.
      const recent = { readAt: Date.now(), state: outsideSqlTally(() => this.read(now)) };
      this.recent = recent;
      // Unless read inside an open write (its next scheduled post may be rolled back): then the next request reads again.
      const forget = () => {
        if (!stillQuiet() && this.recent === recent) this.recent = undefined;
      };
      recent.state.then(forget, forget);
    }
    return this.recent.state;
  }

  /**
   * The state as read by a statement that started after this call: what a cache lookup needs to
   * never serve a response older than a write that has returned. Callers that arrive while a read
   * is running share the next one, so under load a lookup costs a fraction of a statement.
   */
  fresh(clock: () => Date): Promise<CacheState> {
    if (!this.running) return this.start(clock);
    this.queued ??= this.running.then(
      () => this.startQueued(clock),
      () => this.startQueued(clock),
    );
    return this.queued;
  }

  /**
   * `fresh`, but rejecting when the database has not answered within `ms`: a frozen or locked
   * database must not hold up answers that are in the response cache (see `lastKnown`).
   */
  freshWithin(clock: () => Date, ms: number): Promise<CacheState> {
    const read = this.fresh(clock);
    // One timer per shared read, not per lookup: hits are the hot path.
    let bounded = this.bounded.get(read);
    if (!bounded) this.bounded.set(read, (bounded = withinMs(read, ms)));
    return bounded;
  }

  /**
   * The newest state read so far. While the database cannot answer nothing can be written to
   * it, so answers cached under this state are still what readers should see.
   */
  lastKnown(): CacheState | undefined {
    return this.last;
  }

  private startQueued(clock: () => Date): Promise<CacheState> {
    this.queued = undefined;
    return this.start(clock);
  }

  private start(clock: () => Date): Promise<CacheState> {
    const read = this.read(clock());
    this.running = read;
    const done = () => {
      if (this.running === read) this.running = undefined;
    };
    read.then(done, done);
    return read;
  }

  async read(now: Date): Promise<CacheState> {
    const stillQuiet = this.quietFromNow();
    const state = await readCacheState(this.dataSource, now);
    // Reads may finish out of order; the committed generation only grows (a rolled-back one is never remembered).
    if (stillQuiet() && (!this.last || state.generation >= this.last.generation)) this.last = state;
    return state;
  }
}
