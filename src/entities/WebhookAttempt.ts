import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { WebhookDelivery } from './WebhookDelivery';

/** One request made for a delivery, kept so admins can see why a receiver is failing. */
@Entity('webhook_attempts')
@Index('IDX_webhook_attempts_delivery', ['deliveryId', 'id'])
export class WebhookAttempt {
  @PrimaryGeneratedColumn()
  id: number;

  @Column('varchar', { length: 40 })
  deliveryId: string;

  @ManyToOne(() => WebhookDelivery, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'deliveryId' })
  delivery?: WebhookDelivery;

  /** When the request started, by the wall clock. */
  @Column({ type: Date })
  attemptedAt: Date;

  /** The HTTP status of the answer; null when none came (refused, timed out, unreachable). */
  @Column('integer', { nullable: true })
  statusCode: number | null;

  @Column('integer')
  latencyMs: number;

  /** Why the attempt failed, for people; null when it succeeded. */
  @Column('varchar', { length: 500, nullable: true })
  error: string | null;
}
