import { metrics } from './metrics';
import type { ResponseStore, StoredResponse } from './response-cache';

/**
 * Single-flight for misses of the whole-response cache (response-cache.ts). Without it, every
 * request that misses a key runs the whole operation: a search for a new word costs seconds, and
 * each request for it arriving meanwhile ran the same search again, until the pool and the
 * deadline gave out. Here the first miss of a key leads and makes the answer; identical misses
 * arriving while it runs wait for it and are served what it made (`x-kiji-cache: coalesced`).
 *
 * - Keys are store keys, which hold the content generation read for each request: a request that
 *   came after a write reads a newer generation, so it never joins a making that began before it.
 *   The media type is not part of the key, as for hits: only a 200 without errors is shared,
 *   and its body is the same whichever of Apollo's JSON types it goes out as.
 * - Only what the store would keep is shared. When the leader's answer is not storable (errors,
 *   not public, not 200, timed out, its client gone), the waiting requests each run their own:
 *   sharing never causes an error.
 * - A follower waits at most the request timeout, as long as its own request could take; past
 *   that it runs its own request.
 * - With a shared store (Redis), a short lock per key (FlightLocks) lets one instance make the
 *   answer; the first miss in each other instance polls the store for it while the lock is held,
 *   and its own followers wait on it as above. When Redis cannot be asked, each process leads
 *   its own misses: Redis only ever saves work, it is never needed to answer.
 */

/** Locks across instances (cache.ts RedisFlightLocks). */
export interface FlightLocks {
  /**
   * Takes `key`'s lock for `ms`: its release (compare-and-delete: never someone else's lock),
   * 'held' when another instance holds it, or null when the locks cannot be asked (Redis down).
   */
  take(key: string, ms: number): Promise<(() => Promise<void>) | 'held' | null>;
  /** Whether `key`'s lock is still held (false when it cannot be asked). */
  held(key: string): Promise<boolean>;
}

/** What a miss does next: send `entry` (another request made it), or make the answer and `finish`. */
export type Turn =
  | { entry: StoredResponse }
  | {
      entry?: undefined;
      /** Called once the answer is known (more calls are ignored): `entry` when it may be kept `ttlSeconds`, else null. */
      finish: (entry: StoredResponse | null, ttlSeconds: number) => void;
    };

interface Flight {
  /** The leader's entry; null when it has none to share. */
  answer: Promise<StoredResponse | null>;
}

/** How often a waiting instance looks for another instance's answer: soon at first, then every 50 ms. */
const FIRST_POLL_MS = 10;
const POLL_MS = 50;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class SingleFlight {
  private readonly flights = new Map<string, Flight>();

  /**
   * `waitMs`: the request timeout, how long a lock lasts (plus a second); a follower waits half of
   * it at most, so that one that then runs on its own answers within 1.5 timeouts, not 2.
   * `locks`: null when the store is this process's own.
   */
  constructor(
    private readonly locks: FlightLocks | null,
    private readonly waitMs: number,
  ) {}

  private get followMs(): number {
    return this.waitMs / 2;
  }

  /** The turn of a request that missed `key` in `store`. */
  async turn(store: ResponseStore, key: string): Promise<Turn> {
    const current = this.flights.get(key);
    if (current) return this.follow(store, key, current);
    let resolve!: (entry: StoredResponse | null) => void;
    const flight: Flight = { answer: new Promise((done) => (resolve = done)) };
    this.flights.set(key, flight);
    const release = this.locks ? await this.locks.take(key, this.waitMs + 1000) : null;
    if (release === 'held') {
      const entry = await this.waiting(() => this.madeElsewhere(store, key));
      if (entry) {
        this.flights.delete(key);
        resolve(entry);
        return { entry };
      }
    }
    let finished = false;
    const finish = (entry: StoredResponse | null, ttlSeconds: number) => {
      if (finished) return;
      finished = true;
      clearTimeout(expiry);
      resolve(entry);
      const done = () => {
        if (this.flights.get(key) === flight) this.flights.delete(key);
        if (typeof release === 'function') release().catch(() => undefined);
      };
      if (!entry) return done();
      // The flight stays until the entry is stored: a request arriving meanwhile is served it
      // rather than missing a store that does not hold it yet. The lock too, for other instances.
      store.set(key, entry, ttlSeconds).then(done, done);
    };
    // Should a leader never finish (its client gone before it could listen for that), the flight
    // ends anyway once its deadline is past, rather than hold up every later miss of the key.
    const expiry = setTimeout(() => finish(null, 0), this.waitMs + 1000).unref();
    return { finish };
  }

  /** Waits for the leader in this process; without its entry in time, the request runs on its own. */
  private async follow(store: ResponseStore, key: string, flight: Flight): Promise<Turn> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<null>((resolve) => (timer = setTimeout(resolve, this.followMs, null)));
    const entry = await this.waiting(() => Promise.race([flight.answer, timeout]));
    clearTimeout(timer);
    if (entry) return { entry };
    // Stored if it may be, with no followers of its own: those that came for the leader have their turn already.
    return {
      finish: (made, ttlSeconds) => {
        if (made) store.set(key, made, ttlSeconds).catch(() => undefined);
      },
    };
  }

  /** Another instance's answer, looked for while its lock is held, for at most `followMs`. */
  private async madeElsewhere(store: ResponseStore, key: string): Promise<StoredResponse | undefined> {
    const until = performance.now() + this.followMs;
    const get = () => store.get(key).catch(() => undefined);
    for (let pause = FIRST_POLL_MS; performance.now() < until; pause = Math.min(pause * 2, POLL_MS)) {
      await sleep(pause);
      const entry = await get();
      if (entry) return entry;
      // Released without an entry (the answer could not be kept), or Redis is gone: no use waiting.
      // Asked once more: the lock is released just after the entry is stored.
      if (!(await this.locks!.held(key))) return get();
    }
    return undefined;
  }

  /** Counts the requests waiting for another's answer (kiji_response_cache_waiting). */
  private async waiting<T>(wait: () => Promise<T>): Promise<T> {
    metrics.responseCacheWaiting.inc();
    try {
      return await wait();
    } finally {
      metrics.responseCacheWaiting.dec();
    }
  }
}
