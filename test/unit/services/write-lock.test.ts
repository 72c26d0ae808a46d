import { bumpContentGeneration, contentGeneration } from '../../../src/services/cache';
import { describeEachDatabase } from '../../support/databases';
import { startTestServer, TestServer } from '../../support/server';

/*
 * WriteLock's account of content writes, on a real database: whether what was read since a
 * moment can be kept (quietFromNow: SQLite's one connection shows a reader the open write), and
 * what runs as a content write commits. Caches rely on both (response-cache.ts, content-state.ts).
 */

describeEachDatabase('write lock', (kind) => {
  let server: TestServer;
  const oneConnection = kind === 'sqlite';

  beforeAll(async () => {
    server = await startTestServer(kind);
  });
  afterAll(() => server?.stop());

  /** A content write that stays open until `release`; `open` once it is inside its transaction. */
  function openContentWrite(): { open: Promise<void>; release: () => void; done: Promise<void> } {
    let opened!: () => void;
    let release!: () => void;
    const open = new Promise<void>((resolve) => (opened = resolve));
    const released = new Promise<void>((resolve) => (release = resolve));
    const done = server.services.writeLock.transaction(async (manager) => {
      await bumpContentGeneration(manager);
      opened();
      await released;
    });
    return { open, release, done };
  }

  it('tells a check taken before a content write that reads since may have seen it (SQLite), and one taken after it that they did not', async () => {
    const lock = server.services.writeLock;
    const before = lock.quietFromNow();
    expect(before()).toBe(true);
    const write = openContentWrite();
    await write.open;
    const during = lock.quietFromNow();
    expect([before(), during()]).toEqual([!oneConnection, !oneConnection]);
    write.release();
    await write.done;
    // Once such a write began, a check taken before it stays false: reads made meanwhile saw it.
    expect([before(), during()]).toEqual([!oneConnection, !oneConnection]);
    expect(lock.quietFromNow()()).toBe(true);
  });

  it('keeps reads keepable across writes that are not content (webhooks, keys, previews, the change log)', async () => {
    const lock = server.services.writeLock;
    const quiet = lock.quietFromNow();
    await lock.transaction(
      async (manager) => {
        await manager.query('SELECT 1');
        expect(lock.quietFromNow()()).toBe(true);
      },
      { content: false },
    );
    await lock.rowTransaction((manager) => manager.query('SELECT 1'), { content: false });
    expect(quiet()).toBe(true);
  });

  it('runs what waits for a commit after the commit and before the writer learns of it, and not for a rollback', async () => {
    const lock = server.services.writeLock;
    const generation = () => contentGeneration(server.dataSource.manager);
    const seen: { generation: number; quiet: boolean }[] = [];
    lock.afterContentCommit(async () => {
      seen.push({ generation: await generation(), quiet: lock.quietFromNow()() });
    });
    const start = await generation();
    await lock.transaction((manager) => bumpContentGeneration(manager));
    expect(seen).toEqual([{ generation: start + 1, quiet: true }]);
    await expect(
      lock.transaction(async (manager) => {
        await bumpContentGeneration(manager);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    await lock.transaction(async () => undefined, { content: false });
    expect(seen).toHaveLength(1);
    expect(await generation()).toBe(start + 1);
  });
});
