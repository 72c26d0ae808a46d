import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { WebhookEventName } from '../services/webhooks/events';

/**
 * A receiver an admin registered: Kiji sends it the events it subscribed to, signed with its
 * secret (Standard Webhooks). The secret is kept as is, not hashed: every delivery is signed with it.
 * An endpoint is enabled while `disabledAt` is null; the worker disables one that keeps failing.
 */
@Entity('webhook_endpoints')
export class WebhookEndpoint {
  /** Public identifier (`ep_…`), shown by `kiji webhooks list` and `webhookEndpoints`. */
  @PrimaryColumn('varchar', { length: 40 })
  id: string;

  @Column('varchar', { length: 2000 })
  url: string;

  /** The event names it receives, e.g. `["post.published","post.deleted"]`. */
  @Column('simple-json')
  events: WebhookEventName[];

  /** `whsec_` and the base64 of the signing key. */
  @Column('varchar', { length: 100 })
  secret: string;

  /** Failed attempts since its last successful one; reset by a success and by re-enabling. */
  @Column('integer', { default: 0 })
  consecutiveFailures: number;

  @Column({ type: Date, nullable: true })
  disabledAt: Date | null;

  @Column('varchar', { length: 500, nullable: true })
  disabledReason: string | null;

  @Column({ type: Date })
  createdAt: Date;
}
