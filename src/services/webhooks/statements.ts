import type { DataSource, EntityManager } from 'typeorm';
import { dialectOf, readTimestamp } from '../../db/dialect';
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

export async function enableEndpoint(manager: EntityManager, id: string): Promise<void> {
  await manager.getRepository(WebhookEndpoint).update({ id }, { disabledAt: null, disabledReason: null, consecutiveFailures: 0 });
}

/** The endpoints subscribed to `event` (the table is small: admins' receivers). */
export async function subscribersOf(manager: EntityManager, event: WebhookEventName): Promise<string[]> {
  const rows: { id: string; events: string }[] = await manager.query('SELECT id, events FROM webhook_endpoints');
  return rows.filter((r) => (JSON.parse(r.events) as string[]).includes(event)).map((r) => r.id);
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
  const values = rows.flatMap((r) => [r.id, r.endpointId, r.eventType, r.payload, 'pending', 0, d.date(r.createdAt), d.date(r.nextAttemptAt)]);
  await manager.query(
    `INSERT INTO webhook_deliveries (id, "endpointId", "eventType", payload, state, attempts, "createdAt", "nextAttemptAt") VALUES ${d.valueTuples(rows.length, 8)}`,
    values,
  );
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
 * Leases up to `limit` due deliveries of enabled endpoints to `owner` until `leaseUntil`, at most
 * `perEndpoint` of any one endpoint and none of the `busy` ones (so one slow receiver cannot take
 * every slot of the worker). One conditional UPDATE: the lease is taken only where no live lease
 * is, and PostgreSQL re-checks that condition on a row another instance has just leased (after
 * waiting for that instance's commit), so of several instances exactly one gets each row. Then
 * reads what it got, by its owner token.
 */
export async function claimDue(
  manager: EntityManager,
  owner: string,
  now: Date,
  leaseUntil: Date,
  limit: number,
  { perEndpoint = limit, busy = [] }: { perEndpoint?: number; busy?: readonly string[] } = {},
): Promise<ClaimedDelivery[]> {
  const d = dialectOf(manager);
  const at = d.date(now);
  // "now" is four parameters ($3 to $6), as `?` parameters are positional on SQLite.
  const free = (alias: string, n: number) =>
    `${alias}state = 'pending' AND ${alias}"nextAttemptAt" <= ${d.param(n)} AND (${alias}"leaseUntil" IS NULL OR ${alias}"leaseUntil" < ${d.param(n + 1)})`;
  const params = [owner, d.date(leaseUntil), at, at, at, at];
  const notBusy = busy.length ? ` AND w."endpointId" NOT IN (${d.inList(busy.length, params.length)})` : '';
  await manager.query(
    `UPDATE webhook_deliveries SET "leaseOwner" = ${d.param(1)}, "leaseUntil" = ${d.param(2)}
      WHERE ${free('', 3)} AND id IN (
        SELECT id FROM (
          SELECT w.id, w."nextAttemptAt", ROW_NUMBER() OVER (PARTITION BY w."endpointId" ORDER BY w."nextAttemptAt", w.id) AS nth
            FROM webhook_deliveries w JOIN webhook_endpoints e ON e.id = w."endpointId"
           WHERE ${free('w.', 5)} AND e."disabledAt" IS NULL${notBusy}
        ) due WHERE nth <= ${Number(perEndpoint)} ORDER BY "nextAttemptAt", id LIMIT ${Number(limit)})`,
    [...params, ...busy],
  );
  const rows: ClaimedDelivery[] = await manager.query(
    `SELECT w.id, w."endpointId", e.url, e.secret, w.payload, w.attempts FROM webhook_deliveries w JOIN webhook_endpoints e ON e.id = w."endpointId"
      WHERE w."leaseOwner" = ${d.param(1)} AND w.state = 'pending'`,
    [owner],
  );
  return rows.map((r) => ({ ...r, attempts: Number(r.attempts) }));
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
  const changed = await updateCounting(
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
  return updateCounting(
    manager,
    `UPDATE webhook_deliveries SET state = 'pending', attempts = 0, "nextAttemptAt" = ${d.param(1)}, "leaseOwner" = NULL, "leaseUntil" = NULL
      WHERE "endpointId" = ${d.param(2)} AND state = 'failed'${since ? ` AND "createdAt" >= ${d.param(3)}` : ''}`,
    params,
  );
}

/** An endpoint's latest deliveries, newest first, each with its attempts (two statements, whatever `first`). */
export async function recentDeliveries(dataSource: DataSource, endpointId: string, first: number): Promise<{ delivery: WebhookDelivery; attempts: WebhookAttempt[] }[]> {
  const deliveries = await dataSource.getRepository(WebhookDelivery).find({ where: { endpointId }, order: { createdAt: 'DESC', id: 'DESC' }, take: first });
  if (deliveries.length === 0) return [];
  const attempts = await dataSource
    .getRepository(WebhookAttempt)
    .createQueryBuilder('a')
    .where('a.deliveryId IN (:...ids)', { ids: deliveries.map((x) => x.id) })
    .orderBy('a.id', 'ASC')
    .getMany();
  return deliveries.map((delivery) => ({ delivery, attempts: attempts.filter((a) => a.deliveryId === delivery.id) }));
}

// The scheduled-publication sweeper

export async function scheduledMark(manager: EntityManager): Promise<Date | null> {
  const rows: { mark: unknown }[] = await manager.query('SELECT "scheduledMark" AS mark FROM webhook_state WHERE id = 1');
  return readTimestamp(rows[0]?.mark);
}

export async function setScheduledMark(manager: EntityManager, mark: Date): Promise<void> {
  const d = dialectOf(manager);
  await manager.query(`UPDATE webhook_state SET "scheduledMark" = ${d.param(1)} WHERE id = 1`, [d.date(mark)]);
}

/**
 * Posts that went live in (`after`, `until`] without a write: published, not deleted, and dated
 * later than their last write (a post written after its date was announced by that write).
 */
export async function postIdsGoneLive(manager: EntityManager, after: Date, until: Date): Promise<number[]> {
  const d = dialectOf(manager);
  const rows: { id: number }[] = await manager.query(
    `SELECT id FROM posts WHERE status = 'published' AND "deletedAt" IS NULL AND "publishedAt" > ${d.param(1)} AND "publishedAt" <= ${d.param(2)}
        AND "publishedAt" > "updatedAt" ORDER BY "publishedAt", id`,
    [d.date(after), d.date(until)],
  );
  return rows.map((r) => Number(r.id));
}

/** Runs an UPDATE and returns how many rows it changed (TypeORM's structured result says so on both drivers). */
async function updateCounting(manager: EntityManager, sql: string, params: unknown[]): Promise<number> {
  const runner = manager.queryRunner ?? manager.connection.createQueryRunner();
  try {
    return (await runner.query(sql, params, true)).affected ?? 0;
  } finally {
    if (!manager.queryRunner) await runner.release();
  }
}
