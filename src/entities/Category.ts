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
}
