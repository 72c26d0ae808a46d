import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Post } from './Post';

/**
 * A link that shows one unpublished post to whoever holds it, until it expires or an editor
 * revokes it. Only a hash of its token is stored, as for API keys; the token is shown once.
 */
@Entity('preview_links')
@Index('IDX_preview_links_post', ['postId'])
export class PreviewLink {
  /** Public identifier (`pl_…`), to list and revoke the link. */
  @PrimaryColumn('varchar', { length: 40 })
  id: string;

  @Column('integer')
  postId: number;

  /** SHA-256 of the token, hex. */
  @Index('UQ_preview_links_hash', { unique: true })
  @Column('varchar', { length: 64 })
  hash: string;

  @Column({ type: Date })
  createdAt: Date;

  @Column({ type: Date })
  expiresAt: Date;

  @Column({ type: Date, nullable: true })
  revokedAt: Date | null;

  /** The name of the API key that made it. */
  @Column('varchar', { length: 200 })
  createdBy: string;

  @ManyToOne(() => Post, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'postId' })
  post?: Post;
}
