import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Post } from './Post';

/** What a revision records of a post: everything an editor can change. */
export interface PostSnapshot {
  slug: string;
  title: string;
  excerpt: string;
  bodyMarkdown: string;
  status: 'draft' | 'published';
  publishedAt: string | null;
  deletedAt: string | null;
  authors: string[];
  tags: string[];
  categories: string[];
}

/** The post as it was after one change (import or mutation). History is only ever appended to. */
@Entity('post_revisions')
@Index('IDX_post_revisions_post', ['postId', 'id'])
export class PostRevision {
  @PrimaryGeneratedColumn()
  id: number;

  @Column('integer')
  postId: number;

  /** The post's version after this change. */
  @Column('integer')
  version: number;

  @Column({ type: Date })
  createdAt: Date;

  /** The API key that made the change; null for the importer. */
  @Column('varchar', { length: 36, nullable: true })
  actorKeyId: string | null;

  /** The key's name, or `import`. */
  @Column('varchar', { length: 200 })
  actorName: string;

  @Column('simple-json')
  snapshot: PostSnapshot;

  @ManyToOne(() => Post, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'postId' })
  post?: Post;
}
