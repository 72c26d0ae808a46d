import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Author } from './Author';
import { Category } from './Category';
import { Post } from './Post';
import { Tag } from './Tag';

/*
 * The join tables are entities of their own (not TypeORM many-to-many) because each link keeps
 * the order the front matter gave, and the loaders query them directly in one statement per page.
 */

@Entity('post_authors')
@Index('IDX_post_authors_author', ['authorId', 'postId'])
export class PostAuthor {
  @PrimaryColumn('integer')
  postId: number;

  @PrimaryColumn('integer')
  authorId: number;

  /** 0 is the primary author (`Post.author`). */
  @Column('integer')
  position: number;

  @ManyToOne(() => Post, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'postId' })
  post?: Post;

  @ManyToOne(() => Author, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'authorId' })
  author?: Author;
}

@Entity('post_tags')
@Index('IDX_post_tags_tag', ['tagId', 'postId'])
export class PostTag {
  @PrimaryColumn('integer')
  postId: number;

  @PrimaryColumn('integer')
  tagId: number;

  @Column('integer')
  position: number;

  @ManyToOne(() => Post, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'postId' })
  post?: Post;

  @ManyToOne(() => Tag, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tagId' })
  tag?: Tag;
}

@Entity('post_categories')
@Index('IDX_post_categories_category', ['categoryId', 'postId'])
export class PostCategory {
  @PrimaryColumn('integer')
  postId: number;

  @PrimaryColumn('integer')
  categoryId: number;

  @Column('integer')
  position: number;

  @ManyToOne(() => Post, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'postId' })
  post?: Post;

  @ManyToOne(() => Category, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'categoryId' })
  category?: Category;
}
