import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One row: how far the scheduled-publication sweeper has looked. Scheduled posts go live with no
 * write, so the sweeper emits their events for publication times in (`scheduledMark`, now] and
 * advances the mark in the same transaction: each such moment is looked at once, across restarts
 * and instances. Null until the first sweep, which starts from its own "now".
 */
@Entity('webhook_state')
export class WebhookState {
  @PrimaryColumn('integer')
  id: number;

  @Column({ type: Date, nullable: true })
  scheduledMark: Date | null;
}
