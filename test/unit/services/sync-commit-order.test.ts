import type { QueryRunner } from 'typeorm';
import { SAMPLE_CONTENT_DIR } from '../../../src/paths';
import type { Viewer } from '../../../src/services/access';
import { appendLogRow } from '../../../src/services/sync';
import { databaseKinds } from '../../support/databases';
import { startTestServer, TestServer } from '../../support/server';

/*
 * PostgreSQL commits transactions in any order: A takes sequence 10, B takes 11 and commits
 * first. A reader that saw 11 and moved past it must still receive 10 once A commits. Two
 * transactions outside Kiji's write lock append to the log, the later one commits first, a
 * partner syncs in between, then the earlier one commits.
 */

const PARTNER: Viewer = { role: 'partner', keyId: null, keyName: 'partner' };
const READ = { include: {} };
const describeOnPostgres = databaseKinds().includes('postgres') ? describe : describe.skip;

describeOnPostgres('delta sync, out-of-order commits [postgres]', () => {
  let server: TestServer;
  const runners: QueryRunner[] = [];

  beforeAll(async () => {
    server = await startTestServer('postgres');
    expect((await server.importPaths([SAMPLE_CONTENT_DIR])).failed).toEqual([]);
  });
  afterAll(async () => {
    for (const runner of runners) if (!runner.isReleased) await runner.release();
    await server?.stop();
  });

  async function syncToEnd(after: string | null): Promise<{ cursor: string; upserts: number[] }> {
    const upserts: number[] = [];
    let cursor = after;
    for (let pages = 0; pages < 1000; pages++) {
      const page = await server.services.changes.page(PARTNER, { after: cursor, first: 100 }, READ);
      upserts.push(...page.entries.filter((e) => e.kind === 'UPSERT').map((e) => e.postId));
      cursor = page.cursor;
      if (!page.hasMore) return { cursor, upserts };
      // More is promised while a transaction is open somewhere on the server: ask again shortly.
      if (page.entries.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error('the feed never said hasMore: false');
  }

  async function openWriter(postId: number): Promise<QueryRunner> {
    const runner = server.dataSource.createQueryRunner();
    runners.push(runner);
    await runner.connect();
    await runner.startTransaction();
    await appendLogRow(runner.manager, postId, server.clock.now());
    return runner;
  }

  it('delivers the earlier-sequence change that commits after a later one a partner already synced past', async () => {
    const { cursor, upserts } = await syncToEnd(null);
    const [first, second] = upserts;
    const [{ top }]: { top: number }[] = await server.dataSource.query('SELECT MAX(seq) AS top FROM sync_log');
    /** The posts of the rows appended since, in sequence order. */
    const newRows = async (): Promise<number[]> => {
      const rows: { postId: number }[] = await server.dataSource.query('SELECT "postId" FROM sync_log WHERE seq > $1 ORDER BY seq', [top]);
      return rows.map((r) => Number(r.postId));
    };

    const a = await openWriter(first);
    const b = await openWriter(second);
    await b.commitTransaction();
    // B's row is committed, A's is not yet.
    expect(await newRows()).toEqual([second]);

    // A sync in between: B's row may not be delivered past A's, so more is promised.
    const between = await server.services.changes.page(PARTNER, { after: cursor, first: 100 }, READ);
    expect(between.entries.map((e) => e.postId)).not.toContain(second);
    expect(between.hasMore).toBe(true);

    await a.commitTransaction();
    // A took the lower sequence number: in sequence order its row comes first, though it committed last.
    expect(await newRows()).toEqual([first, second]);

    const after = await syncToEnd(between.cursor);
    expect(after.upserts).toEqual(expect.arrayContaining([first, second]));
  });
});
