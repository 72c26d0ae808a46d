import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One change to a post, as the partners' delta sync reads it (src/services/sync). Written in the
 * transaction of the change itself. It keeps no kind and no content: a reader maps each logged
 * post to what the public sees of it at read time, so the latest state always wins.
 *
 * Its position in the log is (txid, seq), compared as a pair: on PostgreSQL `txid` is the writing
 * transaction's id, which tells a reader when no transaction below a point can still add a row
 * (sync-log.ts says why sequence order alone is not enough); on SQLite, one writer at a time, it
 * is always 0 and `seq` alone orders the log.
 */
@Entity('sync_log')
@Index('IDX_sync_log_position', ['txid', 'seq'])
@Index('IDX_sync_log_post', ['postId', 'txid', 'seq'])
export class SyncLogEntry {
  @PrimaryGeneratedColumn()
  seq: number;

  /** A bigint: PostgreSQL's driver returns it as text. */
  @Column('bigint')
  txid: string;

  @Column('integer')
  postId: number;

  /** The change's time, by Kiji's clock. */
  @Column({ type: Date })
  at: Date;
}

/**
 * One row: the highest log position compaction dropped while it still mattered to somebody (an
 * entry of a post that is hidden now). A cursor below it may have missed that deletion, so it is
 * refused and its partner starts over.
 */
@Entity('sync_log_floor')
export class SyncLogFloor {
  @PrimaryColumn('integer')
  id: number;

  @Column('bigint')
  txid: string;

  @Column('integer')
  seq: number;
}
