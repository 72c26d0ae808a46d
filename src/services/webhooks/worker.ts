import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import type { DataSource } from 'typeorm';
import type { WebhookSettings } from '../../config';
import type { Logger } from '../../log';
import type { WriteLock } from '../posts/write';
import type { Clock } from '../shared';
import type { WebhookOutbox } from './outbox';
import { sendSigned, SendResult } from './sender';
import { PURGE_EVERY_MS, purgeOlderThan, retentionCutoff } from './retention';
import { Outcome, recordOutcome } from './outcomes';
import { anyDue, ClaimedDelivery, claimDue, hasEndpoints, releaseLease } from './statements';
import { sweepIfDue } from './sweeper';

/** Requests in flight at once, in all; and for one endpoint, so that a slow receiver cannot take every slot. */
const MAX_IN_FLIGHT = 32;
const MAX_PER_ENDPOINT = 16;
/** After a write queued deliveries, the worker looks this soon (the write's transaction commits meanwhile). */
const WAKE_MS = 10;
/** How long "is any endpoint registered?" is believed: an endpoint added elsewhere is served this much later at worst. */
const ENDPOINTS_CHECK_MS = 5_000;

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
 *
 * An idle worker costs little: while no endpoint is registered (read at most every
 * ENDPOINTS_CHECK_MS) a round does nothing at all, and the sweep and the claim each make a cheap
 * read ("anything to do?") before taking the write lock. Retention (retention.ts) runs at most
 * every PURGE_EVERY_MS.
 *
 * Leases are timed by the database's clock on PostgreSQL (statements.ts leaseClock), so instances
 * whose clocks disagree do not take each other's live leases; an outcome is written only while its
 * instance still holds the lease (a flush that waited past it writes nothing, and its attempt is
 * not recorded: the new holder's attempt is the one that counts).
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
  private lastPurge = -Infinity;
  private endpointsSeen: { exist: boolean; at: number } | null = null;
  private wokenEarly = false;
  /** Longer than a request can take, so a live instance never loses a lease mid-request. */
  private readonly leaseMs: number;

  constructor(
    private readonly dataSource: DataSource,
    private readonly lock: WriteLock,
    /** Kiji's clock: when scheduled posts go live. */
    private readonly clock: Clock,
    private readonly outbox: WebhookOutbox,
    private readonly settings: WebhookSettings,
    /** The wall clock: when deliveries are due and leases end. */
    private readonly wallClock: Clock,
  ) {
    this.leaseMs = Math.max(settings.leaseMs, settings.timeoutMs + 1000);
  }

  /** Starts the rounds (once; a second call does nothing). */
  start(logger?: Logger): void {
    if (this.running) return;
    this.logger = logger;
    this.stopping = false;
    this.wokenEarly = false;
    this.abort = new AbortController();
    // Every request in flight listens to it: that many listeners are expected, not a leak.
    setMaxListeners(MAX_IN_FLIGHT + 10, this.abort.signal);
    this.endpointsSeen = null;
    this.unsubscribe = this.outbox.onQueued(() => {
      // Deliveries were queued, so an endpoint exists: no need to wait for the next check.
      this.endpointsSeen = { exist: true, at: performance.now() };
      this.wake(WAKE_MS);
    });
    this.running = this.loop();
  }

  /**
   * Stops: requests in flight are aborted and their leases given back, so another instance sends
   * them at once. Waits at most `withinMs` (the shutdown's grace period): leases not given back by
   * then (the database is slow or away) simply run out, and another instance sends those.
   */
  async stop(withinMs = Infinity): Promise<void> {
    if (!this.running) return;
    this.stopping = true;
    this.abort.abort();
    this.unsubscribe?.();
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.wakeTimer = null;
    this.wakeUp?.();
    const stopped = (async () => {
      await this.running;
      await Promise.all(this.requests);
      await this.flush();
    })();
    let timer: NodeJS.Timeout | undefined;
    const late = Number.isFinite(withinMs) ? new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.max(0, withinMs)))) : stopped;
    await Promise.race([stopped, late]);
    clearTimeout(timer);
    this.running = null;
  }

  /** One round: sweep, purge, then fill the free slots with due deliveries. Returns how many were leased. */
  async round(): Promise<number> {
    if (!(await this.endpointsExist())) return 0;
    // Once per poll, not at every round a finished request starts: the sweep may take the write lock.
    if (performance.now() - this.lastSweep >= this.settings.pollMs) {
      await sweepIfDue(this.dataSource, this.lock, this.clock, this.outbox);
      this.lastSweep = performance.now();
    }
    if (performance.now() - this.lastPurge >= PURGE_EVERY_MS) {
      this.lastPurge = performance.now();
      await purgeOlderThan(this.dataSource, this.lock, retentionCutoff(this.clock.now(), this.settings.retentionDays));
    }
    let total = 0;
    const owner = `wk_${randomBytes(12).toString('base64url')}`;
    while (!this.stopping) {
      const free = MAX_IN_FLIGHT - this.requests.size;
      if (free <= 0) break;
      const busy = [...this.inFlight].filter(([, n]) => n >= MAX_PER_ENDPOINT).map(([id]) => id);
      const now = this.wallClock.now();
      // Nothing due: no write transaction (on SQLite, no turn in the write lock).
      if (!(await anyDue(this.dataSource, now))) break;
      const claimed = await this.lock.rowTransaction((m) => claimDue(m, owner, now, this.leaseMs, free, { perEndpoint: MAX_PER_ENDPOINT, busy }), { content: false });
      for (const delivery of claimed) this.send(delivery, owner);
      total += claimed.length;
      if (claimed.length < free) break;
    }
    return total;
  }

  /** Whether any endpoint is registered, read at most every ENDPOINTS_CHECK_MS. */
  private async endpointsExist(): Promise<boolean> {
    const seen = this.endpointsSeen;
    if (seen && performance.now() - seen.at < ENDPOINTS_CHECK_MS) return seen.exist;
    const exist = await hasEndpoints(this.dataSource);
    this.endpointsSeen = { exist, at: performance.now() };
    return exist;
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
    this.writing = this.lock
      .rowTransaction(
        async (m) => {
          for (const outcome of batch) {
            // Aborted because Kiji is stopping: not an attempt; the lease goes back for another instance.
            if (this.abort.signal.aborted && outcome.sent.error) await releaseLease(m, outcome.delivery.id, outcome.owner);
            else await recordOutcome(m, outcome, this.settings.retryDelaysMs, this.wallClock.now());
          }
        },
        { content: false },
      )
      .catch((error) => this.logger?.warn({ err: error }, 'webhook delivery outcomes could not be written; their leases will run out and they will be sent again'))
      .finally(() => (this.writing = null));
    await this.writing;
  }
}
