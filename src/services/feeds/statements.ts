import type { DataSource } from 'typeorm';
import { readTimestamp } from '../../db/dialect';
import { Post, POST_LINKS, PostLinkName } from '../../entities';
import { ANONYMOUS } from '../access';
// The one visibility rule (posts/read), so that the sitemap lists exactly what anonymous readers see.
import { applyVisibility } from '../posts/read';

/*
 * The sitemap's statements: one for every visible post, one per kind of term. They read only
 * slugs and dates, so even the 100,000-post archive is a few megabytes of rows.
 */

/** A page in the sitemap: a post's or a term's slug, and when what it shows last changed. */
export interface SitemapRow {
  slug: string;
  updatedAt: Date;
  publishedAt: Date | null;
}

/** A raw row of either statement, with its dates read as the driver gives them. */
function toSitemapRow(r: Record<string, unknown>): SitemapRow {
  return { slug: String(r.slug), updatedAt: readTimestamp(r.updatedAt)!, publishedAt: readTimestamp(r.publishedAt) };
}

/**
 * Every post an anonymous reader sees, oldest first (ids only grow, so parts keep their pages as
 * posts are added), but those whose front matter asks search engines not to index them
 * (`noindex`, `sitemap: false`): a sitemap is what a site asks to have indexed.
 */
export async function visiblePostDates(dataSource: DataSource, now: Date): Promise<SitemapRow[]> {
  const qb = applyVisibility(dataSource.getRepository(Post).createQueryBuilder('p'), ANONYMOUS, now)
    // `NOT column` reads a PostgreSQL boolean and SQLite's 0/1 alike.
    .andWhere('NOT p.noindex')
    .select('p.slug', 'slug')
    .addSelect('p."updatedAt"', 'updatedAt')
    .addSelect('p."publishedAt"', 'publishedAt')
    .orderBy('p.id');
  const rows: Record<string, unknown>[] = await qb.getRawMany();
  return rows.map(toSitemapRow);
}

/**
 * The terms of one kind that visible posts carry, in slug order, each with the newest
 * `updatedAt` and `publishedAt` among those posts (a term's page changes when one of them does).
 */
export async function visibleTermDates(dataSource: DataSource, name: PostLinkName, now: Date): Promise<SitemapRow[]> {
  const link = POST_LINKS[name];
  const qb = applyVisibility(dataSource.getRepository(Post).createQueryBuilder('p'), ANONYMOUS, now)
    .innerJoin(link.table, 'l', 'l."postId" = p.id')
    .innerJoin(link.termTable, 't', `t.id = l."${link.column}"`)
    .select('t.slug', 'slug')
    .addSelect('MAX(p."updatedAt")', 'updatedAt')
    .addSelect('MAX(p."publishedAt")', 'publishedAt')
    .groupBy('t.id')
    .addGroupBy('t.slug')
    .orderBy('t.slug');
  const rows: Record<string, unknown>[] = await qb.getRawMany();
  return rows.map(toSitemapRow);
}
