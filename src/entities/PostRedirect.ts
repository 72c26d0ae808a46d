import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Post } from './Post';

/**
 * A slug a post had before an editor (or a re-import) renamed it: `post(slug:)` still finds the
 * post, `redirect(path:)` answers its current URL, and no other post may take the slug meanwhile.
 */
@Entity('post_old_slugs')
@Index('IDX_post_old_slugs_post', ['postId'])
export class PostOldSlug {
  @PrimaryColumn('varchar', { length: 500 })
  slug: string;

  @Column('integer')
  postId: number;

  @Column({ type: Date })
  retiredAt: Date;

  @ManyToOne(() => Post, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'postId' })
  post?: Post;
}

/** A path the front matter's `redirect_from` lists: `redirect(path:)` answers the post's current URL. */
@Entity('post_redirects')
@Index('IDX_post_redirects_post', ['postId'])
export class PostRedirect {
  /** Normalized: starts with `/`, no query or fragment, no trailing `/` (but the root). */
  @PrimaryColumn('varchar', { length: 1000 })
  path: string;

  @Column('integer')
  postId: number;

  @ManyToOne(() => Post, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'postId' })
  post?: Post;
}
