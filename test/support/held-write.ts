import type { TestServer } from './server';

/**
 * Makes the server's next post write stop inside its transaction, once its change-log row is
 * written (after its index rows and the content generation), until `release`; then the write
 * fails and its transaction rolls back. What a reader does meanwhile is what the test looks at.
 */
export function holdNextWrite(server: TestServer): { inside: Promise<void>; release: () => void; restore: () => void } {
  const syncLog = server.services.syncLog;
  const record = syncLog.record.bind(syncLog);
  let reached!: () => void;
  let release!: () => void;
  const inside = new Promise<void>((resolve) => (reached = resolve));
  const released = new Promise<void>((resolve) => (release = resolve));
  const spy = jest.spyOn(syncLog, 'record').mockImplementationOnce(async (manager, change) => {
    await record(manager, change);
    reached();
    await released;
    throw new Error('the held write fails: its transaction rolls back');
  });
  return { inside, release, restore: () => spy.mockRestore() };
}
