import type { DataSource, EntityManager } from 'typeorm';
import type { Viewer } from '../../../src/services/access';
import { WriteLock } from '../../../src/services/posts/write';
import { systemClock, toGlobalId } from '../../../src/services/shared';
import { WebhookOutbox, WebhookWorker } from '../../../src/services/webhooks';
import { newDeliveryId } from '../../../src/services/webhooks/outbox';
import { recordOutcome } from '../../../src/services/webhooks/outcomes';
import { claimDue, disableEndpoint, insertDeliveries, releaseLease } from '../../../src/services/webhooks/statements';
import { describeEachDatabase } from '../../support/databases';
import { eventually } from '../../support/kiji-process';
import { startTestServer, TEST_NOW, TEST_WEBHOOKS, TestServer } from '../../support/server';

/*
 * The outbox on a real database, without HTTP receivers: what the worker writes for an outcome,
 * what a claim takes, what retention deletes, and when the worker takes the write lock. The worker
 * of the test server does not run (no `webhooks` option), so nothing else touches the rows.
 */

const ADMIN: Viewer = { role: 'admin', keyId: null, keyName: 'test' };
const DAY = 24 * 3_600_000;
const DELIVERED = { statusCode: 204, latencyMs: 3, error: null };

describeEachDatabase('webhook outbox', (kind) => {
  let server: TestServer;
  let dataSource: DataSource;

  beforeAll(async () => {
    server = await startTestServer(kind);
    dataSource = server.dataSource;
  });
  afterAll(() => server?.stop());
  afterEach(async () => {
    server.clock.set(TEST_NOW);
    for (const endpoint of await server.services.webhooks.list(ADMIN)) await server.services.webhooks.remove(ADMIN, toGlobalId('WebhookEndpoint', endpoint.id));
  });

  /** A registered endpoint's key (`ep_…`). */
  async function endpoint(name: string): Promise<string> {
    return (await server.services.webhooks.create(ADMIN, `https://example.com/hooks/${name}`, ['post.published'])).endpoint.id;
  }

  /** Queues one delivery per endpoint, of an event at `createdAt`, due now; their ids in that order. */
  async function queue(endpointIds: string[], createdAt = TEST_NOW): Promise<string[]> {
    const rows = endpointIds.map((endpointId) => ({
      id: newDeliveryId(),
      endpointId,
      eventType: 'post.published' as const,
      payload: '{}',
      createdAt,
      nextAttemptAt: new Date(Date.now() - 1000),
    }));
    await dataSource.transaction((m) => insertDeliveries(m, rows));
    return rows.map((r) => r.id);
  }

  const rowsOf = (sql: string, params: unknown[] = []) => dataSource.query(kind === 'postgres' ? sql.replace(/\?/g, () => '$1') : sql, params);
  const stateOf = async (id: string) => ((await rowsOf('SELECT state, attempts FROM webhook_deliveries WHERE id = ?', [id])) as { state: string; attempts: number }[])[0];
  const attemptsOf = async (id: string) => Number(((await rowsOf('SELECT COUNT(*) AS n FROM webhook_attempts WHERE "deliveryId" = ?', [id])) as { n: unknown }[])[0].n);
  const record = (m: EntityManager, delivery: Awaited<ReturnType<typeof claimDue>>[number], owner: string) =>
    recordOutcome(m, { delivery, owner, attemptedAt: new Date(), sent: DELIVERED }, TEST_WEBHOOKS.retryDelaysMs, new Date());

  it('keeps the other outcomes of a batch when an admin removed an endpoint while its delivery was in flight', async () => {
    const gone = await endpoint('gone');
    const kept = await endpoint('kept');
    const [, keptDelivery] = await queue([gone, kept]);
    const claimed = await dataSource.transaction((m) => claimDue(m, 'wk_batch', new Date(), 60_000, 10));
    expect(claimed.map((d) => d.endpointId).sort()).toEqual([gone, kept].sort());
    await server.services.webhooks.remove(ADMIN, toGlobalId('WebhookEndpoint', gone));
    // One batch, the removed endpoint's outcome first: it must not take the other one down with it.
    const batch = [...claimed].sort((a) => (a.endpointId === gone ? -1 : 1));
    await dataSource.transaction(async (m) => {
      for (const delivery of batch) await record(m, delivery, 'wk_batch');
    });
    expect(await stateOf(keptDelivery)).toMatchObject({ state: 'delivered' });
    expect(await attemptsOf(keptDelivery)).toBe(1);
  });

  it("writes nothing for a lease another instance took over: the new holder's outcome counts", async () => {
    const [id] = await queue([await endpoint('taken-over')]);
    const [first] = await dataSource.transaction((m) => claimDue(m, 'wk_first', new Date(), 1, 10));
    await new Promise((resolve) => setTimeout(resolve, 30));
    const [second] = await dataSource.transaction((m) => claimDue(m, 'wk_second', new Date(), 60_000, 10));
    expect(second.id).toBe(id);
    // The first instance's flush comes late, after its lease ran out and was taken.
    await dataSource.transaction((m) =>
      recordOutcome(m, { delivery: first, owner: 'wk_first', attemptedAt: new Date(), sent: { statusCode: 500, latencyMs: 1, error: 'HTTP 500' } }, [30], new Date()),
    );
    expect(await stateOf(id)).toMatchObject({ state: 'pending', attempts: 0 });
    expect(await attemptsOf(id)).toBe(0);
    await dataSource.transaction((m) => record(m, second, 'wk_second'));
    expect(await stateOf(id)).toMatchObject({ state: 'delivered', attempts: 1 });
    expect(await attemptsOf(id)).toBe(1);
  });

  it('claims the oldest due deliveries, at most `perEndpoint` of one endpoint, none of a busy one', async () => {
    const [a, b, c] = [await endpoint('a'), await endpoint('b'), await endpoint('c')];
    for (let i = 0; i < 5; i++) await queue([a, b, c]);
    const claimed = await dataSource.transaction((m) => claimDue(m, 'wk_fair', new Date(), 60_000, 6, { perEndpoint: 2, busy: [c] }));
    const count = (e: string) => claimed.filter((d) => d.endpointId === e).length;
    expect([count(a), count(b), count(c)]).toEqual([2, 2, 0]);
    // Leased rows are not claimed again while their lease lives.
    const again = await dataSource.transaction((m) => claimDue(m, 'wk_again', new Date(), 60_000, 100));
    expect(again.filter((d) => claimed.some((x) => x.id === d.id))).toEqual([]);
    expect(again).toHaveLength(15 - 4);
  });

  (kind === 'postgres' ? it : it.skip)('times leases by the database clock, so an instance whose clock runs ahead takes no live lease', async () => {
    const [id] = await queue([await endpoint('skewed')]);
    const [held] = await dataSource.transaction((m) => claimDue(m, 'wk_holder', new Date(), 60_000, 10));
    expect(held.id).toBe(id);
    const ahead = new Date(Date.now() + 10 * 60_000);
    expect(await dataSource.transaction((m) => claimDue(m, 'wk_ahead', ahead, 60_000, 10))).toEqual([]);
    await dataSource.transaction((m) => releaseLease(m, id, 'wk_holder'));
    expect((await dataSource.transaction((m) => claimDue(m, 'wk_ahead', ahead, 60_000, 10))).map((d) => d.id)).toEqual([id]);
  });

  it('purges delivered, failed and long-held deliveries after the retention period, and keeps what is still owed', async () => {
    const [done, held, owed] = [await endpoint('done'), await endpoint('held'), await endpoint('owed')];
    const old = new Date(TEST_NOW.getTime() - 40 * DAY);
    const [delivered, heldDelivery, owedDelivery] = await queue([done, held, owed], old);
    const [recent] = await queue([done]);
    const claimed = await dataSource.transaction((m) => claimDue(m, 'wk_purge', new Date(), 60_000, 10));
    await dataSource.transaction(async (m) => {
      for (const d of claimed) {
        if (d.endpointId === done) await record(m, d, 'wk_purge');
        else await releaseLease(m, d.id, 'wk_purge');
      }
      await disableEndpoint(m, held, TEST_NOW, 'test');
    });
    expect(await attemptsOf(delivered)).toBe(1);
    expect(await server.services.webhooks.purge(ADMIN, 60)).toBe(0);
    expect(await server.services.webhooks.purge(ADMIN, 30)).toBe(2);
    expect(await stateOf(delivered)).toBeUndefined();
    expect(await attemptsOf(delivered)).toBe(0);
    expect(await stateOf(heldDelivery)).toBeUndefined();
    expect(await stateOf(owedDelivery)).toMatchObject({ state: 'pending' });
    expect(await stateOf(recent)).toMatchObject({ state: 'delivered' });
    // A month later the recent one is past retention too.
    server.clock.set(new Date(TEST_NOW.getTime() + 31 * DAY));
    expect(await server.services.webhooks.purge(ADMIN, 30)).toBe(1);
  });

  it('purges more than one batch', async () => {
    const done = await endpoint('many');
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push(...(await queue(Array<string>(250).fill(done), new Date(TEST_NOW.getTime() - 40 * DAY))));
    await rowsOf(`UPDATE webhook_deliveries SET state = 'delivered'`);
    expect(await server.services.webhooks.purge(ADMIN, 30)).toBe(750);
  });

  it('takes no write lock while idle: no endpoint, or nothing due', async () => {
    let locked = 0;
    const real = new WriteLock(dataSource);
    const counting = Object.assign(Object.create(WriteLock.prototype) as WriteLock, {
      transaction: <T>(work: (m: EntityManager) => Promise<T>) => {
        locked++;
        return real.transaction(work);
      },
    });
    const worker = () => new WebhookWorker(dataSource, counting, server.clock, new WebhookOutbox(systemClock, (s) => s), TEST_WEBHOOKS, systemClock);
    await worker().round();
    expect(locked).toBe(0);
    const [id] = await queue([await endpoint('idle')]);
    await dataSource.transaction((m) => claimDue(m, 'wk_elsewhere', new Date(), 60_000, 10));
    await dataSource.transaction((m) => record(m, { id, endpointId: '', url: '', secret: '', payload: '', attempts: 0 }, 'wk_elsewhere'));
    await worker().round();
    expect(locked).toBe(0);
  });

  it('leaves answers read during its rounds keepable: its writes are not content writes', async () => {
    // On SQLite a content write makes every answer read meanwhile uncacheable (WriteLock.quietFromNow);
    // a worker polling every few seconds must not turn the response cache off.
    const id = await endpoint('refused');
    // A closed port: the attempt fails at once and its outcome is recorded.
    await rowsOf(`UPDATE webhook_endpoints SET url = 'http://127.0.0.1:9/hooks' WHERE id = ?`, [id]);
    const [delivery] = await queue([id]);
    const lock = server.services.writeLock;
    const quiet = lock.quietFromNow();
    const worker = new WebhookWorker(dataSource, lock, server.clock, new WebhookOutbox(systemClock, (s) => s), TEST_WEBHOOKS, systemClock);
    expect(await worker.round()).toBe(1);
    expect(await eventually(async () => (await attemptsOf(delivery)) === 1, 5000)).toBe(true);
    await worker.stop(1000);
    expect(quiet()).toBe(true);
  });

  it('stops within the time it is given (the grace period), even when the database never answers', async () => {
    const [id] = await queue([await endpoint('stuck')], new Date(TEST_NOW.getTime() - 40 * DAY));
    await rowsOf(`UPDATE webhook_deliveries SET state = 'delivered' WHERE id = ?`, [id]);
    let entered!: () => void;
    const inLock = new Promise<void>((resolve) => (entered = resolve));
    // The worker's first round purges what is past retention: its write never gets an answer.
    const stuck = Object.assign(Object.create(WriteLock.prototype) as WriteLock, {
      transaction: () => {
        entered();
        return new Promise<never>(() => undefined);
      },
    });
    const worker = new WebhookWorker(dataSource, stuck, server.clock, new WebhookOutbox(systemClock, (s) => s), TEST_WEBHOOKS, systemClock);
    worker.start();
    await inLock;
    await worker.stop(50);
  });
});
