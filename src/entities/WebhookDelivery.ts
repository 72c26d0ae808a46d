import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import type { WebhookEventName } from '../services/webhooks/events';
import { WebhookEndpoint } from './WebhookEndpoint';

/** `pending`: to send (now or at `nextAttemptAt`); `delivered`: a 2xx came back; `failed`: every attempt failed. */
export type WebhookDeliveryState = 'pending' | 'delivered' | 'failed';

/**
 * The outbox: one row per event and subscribed endpoint, written in the transaction of the change
 * that caused the event, so an event exists exactly when its change committed. The worker leases a
 * row (`leaseOwner`, `leaseUntil`) while it sends it, so that of several instances one sends it, and
 * a row whose lease ran out (its instance was killed) is taken by another. Rows that are done are
 * purged after KIJI_WEBHOOK_RETENTION_DAYS.
 */
@Entity('webhook_deliveries')
@Index('IDX_webhook_deliveries_due', ['state', 'nextAttemptAt'])
// Retention (services/webhooks/retention.ts) finds old delivered and failed rows by it.
@Index('IDX_webhook_deliveries_age', ['state', 'createdAt'])
@Index('IDX_webhook_deliveries_endpoint', ['endpointId', 'createdAt'])
export class WebhookDelivery {
  /** The `webhook-id` receivers deduplicate by (`msg_…`): the same for every attempt and replay. */
  @PrimaryColumn('varchar', { length: 40 })
  id: string;

  @Column('varchar', { length: 40 })
  endpointId: string;

  @ManyToOne(() => WebhookEndpoint, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'endpointId' })
  endpoint?: WebhookEndpoint;

  @Column('varchar', { length: 40 })
  eventType: WebhookEventName;

  /** The exact body sent (and signed): the same bytes at every attempt. */
  @Column('text')
  payload: string;

  @Column('varchar', { length: 16 })
  state: WebhookDeliveryState;

  /** Attempts made so far (since the last replay). */
  @Column('integer', { default: 0 })
  attempts: number;

  /** When the event happened, by Kiji's clock. */
  @Column({ type: Date })
  createdAt: Date;

  /** When the next attempt is due, by the wall clock; meaningful while pending. */
  @Column({ type: Date })
  nextAttemptAt: Date;

  @Column('varchar', { length: 40, nullable: true })
  leaseOwner: string | null;

  /** When the lease ends, by the database's clock on PostgreSQL (statements.ts leaseClock). */
  @Column({ type: Date, nullable: true })
  leaseUntil: Date | null;

  @Column({ type: Date, nullable: true })
  deliveredAt: Date | null;
}
