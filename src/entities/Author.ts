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

  /** A picture of the author, absolute or relative to the site (made absolute when read). */
  @Column('varchar', { length: 2000, nullable: true })
  avatarUrl: string | null;

  /** Elsewhere on the web: `{ kind: 'website' | 'twitter' | 'github' | …, url }`, in the order given. */
  @Column('simple-json', { nullable: true })
  links: AuthorLink[] | null;

  /**
   * How many of its links are listed (`PostAuthor.listedAt` set): its published posts, scheduled ones
   * included, kept by the post write path, so that a page's post count reads one row instead of counting every post.
   */
  @Column('integer', { default: 0 })
  listedCount: number;
}

export interface AuthorLink {
  kind: string;
  url: string;
}
