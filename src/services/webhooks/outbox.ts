import { randomBytes } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { Post } from '../../entities';
import type { PostChange, PostChangeRecorder } from '../posts/write';
import type { Clock } from '../shared';
import { eventOf, isVisible, mayBeUnannounced, payloadOf, WebhookEventName } from './events';
import { endpointEvents, insertDeliveries, scheduledMark } from './statements';

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

  async record(manager: EntityManager, changes: readonly PostChange[]): Promise<void> {
    // Rarely needed (a post that went live by its schedule since its last write): one small read then, for all of them.
    let sweptUntil: Promise<Date | null> | undefined;
    const events: { event: WebhookEventName; post: Post; at: Date }[] = [];
    for (const { before, after, at } of changes) {
      const mark = before && isVisible(before, at) && mayBeUnannounced(before) ? await (sweptUntil ??= scheduledMark(manager)) : null;
      const event = eventOf(before, after, at, mark);
      if (event) events.push({ event, post: after, at });
    }
    await this.enqueueAll(manager, events);
  }

  /** Queues `event` about `post` for each subscribed endpoint, in `manager`'s transaction. */
  enqueue(manager: EntityManager, event: WebhookEventName, post: Post, at: Date): Promise<void> {
    return this.enqueueAll(manager, [{ event, post, at }]);
  }

  /** Queues each event for each endpoint subscribed to it: the endpoints read once, the deliveries written in one statement. */
  private async enqueueAll(manager: EntityManager, events: readonly { event: WebhookEventName; post: Post; at: Date }[]): Promise<void> {
    if (events.length === 0) return;
    const endpoints = await endpointEvents(manager);
    if (endpoints.length === 0) return;
    const due = this.wallClock.now();
    const deliveries = events.flatMap(({ event, post, at }) => {
      const subscribed = endpoints.filter((endpoint) => endpoint.events.includes(event));
      if (subscribed.length === 0) return [];
      const payload = JSON.stringify(payloadOf(event, post, at, this.urlOf));
      return subscribed.map((endpoint) => ({ id: newDeliveryId(), endpointId: endpoint.id, eventType: event, payload, createdAt: at, nextAttemptAt: due }));
    });
    if (deliveries.length === 0) return;
    await insertDeliveries(manager, deliveries);
    for (const listener of this.listeners) listener();
  }

  /** `listener` is told whenever deliveries were queued (before their transaction commits). */
  onQueued(listener: () => void): () => void {
    this.listeners.push(listener);
    return () => (this.listeners = this.listeners.filter((l) => l !== listener));
  }
}
