import { Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Post } from './Post';

/**
 * A post whose change the related lists have not taken in yet: its own list, and the lists that
 * held it or should now hold it. Marked in the same transaction as the change, so a process
 * killed at any moment leaves the work recorded; cleared in the transaction that writes the new
 * lists (under the write lock, so no change can be marked between a refresh's reading and its
 * clearing).
 */
@Entity('related_pending')
export class RelatedPending {
  @PrimaryColumn('integer')
  postId: number;

  @ManyToOne(() => Post, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'postId' })
  post?: Post;
}
