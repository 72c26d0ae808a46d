import type { EntityManager } from 'typeorm';
import type { SendResult } from './sender';
import { ClaimedDelivery, disableEndpoint, endpointFailed, endpointSucceeded, insertAttempt, settleDelivery } from './statements';

/** What one attempt came to, waiting to be written. */
export interface Outcome {
  delivery: ClaimedDelivery;
  /** The lease it was sent under. */
  owner: string;
  attemptedAt: Date;
  sent: SendResult;
}

/**
 * Writes one attempt's outcome in the worker's batch transaction `m`: the delivery settled
 * (delivered, failed, or due again after `retryDelaysMs[attempts - 1]`, ±20% so that the retries
 * of many deliveries spread out), the attempt recorded, the endpoint's failures counted, and the
 * endpoint disabled when nothing sent to it succeeded in all that time.
 *
 * Settled first, and only while `owner` still holds the lease: a delivery removed meanwhile (its
 * endpoint deleted by an admin) or leased by another instance (the lease ran out while this
 * outcome waited for its write) settles nothing, and then nothing else is written. Inserting the
 * attempt first would break the foreign key to a removed delivery and roll back the whole batch,
 * other endpoints' outcomes included (their leases would run out and they would be sent again).
 */
export async function recordOutcome(m: EntityManager, { delivery, owner, attemptedAt, sent }: Outcome, retryDelaysMs: readonly number[], now: Date): Promise<void> {
  const attempts = delivery.attempts + 1;
  const ok = sent.error === null;
  const exhausted = !ok && attempts > retryDelaysMs.length;
  const settled = await settleDelivery(m, delivery.id, owner, {
    state: ok ? 'delivered' : exhausted ? 'failed' : 'pending',
    attempts,
    nextAttemptAt: ok || exhausted ? now : new Date(now.getTime() + jittered(retryDelaysMs[attempts - 1])),
    deliveredAt: ok ? now : null,
  });
  if (!settled) return;
  await insertAttempt(m, { deliveryId: delivery.id, attemptedAt, statusCode: sent.statusCode, latencyMs: sent.latencyMs, error: sent.error });
  if (ok) return endpointSucceeded(m, delivery.endpointId);
  const failures = await endpointFailed(m, delivery.endpointId);
  if (exhausted && failures >= attempts) {
    await disableEndpoint(m, delivery.endpointId, now, `Disabled after ${failures} failed attempts in a row (the last: ${sent.error})`);
  }
}

/** `ms` ±20%. */
function jittered(ms: number): number {
  return Math.round(ms * (0.8 + Math.random() * 0.4));
}
