import type { CacheState } from '../../../src/services/cache';
import { SearchCounts } from '../../../src/services/search';

/** The content state and clock a SearchCounts reads, set by the test. */
function harness() {
  const state: CacheState = { generation: 1, nextScheduledAt: null };
  let now = new Date('2026-01-01T00:00:00Z');
  // Turns taken one after another, as WriteLock.betweenWrites takes them on SQLite.
  let tail: Promise<unknown> = Promise.resolve();
  const betweenWrites = <T>(read: () => Promise<T>): Promise<T> => {
    const result = tail.then(read, read);
    tail = result.catch(() => undefined);
    return result;
  };
  const apart = { now: false };
  const counts = new SearchCounts({ state: async () => ({ ...state }), betweenWrites, countsApart: () => apart.now, now: () => now });
  let counted = 0;
  const count = (n: number) => async () => {
    counted += 1;
    return n;
  };
  return { state, counts, count, counted: () => counted, setNow: (date: Date) => (now = date), apart };
}

describe('SearchCounts (totalCount of searches, kept per content state)', () => {
  it('counts a search once while the content does not change, and again after any write', async () => {
    const h = harness();
    expect(await h.counts.count(['a'], h.count(10))).toBe(10);
    expect(await h.counts.count(['a'], h.count(99))).toBe(10);
    expect(h.counted()).toBe(1);
    h.state.generation = 2;
    expect(await h.counts.count(['a'], h.count(11))).toBe(11);
    expect(h.counted()).toBe(2);
  });

  it('counts again at a lower generation than it kept (a database restored from a backup)', async () => {
    const h = harness();
    h.state.generation = 5;
    expect(await h.counts.count(['a'], h.count(10))).toBe(10);
    h.state.generation = 3;
    expect(await h.counts.count(['a'], h.count(8))).toBe(8);
  });

  it('keeps one count for the same tokens in any order or repeated', async () => {
    const h = harness();
    expect(await h.counts.count(['the', 'of', 'and'], h.count(10))).toBe(10);
    expect(await h.counts.count(['and', 'the', 'of', 'the'], h.count(99))).toBe(10);
    expect(await h.counts.count(['and', 'the'], h.count(12))).toBe(12);
    expect(h.counted()).toBe(2);
  });

  it('counts again once a scheduled post has gone live, though nothing was written', async () => {
    const h = harness();
    h.state.nextScheduledAt = new Date('2026-01-02T00:00:00Z');
    expect(await h.counts.count(['a'], h.count(10))).toBe(10);
    h.setNow(new Date('2026-01-01T23:59:59Z'));
    expect(await h.counts.count(['a'], h.count(11))).toBe(10);
    h.setNow(new Date('2026-01-02T00:00:00Z'));
    expect(await h.counts.count(['a'], h.count(11))).toBe(11);
  });

  it('shares one count between concurrent searches, and keeps no failed count', async () => {
    const h = harness();
    const answers = await Promise.all([1, 2, 3].map(() => h.counts.count(['a'], h.count(7))));
    expect(answers).toEqual([7, 7, 7]);
    expect(h.counted()).toBe(1);
    await expect(h.counts.count(['b'], () => Promise.reject(new Error('statement timeout')))).rejects.toThrow('statement timeout');
    expect(await h.counts.count(['b'], h.count(5))).toBe(5);
  });

  it('counts on the shared connection inside its turn: a slow count holds up the next search', async () => {
    const h = harness();
    const slow = deferred();
    const first = h.counts.count(['common'], () => slow.promise);
    const second = h.counts.count(['rare'], h.count(3));
    await settle();
    expect(h.counted()).toBe(0);
    slow.resolve(50_000);
    expect(await Promise.all([first, second])).toEqual([50_000, 3]);
  });

  it('counts apart (its own connection) outside the turn: other searches go on meanwhile', async () => {
    const h = harness();
    h.apart.now = true;
    const slow = deferred();
    const first = h.counts.count(['common'], () => slow.promise);
    expect(await h.counts.count(['rare'], h.count(3))).toBe(3);
    // A search for the same words meanwhile waits for the same count.
    const again = h.counts.count(['common'], h.count(1));
    slow.resolve(50_000);
    expect(await Promise.all([first, again])).toEqual([50_000, 50_000]);
    expect(h.counted()).toBe(1);
  });

  it('counts again on the shared connection when the count apart failed because its thread was lost', async () => {
    const h = harness();
    h.apart.now = true;
    const answer = await h.counts.count(['a'], async () => {
      if (!h.apart.now) return 8;
      h.apart.now = false;
      throw new Error('a worker thread exited (code 1) before answering');
    });
    expect(answer).toBe(8);
    // A failure of the count itself, its thread still there, is the search's failure.
    h.apart.now = true;
    await expect(h.counts.count(['b'], () => Promise.reject(new Error('fts5: syntax error')))).rejects.toThrow('fts5: syntax error');
  });
});

function deferred() {
  let resolve!: (n: number) => void;
  const promise = new Promise<number>((r) => (resolve = r));
  return { promise, resolve };
}

/** Lets every promise that can settle settle. */
const settle = () => new Promise((r) => setImmediate(r));
