import { SAMPLE_CONTENT_DIR } from '../../../src/paths';
import { ANONYMOUS, type Viewer } from '../../../src/services/access';
import type { ChangePage } from '../../../src/services/sync';
import { describeEachDatabase } from '../../support/databases';
import { holdNextWrite } from '../../support/held-write';
import { startTestServer, TestServer } from '../../support/server';

/*
 * A partner's page never sees a change that is not committed. On SQLite every read of this process
 * shares the one connection with the open write transaction; a page read inside it took the
 * uncommitted log row at seq N, the write rolled back, the next write was given seq N again
 * (AUTOINCREMENT's counter rolls back with it), and the partner, already past N, never got it.
 * A write is held open right after its log row is written, a partner asks for a page meanwhile,
 * the write fails, and another write commits: the partner must end with exactly what is public.
 */

const EDITOR: Viewer = { role: 'editor', keyId: null, keyName: 'uncommitted test' };
const PARTNER: Viewer = { role: 'partner', keyId: null, keyName: 'partner' };
const READ = { include: {} };

describeEachDatabase('delta sync, uncommitted writes', (kind) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(kind);
    expect((await server.importPaths([SAMPLE_CONTENT_DIR])).failed).toEqual([]);
  });
  afterAll(() => server?.stop());

  async function syncToEnd(held: Map<number, number>, after: string | null): Promise<string> {
    let cursor = after;
    for (let pages = 0; pages < 1000; pages++) {
      const page = await server.services.changes.page(PARTNER, { after: cursor, first: 100 }, READ);
      apply(held, page);
      cursor = page.cursor;
      if (!page.hasMore) return cursor;
      if (page.entries.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error('the feed never said hasMore: false');
  }

  function apply(held: Map<number, number>, page: ChangePage): void {
    for (const entry of page.entries) {
      if (entry.kind === 'UPSERT') held.set(entry.postId, entry.version);
      else held.delete(entry.postId);
    }
  }

  async function publicVersions(): Promise<Map<number, number>> {
    const page = await server.services.posts.page(ANONYMOUS, {}, 'OLDEST', { first: 100 }, READ);
    return new Map(page.rows.map((post) => [post.id, post.version]));
  }

  it('does not deliver a write that rolls back, and delivers the next one that commits', async () => {
    const held = new Map<number, number>();
    const cursor = await syncToEnd(held, null);
    const [[rolledBack, rolledBackVersion], [committed, committedVersion]] = [...held];

    // The next write stops inside its transaction, its log row written, until `release`; then it fails.
    const write = holdNextWrite(server);
    try {
      const failing = server.services.writer.update(EDITOR, rolledBack, rolledBackVersion, { title: 'Never committed' }).then(
        () => 'committed',
        () => 'rolled back',
      );
      await write.inside;
      const during = server.services.changes.page(PARTNER, { after: cursor, first: 100 }, READ);
      // A moment for a page that does not wait for the write to read what it should not (not an assertion on time).
      await new Promise((resolve) => setTimeout(resolve, 100));
      write.release();
      expect(await failing).toBe('rolled back');
      const page = await during;
      apply(held, page);
      expect(page.entries.map((e) => e.postId)).not.toContain(rolledBack);

      await server.services.writer.update(EDITOR, committed, committedVersion, { title: 'Committed after the rollback' });
      await syncToEnd(held, page.cursor);
      expect(held.get(committed)).toBe(committedVersion + 1);
      expect(held.get(rolledBack)).toBe(rolledBackVersion);
      expect([...held].sort((a, b) => a[0] - b[0])).toEqual([...(await publicVersions())].sort((a, b) => a[0] - b[0]));
    } finally {
      write.restore();
    }
  });
});
