import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

@Entity('authors')
export class Author {
  @PrimaryGeneratedColumn()
  id: number;

  @Index('UQ_authors_slug', { unique: true })
  @Column('varchar', { length: 200 })
  slug: string;

  @Column('varchar', { length: 200 })
  name: string;

  @Column('text', { nullable: true })
  bio: string | null;
}
