import { randomBytes } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { Post } from '../../entities';
import type { PostChange, PostChangeRecorder } from '../posts/write';
import type { Clock } from '../shared';
import { eventOf, isVisible, mayBeUnannounced, payloadOf, WebhookEventName } from './events';
import { insertDeliveries, scheduledMark, subscribersOf } from './statements';

/** A `webhook-id`: unique, opaque, the same for every attempt of one delivery. */
export function newDeliveryId(): string {
  return `msg_${randomBytes(16).toString('base64url')}`;
}

/**
 * The webhook outbox, written by the one write path in each write's transaction (a recorder, see
 * post-changes.ts): one delivery row per endpoint subscribed to the event the change causes. A
 * change that rolls back leaves no delivery; one that commits cannot lose its deliveries.
 */
export class WebhookOutbox implements PostChangeRecorder {
  /** Called after a delivery is queued, so a worker in this process looks soon rather than at its next poll. */
  private listeners: (() => void)[] = [];

  constructor(
    /** The wall clock: when a new delivery is first due (deliveries are timed by it, events by Kiji's clock). */
    private readonly wallClock: Clock,
    /** The `url` receivers get for a slug (absolute when KIJI_SITE_URL is set). */
    private readonly urlOf: (slug: string) => string,
  ) {}

  async record(manager: EntityManager, { before, after, at }: PostChange): Promise<void> {
    // Rarely needed (a post that went live by its schedule since its last write): one small read then.
    const sweptUntil = before && isVisible(before, at) && mayBeUnannounced(before) ? await scheduledMark(manager) : null;
    const event = eventOf(before, after, at, sweptUntil);
    if (event) await this.enqueue(manager, event, after, at);
  }

  /** Queues `event` about `post` for each subscribed endpoint, in `manager`'s transaction. */
  async enqueue(manager: EntityManager, event: WebhookEventName, post: Post, at: Date): Promise<void> {
    const endpoints = await subscribersOf(manager, event);
    if (endpoints.length === 0) return;
    const payload = JSON.stringify(payloadOf(event, post, at, this.urlOf));
    const due = this.wallClock.now();
    await insertDeliveries(
      manager,
      endpoints.map((endpointId) => ({ id: newDeliveryId(), endpointId, eventType: event, payload, createdAt: at, nextAttemptAt: due })),
    );
    for (const listener of this.listeners) listener();
  }

  /** `listener` is told whenever deliveries were queued (before their transaction commits). */
  onQueued(listener: () => void): () => void {
    this.listeners.push(listener);
    return () => (this.listeners = this.listeners.filter((l) => l !== listener));
  }
}
