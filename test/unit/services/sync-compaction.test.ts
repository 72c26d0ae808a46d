import type { QueryRunner } from 'typeorm';
import { SAMPLE_CONTENT_DIR } from '../../../src/paths';
import { ANONYMOUS, type Viewer } from '../../../src/services/access';
import { databaseKinds } from '../../support/databases';
import { startTestServer, TestServer } from '../../support/server';

/*
 * Compaction with a retention never raises the floor above PostgreSQL's horizon. While any
 * transaction is open on the server, rows committed after it began are past the horizon; a
 * floor raised to one of them was above the head a fresh initial sync starts from, and that sync
 * ended in SYNC_CURSOR_EXPIRED for as long as the transaction stayed open. SQLite has no horizon
 * (one writer at a time): the retention is tested there by test/api/sync and the property test.
 */

const EDITOR: Viewer = { role: 'editor', keyId: null, keyName: 'compaction test' };
const PARTNER: Viewer = { role: 'partner', keyId: null, keyName: 'partner' };
const READ = { include: {} };
const describeOnPostgres = databaseKinds().includes('postgres') ? describe : describe.skip;

describeOnPostgres('delta sync, compaction under an open transaction [postgres]', () => {
  let server: TestServer;
  let open: QueryRunner | null = null;

  beforeAll(async () => {
    server = await startTestServer('postgres');
    expect((await server.importPaths([SAMPLE_CONTENT_DIR])).failed).toEqual([]);
  });
  afterAll(async () => {
    if (open && !open.isReleased) await open.release();
    await server?.stop();
  });

  /** Pages from zero until `hasMore` is false, or until a page is empty while more is promised (something still open). */
  async function syncFromZero(held: Map<number, number>, after: string | null = null): Promise<{ cursor: string; settled: boolean }> {
    let cursor = after;
    for (let pages = 0; pages < 1000; pages++) {
      const page = await server.services.changes.page(PARTNER, { after: cursor, first: 5 }, READ);
      for (const entry of page.entries) {
        if (entry.kind === 'UPSERT') held.set(entry.postId, entry.version);
        else held.delete(entry.postId);
      }
      cursor = page.cursor;
      if (!page.hasMore) return { cursor, settled: true };
      if (page.entries.length === 0) return { cursor, settled: false };
    }
    throw new Error('the feed never stopped');
  }

  async function publicVersions(): Promise<[number, number][]> {
    const page = await server.services.posts.page(ANONYMOUS, {}, 'OLDEST', { first: 100 }, READ);
    return page.rows.map((post): [number, number] => [post.id, post.version]).sort((a, b) => a[0] - b[0]);
  }

  it('keeps rows past the horizon, so an initial sync during a long transaction completes once it ends', async () => {
    const [victim] = await publicVersions();
    // The sample's own hidden posts (drafts, scheduled) are expired first, with nothing open.
    server.clock.set(new Date(server.clock.now().getTime() + 60_000));
    await server.services.syncLog.compact(0);
    // Another client's transaction, with a transaction id: the horizon stays at it while it is open.
    open = server.dataSource.createQueryRunner();
    await open.connect();
    await open.startTransaction();
    const [{ xid }] = (await open.query('SELECT pg_current_xact_id()::text AS xid')) as { xid: string }[];

    await server.services.writer.unpublish(EDITOR, victim[0], victim[1]);
    server.clock.set(new Date(server.clock.now().getTime() + 60_000));
    // The unpublish's row is past the horizon: the retention drops the post's older rows, but not that one.
    await server.services.syncLog.compact(0);
    // A partner starting now is not told its fresh cursor expired: it waits (hasMore) for the open transaction.
    const held = new Map<number, number>();
    const during = await syncFromZero(held);
    expect(during.settled).toBe(false);
    const [floor]: { txid: string }[] = await server.dataSource.query('SELECT txid FROM sync_log_floor');
    expect(Number(floor.txid)).toBeLessThan(Number(xid));

    await open.rollbackTransaction();
    await open.release();
    const after = await syncFromZero(held, during.cursor);
    expect(after.settled).toBe(true);
    expect([...held].sort((a, b) => a[0] - b[0])).toEqual(await publicVersions());
    expect(held.has(victim[0])).toBe(false);

    // Once nothing older is open, the retention drops the row; a new initial sync starts above the floor.
    expect((await server.services.syncLog.compact(0)).expired).toBeGreaterThan(0);
    const fresh = new Map<number, number>();
    expect((await syncFromZero(fresh)).settled).toBe(true);
    expect([...fresh].sort((a, b) => a[0] - b[0])).toEqual(await publicVersions());
  });
});
