import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import type { DataSource, EntityManager } from 'typeorm';
import type { WebhookSettings } from '../../config';
import { dialectOf } from '../../db/dialect';
import type { Logger } from '../../log';
import type { WriteLock } from '../posts/write';
import type { Clock } from '../shared';
import type { WebhookOutbox } from './outbox';
import { sendSigned, SendResult } from './sender';
import { ClaimedDelivery, claimDue, disableEndpoint, endpointFailed, endpointSucceeded, insertAttempt, releaseLease, settleDelivery } from './statements';
import { sweepScheduled } from './sweeper';

/** Requests in flight at once, in all; and for one endpoint, so that a slow receiver cannot take every slot. */
const MAX_IN_FLIGHT = 32;
const MAX_PER_ENDPOINT = 16;
/** After a write queued deliveries, the worker looks this soon (the write's transaction commits meanwhile). */
const WAKE_MS = 10;

/** What one attempt came to, waiting to be written. */
interface Outcome {
  delivery: ClaimedDelivery;
  owner: string;
  attemptedAt: Date;
  sent: SendResult;
}

/**
 * The delivery worker. Each round sweeps scheduled posts gone live (sweeper.ts), then leases due
 * deliveries into free slots and sends them (signed, concurrently, at most MAX_IN_FLIGHT, and
 * MAX_PER_ENDPOINT per endpoint); a round starts at every poll, when a write queues deliveries,
 * and when a request finishes. Outcomes are written together, in one short transaction per batch
 * of finished requests (on SQLite every transaction waits for its turn with the writes).
 *
 * At-least-once: a delivery is settled only after its attempt, so a crash between the two sends it
 * again (receivers deduplicate by `webhook-id`). A failure is retried after `retryDelaysMs`, each
 * ±20% so that the retries of many deliveries spread out; after the last, the delivery is `failed`,
 * and its endpoint is disabled when nothing sent to it succeeded in all that time (one payload a
 * receiver rejects does not disable it). A disabled endpoint's deliveries wait (held) until it is
 * enabled again.
 *
 * Its writes take the write lock on SQLite (one connection: a statement outside the lock would run
 * inside whichever write transaction is open); on PostgreSQL, leases are row-level and need no
 * global turn. The sweep takes the lock on both (sweeper.ts says why).
 */
export class WebhookWorker {
  private running: Promise<void> | null = null;
  private stopping = false;
  private abort = new AbortController();
  private wakeUp: (() => void) | null = null;
  private wakeTimer: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;
  private lastError: string | null = null;
  /** Requests in flight, by endpoint. */
  private readonly inFlight = new Map<string, number>();
  private readonly requests = new Set<Promise<void>>();
  private outcomes: Outcome[] = [];
  private writing: Promise<void> | null = null;
  private logger?: Logger;
  private lastSweep = -Infinity;
  private wokenEarly = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly lock: WriteLock,
    /** Kiji's clock: when scheduled posts go live. */
    private readonly clock: Clock,
    private readonly outbox: WebhookOutbox,
    private readonly settings: WebhookSettings,
    /** The wall clock: when deliveries are due and leases end. */
    private readonly wallClock: Clock,
  ) {}

  /** Starts the rounds (once; a second call does nothing). */
  start(logger?: Logger): void {
    if (this.running) return;
    this.logger = logger;
    this.stopping = false;
    this.wokenEarly = false;
    this.abort = new AbortController();
    // Every request in flight listens to it: that many listeners are expected, not a leak.
    setMaxListeners(MAX_IN_FLIGHT + 10, this.abort.signal);
    this.unsubscribe = this.outbox.onQueued(() => this.wake(WAKE_MS));
    this.running = this.loop();
  }

  /** Stops: requests in flight are aborted and their leases given back, so another instance sends them at once. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.stopping = true;
    this.abort.abort();
    this.unsubscribe?.();
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.wakeTimer = null;
    this.wakeUp?.();
    await this.running;
    await Promise.all(this.requests);
    await this.flush();
    this.running = null;
  }

  /** One round: sweep, then fill the free slots with due deliveries. Returns how many were leased. */
  async round(): Promise<number> {
    // Once per poll, not at every round a finished request starts: the sweep takes the write lock.
    if (performance.now() - this.lastSweep >= this.settings.pollMs) {
      await this.lock.transaction((manager) => sweepScheduled(manager, this.clock.now(), this.outbox));
      this.lastSweep = performance.now();
    }
    let total = 0;
    while (!this.stopping) {
      const free = MAX_IN_FLIGHT - this.requests.size;
      if (free <= 0) break;
      const busy = [...this.inFlight].filter(([, n]) => n >= MAX_PER_ENDPOINT).map(([id]) => id);
      const owner = `wk_${randomBytes(12).toString('base64url')}`;
      const now = this.wallClock.now();
      // Longer than a request can take, so a live instance never loses a lease mid-request.
      const leaseMs = Math.max(this.settings.leaseMs, this.settings.timeoutMs + 1000);
      const claimed = await this.writes((m) => claimDue(m, owner, now, new Date(now.getTime() + leaseMs), free, { perEndpoint: MAX_PER_ENDPOINT, busy }));
      for (const delivery of claimed) this.send(delivery, owner);
      total += claimed.length;
      if (claimed.length < free) break;
    }
    return total;
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      try {
        await this.round();
        this.lastError = null;
      } catch (error) {
        // One line per outage, not one per poll.
        const message = (error as Error).message;
        if (message !== this.lastError) this.logger?.warn({ err: error }, 'webhook delivery round failed; retrying');
        this.lastError = message;
      }
      if (!this.stopping) await this.sleep(this.settings.pollMs);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      // Woken while a round was running: that round may have missed what the wake was for.
      if (this.wokenEarly) {
        this.wokenEarly = false;
        return resolve();
      }
      const done = () => {
        clearTimeout(timer);
        this.wakeUp = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeUp = done;
    });
  }

  /** Starts the next round in `ms`, unless one is already due sooner. */
  private wake(ms: number): void {
    if (this.wakeTimer || this.stopping) return;
    this.wakeTimer = setTimeout(() => {
      this.wakeTimer = null;
      if (this.wakeUp) this.wakeUp();
      else this.wokenEarly = true;
    }, ms);
  }

  private send(delivery: ClaimedDelivery, owner: string): void {
    this.inFlight.set(delivery.endpointId, (this.inFlight.get(delivery.endpointId) ?? 0) + 1);
    const attemptedAt = this.wallClock.now();
    const request = sendSigned(delivery.url, delivery.secret, delivery.id, delivery.payload, {
      timeoutMs: this.settings.timeoutMs,
      allowPrivate: this.settings.allowPrivate,
      signal: this.abort.signal,
    })
      // sendSigned reports failures as results; anything it throws is a failed attempt too.
      .catch((error: Error): SendResult => ({ statusCode: null, latencyMs: 0, error: error.message.slice(0, 300) }))
      .then((sent) => {
        const left = this.inFlight.get(delivery.endpointId)! - 1;
        if (left) this.inFlight.set(delivery.endpointId, left);
        else this.inFlight.delete(delivery.endpointId);
        this.outcomes.push({ delivery, owner, attemptedAt, sent });
        // Written with the others that finish meanwhile; the row stays leased until then, so the slot is free now.
        void this.flush();
        this.wake(0);
      });
    this.requests.add(request);
    void request.finally(() => this.requests.delete(request));
  }

  /** Writes every outcome waiting, in one transaction; outcomes that come meanwhile go in the next one. */
  private async flush(): Promise<void> {
    while (this.writing) await this.writing;
    if (this.outcomes.length === 0) return;
    const batch = this.outcomes;
    this.outcomes = [];
    this.writing = this.writes(async (m) => {
      for (const outcome of batch) await this.record(m, outcome);
    })
      .catch((error) => this.logger?.warn({ err: error }, 'webhook delivery outcomes could not be written; their leases will run out and they will be sent again'))
      .finally(() => (this.writing = null));
    await this.writing;
  }

  private async record(m: EntityManager, { delivery, owner, attemptedAt, sent }: Outcome): Promise<void> {
    // Aborted because Kiji is stopping: not an attempt; the lease goes back for another instance.
    if (this.abort.signal.aborted && sent.error) return releaseLease(m, delivery.id, owner);
    const delays = this.settings.retryDelaysMs;
    const attempts = delivery.attempts + 1;
    const ok = sent.error === null;
    const exhausted = !ok && attempts > delays.length;
    const now = this.wallClock.now();
    await insertAttempt(m, { deliveryId: delivery.id, attemptedAt, statusCode: sent.statusCode, latencyMs: sent.latencyMs, error: sent.error });
    const settled = await settleDelivery(m, delivery.id, owner, {
      state: ok ? 'delivered' : exhausted ? 'failed' : 'pending',
      attempts,
      nextAttemptAt: ok || exhausted ? now : new Date(now.getTime() + jittered(delays[attempts - 1])),
      deliveredAt: ok ? now : null,
    });
    // A lease that ran out was taken by another instance: its outcome is the one that counts.
    if (!settled) return;
    if (ok) return endpointSucceeded(m, delivery.endpointId);
    const failures = await endpointFailed(m, delivery.endpointId);
    if (exhausted && failures >= attempts) {
      await disableEndpoint(m, delivery.endpointId, now, `Disabled after ${failures} failed attempts in a row (the last: ${sent.error})`);
    }
  }

  private writes<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return dialectOf(this.dataSource).oneConnection ? this.lock.transaction(work) : this.dataSource.transaction(work);
  }
}

/** `ms` ±20%. */
function jittered(ms: number): number {
  return Math.round(ms * (0.8 + Math.random() * 0.4));
}
