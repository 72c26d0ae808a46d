import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { CoverImageSource, Heading, SeoFields } from '../content/types';

/**
 * A page of the site that is not a post (About, Contact): a Jekyll file outside `_posts` with
 * `layout: page`, or one in a `pages/` folder. Imported like posts, never in the post feed.
 */
@Entity('pages')
export class Page {
  @PrimaryGeneratedColumn()
  id: number;

  @Index('UQ_pages_slug', { unique: true })
  @Column('varchar', { length: 500 })
  slug: string;

  /** The front matter's `permalink`, when it gives one; `Page.url` is made from the template otherwise. */
  @Column('varchar', { length: 1000, nullable: true })
  path: string | null;

  @Column('text')
  title: string;

  @Column('text')
  excerpt: string;

  @Column('text')
  bodyMarkdown: string;

  @Column('text')
  bodyHtml: string;

  @Column('simple-json')
  headings: Heading[];

  @Column('varchar', { length: 35 })
  language: string;

  /** `published`, or `draft` (`published: false`), which only editors see. */
  @Column('varchar', { length: 16 })
  status: 'draft' | 'published';

  @Column('simple-json')
  frontMatter: Record<string, unknown>;

  @Column('simple-json', { nullable: true })
  coverImage: CoverImageSource | null;

  @Column('simple-json', { nullable: true })
  seo: SeoFields | null;

  @Column('boolean', { default: false })
  noindex: boolean;

  @Column({ type: Date })
  createdAt: Date;

  @Column({ type: Date })
  updatedAt: Date;

  @Index('UQ_pages_source_path', { unique: true })
  @Column('varchar', { length: 1000, nullable: true })
  sourcePath: string | null;

  @Column('varchar', { length: 64, nullable: true })
  sourceHash: string | null;
}
