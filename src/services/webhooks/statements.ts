import { DataSource, EntityManager, In } from 'typeorm';
import { affectedRows } from '../../db/affected-rows';
import { chunks, dialectOf, readTimestamp } from '../../db/dialect';
import { WebhookAttempt, WebhookDelivery, WebhookEndpoint } from '../../entities';
import type { WebhookEventName } from './events';

/*
 * Every statement on the webhook tables. Writes of the outbox and the sweeper run inside the
 * caller's write transaction (`manager`); the worker's run in short transactions of their own.
 * Timestamps go in through `dialect.date` and come out of raw reads through `readTimestamp`.
 */

// Endpoints

export async function insertEndpoint(manager: EntityManager, endpoint: WebhookEndpoint): Promise<void> {
  await manager.getRepository(WebhookEndpoint).insert(endpoint);
}

export function allEndpoints(dataSource: DataSource): Promise<WebhookEndpoint[]> {
  return dataSource.getRepository(WebhookEndpoint).find({ order: { createdAt: 'ASC', id: 'ASC' } });
}

export function endpointById(dataSource: DataSource, id: string): Promise<WebhookEndpoint | null> {
  return dataSource.getRepository(WebhookEndpoint).findOneBy({ id });
}

/** Deletes an endpoint with its deliveries and their attempts (cascade); false when there was none. */
export async function deleteEndpoint(manager: EntityManager, id: string): Promise<boolean> {
  const result = await manager.getRepository(WebhookEndpoint).delete({ id });
  return (result.affected ?? 0) > 0;
}

/** Whether any endpoint is registered (the worker does nothing while none is). */
export async function hasEndpoints(source: DataSource | EntityManager): Promise<boolean> {
  const rows: unknown[] = await source.query('SELECT 1 AS one FROM webhook_endpoints LIMIT 1');
  return rows.length > 0;
}

/** Endpoints by key, in no order (`node(id:)` batches them). */
export async function endpointsByIds(dataSource: DataSource, ids: readonly string[]): Promise<WebhookEndpoint[]> {
  if (ids.length === 0) return [];
  return dataSource.getRepository(WebhookEndpoint).findBy({ id: In([...ids]) });
}

export async function enableEndpoint(manager: EntityManager, id: string): Promise<void> {
  await manager.getRepository(WebhookEndpoint).update({ id }, { disabledAt: null, disabledReason: null, consecutiveFailures: 0 });
}

/** Every endpoint with the events it subscribes to (the table is small: admins' receivers). */
export async function endpointEvents(manager: EntityManager): Promise<{ id: string; events: string[] }[]> {
  const rows: { id: string; events: string }[] = await manager.query('SELECT id, events FROM webhook_endpoints');
  return rows.map((row) => ({ id: row.id, events: JSON.parse(row.events) as string[] }));
}

/** A success: the endpoint is answering again. */
export async function endpointSucceeded(manager: EntityManager, id: string): Promise<void> {
  await manager.query(`UPDATE webhook_endpoints SET "consecutiveFailures" = 0 WHERE id = ${dialectOf(manager).param(1)}`, [id]);
}

/** A failed attempt; returns the endpoint's failures in a row, this one included. */
export async function endpointFailed(manager: EntityManager, id: string): Promise<number> {
  const p = (n: number) => dialectOf(manager).param(n);
  await manager.query(`UPDATE webhook_endpoints SET "consecutiveFailures" = "consecutiveFailures" + 1 WHERE id = ${p(1)}`, [id]);
  const rows: { failures: number | string }[] = await manager.query(`SELECT "consecutiveFailures" AS failures FROM webhook_endpoints WHERE id = ${p(1)}`, [id]);
  return Number(rows[0]?.failures ?? 0);
}

export async function disableEndpoint(manager: EntityManager, id: string, at: Date, reason: string): Promise<void> {
  const d = dialectOf(manager);
  await manager.query(`UPDATE webhook_endpoints SET "disabledAt" = ${d.param(1)}, "disabledReason" = ${d.param(2)} WHERE id = ${d.param(3)} AND "disabledAt" IS NULL`, [
    d.date(at),
    reason.slice(0, 500),
    id,
  ]);
}

// The outbox

export interface NewDelivery {
  id: string;
  endpointId: string;
  eventType: WebhookEventName;
  payload: string;
  createdAt: Date;
  nextAttemptAt: Date;
}

export async function insertDeliveries(manager: EntityManager, rows: readonly NewDelivery[]): Promise<void> {
  if (rows.length === 0) return;
  const d = dialectOf(manager);
  // An import batch's events times every subscribed endpoint: 500 rows a statement keeps within
  // SQLite's 32,766 and PostgreSQL's 65,535 parameters however many endpoints a site has.
  for (const chunk of chunks(rows)) {
    const values = chunk.flatMap((r) => [r.id, r.endpointId, r.eventType, r.payload, 'pending', 0, d.date(r.createdAt), d.date(r.nextAttemptAt)]);
    await manager.query(
      `INSERT INTO webhook_deliveries (id, "endpointId", "eventType", payload, state, attempts, "createdAt", "nextAttemptAt") VALUES ${d.valueTuples(chunk.length, 8)}`,
      values,
    );
  }
}

/** A leased delivery, with what sending it needs. */
export interface ClaimedDelivery {
  id: string;
  endpointId: string;
  url: string;
  secret: string;
  payload: string;
  attempts: number;
}

/**
 * The database's "now" for leases, on PostgreSQL (instances' wall clocks may disagree, the
 * database's is one clock for all of them); on SQLite every instance shares the machine, and so
 * the clock, of the database file: `fallback`, the caller's wall clock.
 */
function leaseClock(manager: EntityManager, fallback: string): string {
  return dialectOf(manager).kind === 'postgres' ? "(clock_timestamp() AT TIME ZONE 'UTC')" : fallback;
}

/**
 * Pending deliveries (`w`) of enabled endpoints (`e`) due by parameter `n`, leased or not: what
 * claimDue scans (it skips live leases too) and anyDue looks for.
 */
function pendingDue(manager: DataSource | EntityManager, n: number): string {
  return `FROM webhook_deliveries w JOIN webhook_endpoints e ON e.id = w."endpointId"
      WHERE w.state = 'pending' AND w."nextAttemptAt" <= ${dialectOf(manager).param(n)} AND e."disabledAt" IS NULL`;
}

/** How many due rows a claim looks at per slot to fill: room for rows skipped for `perEndpoint`. */
const SCAN_PER_SLOT = 4;

/**
 * Leases up to `limit` due deliveries of enabled endpoints to `owner` for `leaseMs`, at most
 * `perEndpoint` of any one endpoint and none of the `busy` ones (so one slow receiver cannot take
 * every slot of the worker). Bounded whatever the backlog: the oldest due rows are read in index
 * order with a LIMIT (no window over every due row), skipping, on PostgreSQL, rows another
 * instance is leasing right now (SKIP LOCKED); the UPDATE re-checks that no live lease is there,
 * so of several instances exactly one gets each row. Lease times are the database's clock on
 * PostgreSQL (leaseClock). Then reads what it got, by primary key.
 */
export async function claimDue(
  manager: EntityManager,
  owner: string,
  now: Date,
  leaseMs: number,
  limit: number,
  { perEndpoint = limit, busy = [] }: { perEndpoint?: number; busy?: readonly string[] } = {},
): Promise<ClaimedDelivery[]> {
  const d = dialectOf(manager);
  const pg = d.kind === 'postgres';
  // On PostgreSQL "now" for leases is the database's (no parameter); on SQLite the parameter after the others.
  const scanParams: unknown[] = pg ? [d.date(now)] : [d.date(now), d.date(now)];
  const notBusy = busy.length ? ` AND w."endpointId" NOT IN (${d.inList(busy.length, scanParams.length)})` : '';
  const due: { id: string; endpointId: string }[] = await manager.query(
    `SELECT w.id, w."endpointId" ${pendingDue(manager, 1)} AND (w."leaseUntil" IS NULL OR w."leaseUntil" < ${leaseClock(manager, d.param(2))})${notBusy}
      ORDER BY w."nextAttemptAt", w.id LIMIT ${Number(limit) * SCAN_PER_SLOT}${pg ? ' FOR UPDATE OF w SKIP LOCKED' : ''}`,
    [...scanParams, ...busy],
  );
  const picked = pickFair(due, limit, perEndpoint);
  if (picked.length === 0) return [];
  const leaseNow = leaseClock(manager, d.param(3));
  const leaseUntil = pg ? `${leaseNow} + ${d.param(2)} * interval '1 millisecond'` : d.param(2);
  const leaseParams: unknown[] = pg ? [owner, Math.round(leaseMs)] : [owner, d.date(new Date(now.getTime() + leaseMs)), d.date(now)];
  await manager.query(
    `UPDATE webhook_deliveries SET "leaseOwner" = ${d.param(1)}, "leaseUntil" = ${leaseUntil}
      WHERE state = 'pending' AND ("leaseUntil" IS NULL OR "leaseUntil" < ${leaseNow}) AND id IN (${d.inList(picked.length, leaseParams.length)})`,
    [...leaseParams, ...picked],
  );
  const rows: ClaimedDelivery[] = await manager.query(
    `SELECT w.id, w."endpointId", e.url, e.secret, w.payload, w.attempts FROM webhook_deliveries w JOIN webhook_endpoints e ON e.id = w."endpointId"
      WHERE w."leaseOwner" = ${d.param(1)} AND w.id IN (${d.inList(picked.length, 1)}) AND w.state = 'pending'`,
    [owner, ...picked],
  );
  return rows.map((r) => ({ ...r, attempts: Number(r.attempts) }));
}

/** The oldest first, at most `perEndpoint` of one endpoint, `limit` in all. */
function pickFair(due: readonly { id: string; endpointId: string }[], limit: number, perEndpoint: number): string[] {
  const taken = new Map<string, number>();
  const picked: string[] = [];
  for (const row of due) {
    const n = taken.get(row.endpointId) ?? 0;
    if (n >= perEndpoint) continue;
    taken.set(row.endpointId, n + 1);
    picked.push(row.id);
    if (picked.length >= limit) break;
  }
  return picked;
}

/** What became of one attempt, written only while `owner` still holds the lease. */
export interface DeliveryOutcome {
  state: 'pending' | 'delivered' | 'failed';
  attempts: number;
  nextAttemptAt: Date;
  deliveredAt: Date | null;
}

export async function settleDelivery(manager: EntityManager, id: string, owner: string, outcome: DeliveryOutcome): Promise<boolean> {
  const d = dialectOf(manager);
  const changed = await affectedRows(
    manager,
    `UPDATE webhook_deliveries SET state = ${d.param(1)}, attempts = ${d.param(2)}, "nextAttemptAt" = ${d.param(3)}, "deliveredAt" = ${d.param(4)},
        "leaseOwner" = NULL, "leaseUntil" = NULL
      WHERE id = ${d.param(5)} AND "leaseOwner" = ${d.param(6)}`,
    [outcome.state, outcome.attempts, d.date(outcome.nextAttemptAt), outcome.deliveredAt ? d.date(outcome.deliveredAt) : null, id, owner],
  );
  return changed > 0;
}

/** Gives a lease back unused (the worker is stopping): the row is due again at once, for any instance. */
export async function releaseLease(manager: EntityManager, id: string, owner: string): Promise<void> {
  const d = dialectOf(manager);
  await manager.query(`UPDATE webhook_deliveries SET "leaseOwner" = NULL, "leaseUntil" = NULL WHERE id = ${d.param(1)} AND "leaseOwner" = ${d.param(2)}`, [id, owner]);
}

export async function insertAttempt(manager: EntityManager, attempt: Omit<WebhookAttempt, 'id' | 'delivery'>): Promise<void> {
  await manager.getRepository(WebhookAttempt).insert(attempt);
}

/** Puts an endpoint's failed deliveries (those of events since `since`, if given) back in the queue, with fresh attempts. */
export async function requeueFailed(manager: EntityManager, endpointId: string, since: Date | null, now: Date): Promise<number> {
  const d = dialectOf(manager);
  const params: unknown[] = [d.date(now), endpointId];
  if (since) params.push(d.date(since));
  return affectedRows(
    manager,
    `UPDATE webhook_deliveries SET state = 'pending', attempts = 0, "nextAttemptAt" = ${d.param(1)}, "leaseOwner" = NULL, "leaseUntil" = NULL
      WHERE "endpointId" = ${d.param(2)} AND state = 'failed'${since ? ` AND "createdAt" >= ${d.param(3)}` : ''}`,
    params,
  );
}

/** An endpoint's latest deliveries, newest first, each with its attempts (two statements, whatever `first`). */
export async function recentDeliveries(dataSource: DataSource, endpointId: string, first: number): Promise<{ delivery: WebhookDelivery; attempts: WebhookAttempt[] }[]> {
  const deliveries = await dataSource.getRepository(WebhookDelivery).find({ where: { endpointId }, order: { createdAt: 'DESC', id: 'DESC' }, take: first });
  return withAttempts(dataSource, deliveries);
}

async function withAttempts(dataSource: DataSource, deliveries: WebhookDelivery[]): Promise<{ delivery: WebhookDelivery; attempts: WebhookAttempt[] }[]> {
  if (deliveries.length === 0) return [];
  const attempts = await dataSource
    .getRepository(WebhookAttempt)
    .createQueryBuilder('a')
    .where('a.deliveryId IN (:...ids)', { ids: deliveries.map((x) => x.id) })
    .orderBy('a.id', 'ASC')
    .getMany();
  return deliveries.map((delivery) => ({ delivery, attempts: attempts.filter((a) => a.deliveryId === delivery.id) }));
}

/** Deliveries by key, each with its attempts, in no order (two statements, whatever the number of keys). */
export async function deliveriesByIds(dataSource: DataSource, ids: readonly string[]): Promise<{ delivery: WebhookDelivery; attempts: WebhookAttempt[] }[]> {
  if (ids.length === 0) return [];
  return withAttempts(dataSource, await dataSource.getRepository(WebhookDelivery).findBy({ id: In([...ids]) }));
}

/** Whether a claim could find anything: read before taking the write lock, so an idle worker never takes it. */
export async function anyDue(dataSource: DataSource, now: Date): Promise<boolean> {
  const d = dialectOf(dataSource);
  const rows: unknown[] = await dataSource.query(`SELECT 1 AS one ${pendingDue(dataSource, 1)} LIMIT 1`, [d.date(now)]);
  return rows.length > 0;
}

/** Done (delivered, failed) or held for a disabled endpoint, of an event before parameter `n`: what retention deletes. */
function purgeable(manager: DataSource | EntityManager, n: number): string {
  return `w."createdAt" < ${dialectOf(manager).param(n)} AND (w.state IN ('delivered', 'failed')
    OR (w.state = 'pending' AND EXISTS (SELECT 1 FROM webhook_endpoints e WHERE e.id = w."endpointId" AND e."disabledAt" IS NOT NULL)))`;
}

/** Up to `limit` deliveries retention would delete (a read: the worker makes it before taking the write lock). */
export async function purgeableDeliveryIds(source: DataSource | EntityManager, before: Date, limit: number): Promise<string[]> {
  const rows: { id: string }[] = await source.query(`SELECT w.id FROM webhook_deliveries w WHERE ${purgeable(source, 1)} LIMIT ${Number(limit)}`, [
    dialectOf(source).date(before),
  ]);
  return rows.map((r) => r.id);
}

/**
 * Deletes those of `ids` that retention still would (an endpoint enabled since they were read
 * makes its held deliveries owed again), with their attempts; how many deliveries. Attempts are
 * deleted explicitly, not left to the cascade, so this does not depend on SQLite's foreign-key switch.
 */
export async function deletePurgeable(manager: EntityManager, ids: readonly string[], before: Date): Promise<number> {
  if (ids.length === 0) return 0;
  const d = dialectOf(manager);
  const params = [d.date(before), ...ids];
  const which = `SELECT w.id FROM webhook_deliveries w WHERE ${purgeable(manager, 1)} AND w.id IN (${d.inList(ids.length, 1)})`;
  await manager.query(`DELETE FROM webhook_attempts WHERE "deliveryId" IN (${which})`, params);
  return affectedRows(manager, `DELETE FROM webhook_deliveries WHERE id IN (${which})`, params);
}

// The scheduled-publication sweeper

export async function scheduledMark(manager: DataSource | EntityManager): Promise<Date | null> {
  const rows: { mark: unknown }[] = await manager.query('SELECT "scheduledMark" AS mark FROM webhook_state WHERE id = 1');
  return readTimestamp(rows[0]?.mark);
}

export async function setScheduledMark(manager: EntityManager, mark: Date): Promise<void> {
  const d = dialectOf(manager);
  await manager.query(`UPDATE webhook_state SET "scheduledMark" = ${d.param(1)} WHERE id = 1`, [d.date(mark)]);
}

/**
 * Posts that went live in (`after`, `until`] (parameters `n` and `n + 1`) without a write:
 * published, not deleted, and dated later than their last write (a post written after its date
 * was announced by that write).
 */
function goneLive(manager: DataSource | EntityManager, n: number): string {
  const d = dialectOf(manager);
  return `status = 'published' AND "deletedAt" IS NULL AND "publishedAt" > ${d.param(n)} AND "publishedAt" <= ${d.param(n + 1)}
        AND "publishedAt" > "updatedAt"`;
}

/** The posts gone live in (`after`, `until`] (goneLive), in the order they went live. */
export async function postIdsGoneLive(manager: EntityManager, after: Date, until: Date): Promise<number[]> {
  const d = dialectOf(manager);
  const rows: { id: number }[] = await manager.query(`SELECT id FROM posts WHERE ${goneLive(manager, 1)} ORDER BY "publishedAt", id`, [d.date(after), d.date(until)]);
  return rows.map((r) => Number(r.id));
}

/** Whether a sweep could find a post gone live in (`after`, `until`]: read before taking the write lock. */
export async function anyGoneLive(dataSource: DataSource, after: Date, until: Date): Promise<boolean> {
  const d = dialectOf(dataSource);
  const rows: unknown[] = await dataSource.query(`SELECT 1 AS one FROM posts WHERE ${goneLive(dataSource, 1)} LIMIT 1`, [d.date(after), d.date(until)]);
  return rows.length > 0;
}
