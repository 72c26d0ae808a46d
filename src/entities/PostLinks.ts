import { Column, Entity, getMetadataArgsStorage, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
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
@Index('IDX_post_authors_listed', ['authorId', 'listedAt', 'postId'], { where: '"listedAt" IS NOT NULL' })
export class PostAuthor {
  @PrimaryColumn('integer')
  postId: number;

  @PrimaryColumn('integer')
  authorId: number;

  /** 0 is the primary author (`Post.author`). */
  @Column('integer')
  position: number;

  /**
   * The post's publishedAt while it is published and not deleted, else null: a term's posts a
   * reader may see are its links listed by now, read newest first from IDX_…_listed without a
   * sort (post write path, `replaceLinks`). Scheduled posts are listed with their future date.
   */
  @Column({ type: Date, nullable: true })
  listedAt: Date | null;

  @ManyToOne(() => Post, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'postId' })
  post?: Post;

  @ManyToOne(() => Author, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'authorId' })
  author?: Author;
}

@Entity('post_tags')
@Index('IDX_post_tags_tag', ['tagId', 'postId'])
@Index('IDX_post_tags_listed', ['tagId', 'listedAt', 'postId'], { where: '"listedAt" IS NOT NULL' })
export class PostTag {
  @PrimaryColumn('integer')
  postId: number;

  @PrimaryColumn('integer')
  tagId: number;

  @Column('integer')
  position: number;

  /** As `PostAuthor.listedAt`. */
  @Column({ type: Date, nullable: true })
  listedAt: Date | null;

  @ManyToOne(() => Post, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'postId' })
  post?: Post;

  @ManyToOne(() => Tag, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tagId' })
  tag?: Tag;
}

@Entity('post_categories')
@Index('IDX_post_categories_category', ['categoryId', 'postId'])
@Index('IDX_post_categories_listed', ['categoryId', 'listedAt', 'postId'], { where: '"listedAt" IS NOT NULL' })
export class PostCategory {
  @PrimaryColumn('integer')
  postId: number;

  @PrimaryColumn('integer')
  categoryId: number;

  @Column('integer')
  position: number;

  /** As `PostAuthor.listedAt`. */
  @Column({ type: Date, nullable: true })
  listedAt: Date | null;

  @ManyToOne(() => Post, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'postId' })
  post?: Post;

  @ManyToOne(() => Category, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'categoryId' })
  category?: Category;
}

/** How posts link to one kind of term, for raw SQL: the link table and its term column, and the terms' table. */
export interface PostLink<T extends Author | Tag | Category = Author | Tag | Category> {
  link: typeof PostAuthor | typeof PostTag | typeof PostCategory;
  /** The link table (`post_tags`); its `postId` and `position` columns are the same in all three. */
  table: string;
  /** The link table's column holding the term's id (`tagId`). */
  column: string;
  term: new () => T;
  /** The terms' table (`tags`). */
  termTable: string;
}

/** A table's name as its entity's `@Entity` decorator gives it. */
function tableOf(entity: { name: string }): string {
  const name = getMetadataArgsStorage().tables.find((t) => t.target === entity)?.name;
  if (!name) throw new Error(`no @Entity table name for ${entity.name}`);
  return name;
}

function postLink<T extends Author | Tag | Category>(link: PostLink['link'], column: string, term: new () => T): PostLink<T> {
  return { link, table: tableOf(link), column, term, termTable: tableOf(term) };
}

/**
 * The three links, keyed as a post's relations are (`Post` fields, `PostInclude`, `PostFields`).
 * Every statement that joins posts to their terms is written from these, the table names read
 * from the decorators above: nothing spells them again.
 */
export const POST_LINKS = {
  authors: postLink(PostAuthor, 'authorId', Author),
  tags: postLink(PostTag, 'tagId', Tag),
  categories: postLink(PostCategory, 'categoryId', Category),
};

export type PostLinkName = keyof typeof POST_LINKS;
export const POST_LINK_NAMES = Object.keys(POST_LINKS) as PostLinkName[];
