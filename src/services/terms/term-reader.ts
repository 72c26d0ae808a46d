import { DataSource, EntityMetadata, SelectQueryBuilder } from 'typeorm';
import { Author, Category, POST_LINKS, PostLink, Tag } from '../../entities';
import type { Clock } from '../shared';
import { Page, PageArgs, slugOrderPage } from '../shared';
import { isEditor, seesUnpublished, Viewer } from '../access';
import { listedCountSql, withShapedText } from '../posts/read';
import type { TermRead } from '../posts/read';
import { dialectOf } from '../../db/dialect';

/** Authors, tags and categories share one shape: id, slug, name, linked to posts by a join table. */
export type Term = Author | Tag | Category;

export const AUTHOR_TERMS: PostLink<Author> = POST_LINKS.authors;
export const TAG_TERMS: PostLink<Tag> = POST_LINKS.tags;
export const CATEGORY_TERMS: PostLink<Category> = POST_LINKS.categories;

/**
 * Reads one kind of term; each method is one statement, written from the kind's link (`POST_LINKS`).
 * A reader who may not see unpublished posts sees only the terms that
 * at least one visible post carries, so a tag used only by a draft does not leak its name
 * (for a preview key, any post not deleted).
 */
export class TermReader<T extends Term> {
  private readonly metadata: EntityMetadata;

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly link: PostLink<T>,
  ) {
    this.metadata = dataSource.getMetadata(link.term);
  }

  /** What the text of `visible(viewer)` depends on (posts/read/statement-texts.ts). */
  private visibleShape(viewer: Viewer): string {
    return `${this.link.table}|${isEditor(viewer) ? 'editor' : seesUnpublished(viewer) ? 'preview' : 'reader'}`;
  }

  private visible(viewer: Viewer): SelectQueryBuilder<T> {
    const qb = this.dataSource.getRepository(this.link.term).createQueryBuilder('t');
    if (isEditor(viewer)) return qb;
    // A preview key sees the terms of drafts and scheduled posts too, not those only deleted posts carry.
    if (seesUnpublished(viewer)) {
      return qb.andWhere(`EXISTS (SELECT 1 FROM ${this.link.table} l INNER JOIN posts p ON p.id = l."postId" WHERE l."${this.link.column}" = t.id AND p."deletedAt" IS NULL)`);
    }
    // A link listed by now is a published post's whose time has come (PostTag.listedAt): one look in the listing index.
    return qb.andWhere(`EXISTS (SELECT 1 FROM ${this.link.table} l WHERE l."${this.link.column}" = t.id AND l."listedAt" IS NOT NULL AND l."listedAt" <= :visibleAt)`, {
      visibleAt: this.clock.now(),
    });
  }

  async byIds(viewer: Viewer, ids: readonly number[]): Promise<T[]> {
    if (ids.length === 0) return [];
    const qb = this.visible(viewer).andWhere('t.id IN (:...ids)', { ids: [...ids] });
    return (await this.read('terms_by_ids', qb, viewer)).map((row) => this.fromRow(row));
  }

  async bySlugs(viewer: Viewer, slugs: readonly string[]): Promise<T[]> {
    if (slugs.length === 0) return [];
    const qb = this.visible(viewer).andWhere('t.slug IN (:...slugs)', { slugs: [...slugs] });
    return (await this.read('terms_by_slugs', qb, viewer)).map((row) => this.fromRow(row));
  }

  /**
   * `bySlugs`, each term with its number of published posts (PostReader.countsByParent's) read in
   * the same statement: a term page shows both, and this spares it a statement.
   */
  async bySlugsCounted(viewer: Viewer, slugs: readonly string[]): Promise<{ terms: T[]; postCounts: Map<number, number> }> {
    if (slugs.length === 0) return { terms: [], postCounts: new Map() };
    const rows = await this.read('terms_by_slugs_counted', this.counted(viewer).andWhere('t.slug IN (:...slugs)', { slugs: [...slugs] }), viewer);
    return { terms: rows.map((row) => this.fromRow(row)), postCounts: new Map(rows.map((row) => [Number(row.t_id), Number(row.post_count)])) };
  }

  /**
   * `bySlugsCounted` for one slug as a read not run, for PostReader.termWithPage, which reads the
   * term's posts in the same statement; `fromRow` and `postCountOf` read its row.
   */
  bySlugCountedQuery(viewer: Viewer, slug: string): TermRead {
    const columns = this.metadata.columns.map((c): [string, string] => [`t."${c.databaseName}"`, `t_${c.databaseName}`]);
    columns.push([listedCountSql(this.link), 'post_count']);
    return { qb: this.counted(viewer).andWhere('t.slug = :termSlug', { termSlug: slug }), slug, columns, shape: this.visibleShape(viewer) };
  }

  /** The number of published posts in a row that `bySlugCountedQuery`'s columns were read into. */
  postCountOf(row: Record<string, unknown>): number {
    return Number(row.post_count);
  }

  /** The visible terms, each with its number of published posts as `post_count`. */
  private counted(viewer: Viewer): SelectQueryBuilder<T> {
    return this.visible(viewer).addSelect(listedCountSql(this.link), 'post_count').setParameter('listedBy', this.clock.now());
  }

  /**
   * Runs a read of terms as a prepared statement on PostgreSQL (Dialect.readRows), with the text
   * its shape had the first time: a term page's term costs PostgreSQL a plan (0.15 ms) otherwise,
   * five times what running it costs.
   */
  private read(statement: string, qb: SelectQueryBuilder<T>, viewer: Viewer): Promise<Record<string, unknown>[]> {
    return dialectOf(this.dataSource).readRows(statement, withShapedText(this.dataSource, qb, `${statement}|${this.visibleShape(viewer)}`));
  }

  /** A term from a row of `t_<column>` values, as TypeORM's getMany would make it. */
  fromRow(row: Record<string, unknown>): T {
    const term = this.metadata.create() as T;
    for (const column of this.metadata.columns) {
      const value = row[`t_${column.databaseName}`];
      if (value !== undefined) column.setEntityValue(term, this.dataSource.driver.prepareHydratedValue(value, column));
    }
    return term;
  }

  /** Terms in slug order. */
  page(viewer: Viewer, args: PageArgs): Promise<Page<T>> {
    return slugOrderPage(this.visible(viewer), 't', args);
  }

  async count(viewer: Viewer): Promise<number> {
    return this.visible(viewer).getCount();
  }

  /**
   * Terms by id with every column, whoever asks: for terms a request already holds without their
   * profile columns (read inside their posts), so visibility was settled when they were read.
   */
  async withProfiles(ids: readonly number[]): Promise<T[]> {
    if (ids.length === 0) return [];
    return this.dataSource
      .getRepository(this.link.term)
      .createQueryBuilder('t')
      .where('t.id IN (:...ids)', { ids: [...ids] })
      .getMany();
  }

  /** Each post's terms in the order its front matter gave them; one statement for all posts. */
  async forPosts(postIds: readonly number[]): Promise<Map<number, T[]>> {
    const byPost = new Map<number, T[]>(postIds.map((id) => [id, []]));
    if (postIds.length === 0) return byPost;
    const { entities, raw } = await this.dataSource
      .getRepository(this.link.term)
      .createQueryBuilder('t')
      .innerJoin(this.link.table, 'l', `l."${this.link.column}" = t.id`)
      .addSelect('l."postId"', 'link_post_id')
      .where('l."postId" IN (:...postIds)', { postIds: [...postIds] })
      .orderBy('l."postId"')
      .addOrderBy('l.position')
      .getRawAndEntities();
    // getRawAndEntities returns one entity per distinct term; walk the raw rows to keep each link.
    const termsById = new Map(entities.map((t) => [t.id, t]));
    for (const row of raw as Record<string, unknown>[]) {
      const term = termsById.get(Number(row.t_id));
      byPost.get(Number(row.link_post_id))?.push(term as T);
    }
    return byPost;
  }
}
