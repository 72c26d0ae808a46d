import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { ContentIssue, CoverImageSource, Heading, SeoFields } from '../content/types';

/**
 * Stored status. `SCHEDULED` is not stored: it is a published post whose time has not come.
 * Deletion is `deletedAt`, kept apart so that restoring gives back the status the post had.
 */
export type StoredPostStatus = 'draft' | 'published';

@Entity('posts')
@Index('IDX_posts_feed', ['status', 'publishedAt', 'id'])
@Index('IDX_posts_title', ['title', 'id'])
// Partial: only deleted posts are in it, so no planner takes it for `deletedAt IS NULL` (every post).
@Index('IDX_posts_deleted', ['deletedAt'], { where: '"deletedAt" IS NOT NULL' })
export class Post {
  @PrimaryGeneratedColumn()
  id: number;

  @Index('UQ_posts_slug', { unique: true })
  @Column('varchar', { length: 500 })
  slug: string;

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

  @Column('integer')
  readingTimeMinutes: number;

  @Column('varchar', { length: 35 })
  language: string;

  @Column('varchar', { length: 16 })
  status: StoredPostStatus;

  @Column({ type: Date, nullable: true })
  publishedAt: Date | null;

  /** Set when the post is (softly) deleted; restorable until then. */
  @Column({ type: Date, nullable: true })
  deletedAt: Date | null;

  @Column({ type: Date })
  createdAt: Date;

  @Column({ type: Date })
  updatedAt: Date;

  /** Grows by one at every change; writers must name the version they read. */
  @Column('integer', { default: 1 })
  version: number;

  /** Front-matter keys Kiji does not map to a column, kept for editors. */
  @Column('simple-json')
  frontMatter: Record<string, unknown>;

  /** Repairs and problems the content pipeline found when this post was imported. */
  @Column('simple-json')
  contentIssues: ContentIssue[];

  /** The file this post was imported from, relative to the working directory; null for API-created posts. */
  @Index('UQ_posts_source_path', { unique: true })
  @Column('varchar', { length: 1000, nullable: true })
  sourcePath: string | null;

  /** Hash of the source file's text: an unchanged file is not written again. */
  @Column('varchar', { length: 64, nullable: true })
  sourceHash: string | null;

  /** The cover image as the front matter (or the body's first image) gave it; made absolute when read. */
  @Column('simple-json', { nullable: true })
  coverImage: CoverImageSource | null;

  /** SEO fields the front matter declares; `Post.seo` falls back to the title, excerpt and URL for the rest. */
  @Column('simple-json', { nullable: true })
  seo: SeoFields | null;

  /** `noindex: true` or `sitemap: false`: kept out of the sitemap, and `seo.noindex` says so to apps. */
  @Column('boolean', { default: false })
  noindex: boolean;
}
