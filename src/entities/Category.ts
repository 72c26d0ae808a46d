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
}
