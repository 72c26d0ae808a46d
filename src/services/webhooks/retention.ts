import type { DataSource } from 'typeorm';
import type { WriteLock } from '../posts/write';
import { deletePurgeable, purgeableDeliveryIds } from './statements';

/*
 * Retention: without it the outbox only grows (every event, for every endpoint, with every
 * attempt), and so does every scan of it. Deliveries that are done (delivered, failed) or held for
 * a disabled endpoint are deleted once their event is older than KIJI_WEBHOOK_RETENTION_DAYS, by
 * the worker at most every PURGE_EVERY_MS and by `kiji webhooks purge`. Pending deliveries of
 * enabled endpoints are never purged: they are still owed.
 */

const DAY_MS = 24 * 3_600_000;
/** Rows deleted per transaction: each batch is a short write, so writers are never held up for long. */
export const PURGE_BATCH = 500;
/** How often a worker purges (a purge finding nothing costs one indexed read per batch). */
export const PURGE_EVERY_MS = 5 * 60_000;

/** Events before this instant are past retention. */
export function retentionCutoff(now: Date, retentionDays: number): Date {
  return new Date(now.getTime() - retentionDays * DAY_MS);
}

/**
 * Purges in batches until one comes back short; how many deliveries were deleted. Each batch is
 * found by a read first, so a purge with nothing to do takes no write lock.
 */
export async function purgeOlderThan(dataSource: DataSource, lock: WriteLock, before: Date): Promise<number> {
  let total = 0;
  for (;;) {
    const ids = await purgeableDeliveryIds(dataSource, before, PURGE_BATCH);
    if (ids.length > 0) total += await lock.transaction((manager) => deletePurgeable(manager, ids, before), { content: false });
    if (ids.length < PURGE_BATCH) return total;
  }
}
