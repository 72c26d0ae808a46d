import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One row: a counter every write to published content increments in its own transaction. Cached
 * responses are keyed by it, so a write makes every cached response stale at once, whichever
 * process (server, CLI import, another instance) made it.
 */
@Entity('content_state')
export class ContentState {
  @PrimaryColumn('integer')
  id: number;

  @Column('integer')
  generation: number;
}
