import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

@Entity('categories')
export class Category {
  @PrimaryGeneratedColumn()
  id: number;

  @Index('UQ_categories_slug', { unique: true })
  @Column('varchar', { length: 200 })
  slug: string;

  @Column('varchar', { length: 200 })
  name: string;

  /** What the term is about, plain text, for its page; null when none is known. */
  @Column('text', { nullable: true })
  description: string | null;

  /**
   * How many of its links are listed (`PostCategory.listedAt` set): its published posts, scheduled ones
   * included, kept by the post write path, so that a page's post count reads one row instead of counting every post.
   */
  @Column('integer', { default: 0 })
  listedCount: number;
}
