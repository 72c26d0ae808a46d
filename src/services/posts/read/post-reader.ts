import { DataSource, SelectQueryBuilder } from 'typeorm';
import { readRows } from '../../../db/read-query';
import { Post } from '../../../entities';
import type { Clock } from '../../shared';
import { badInput, KijiError } from '../../shared';
import { Page, PageArgs, pageWindow, toPage } from '../../shared';
import { applyPostCursor, applyPostOrder, postCursor, postOrderSql, PostOrderKey } from './post-order';
import type { SearchIndex, TermRarity } from '../../search';
import { parseSearchQuery } from '../../search';
import type { PublicPostStatus } from './post-status';
import { FULL_POST, PostInclude, PostRows, RelationSink } from './post-rows';
import { applyVisibility, StatusScope } from './post-visibility';
import { seesUnpublished, Viewer } from '../../access';

export interface PostFilter {
  /** Statuses to list (editors and admins only; everyone else gets published posts). */
  status?: PublicPostStatus[] | null;
  /** Full-text query: every term must match title, excerpt, tags or body. */
  query?: string | null;
  tag?: string | null;
  tags?: string[] | null;
  category?: string | null;
  author?: string | null;
  publishedAfter?: Date | null;
  publishedBefore?: Date | null;
}

/** The three relations a post list can hang from: an author's, a tag's or a category's posts. */
export type PostParent = 'author' | 'tag' | 'category';

const LINKS: Record<PostParent, { table: string; column: string; terms: string }> = {
  author: { table: 'post_authors', column: 'authorId', terms: 'authors' },
  tag: { table: 'post_tags', column: 'tagId', terms: 'tags' },
  category: { table: 'post_categories', column: 'categoryId', terms: 'categories' },
};

/**
 * Posts a reader may not see (the complement of the PUBLISHED scope in post-visibility.ts):
 * drafts, scheduled, deleted. Three parts, each read from an index (IDX_posts_feed,
 * IDX_posts_deleted) rather than from every post.
 */
const HIDDEN_POSTS =
  `SELECT id FROM posts WHERE status <> 'published' ` +
  `UNION ALL SELECT id FROM posts WHERE status = 'published' AND ("publishedAt" IS NULL OR "publishedAt" > :visibleAt) ` +
  `UNION ALL SELECT id FROM posts WHERE "deletedAt" IS NOT NULL`;

/** What to read with each post, and who keeps the relations read with it (the request's loaders). */
export interface PostRead {
  include: PostInclude;
  sink?: RelationSink;
}

const FULL_READ: PostRead = { include: FULL_POST };

/** Reads posts as a viewer may see them: single posts, filtered pages, and pages per parent. */
export class PostReader {
  private readonly rows: PostRows;

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly search: SearchIndex,
    private readonly rarity: TermRarity,
  ) {
    this.rows = new PostRows(dataSource);
  }

  /** Runs `qb` selecting what `read` asks for (`extra` adds columns); each post comes with its raw row. */
  private async read<T>(qb: SelectQueryBuilder<T & object>, read: PostRead, extra?: (qb: SelectQueryBuilder<T & object>) => void): Promise<{ post: Post; row: Record<string, unknown> }[]> {
    this.rows.select(qb, read.include);
    extra?.(qb);
    const raw = await readRows(this.dataSource, qb);
    return raw.map((row) => ({ post: this.rows.toPost(row, read.include, read.sink), row }));
  }

  private async posts(qb: SelectQueryBuilder<Post>, read: PostRead): Promise<Post[]> {
    return (await this.read(qb, read)).map((r) => r.post);
  }

  private visible(viewer: Viewer, scope?: StatusScope): SelectQueryBuilder<Post> {
    return applyVisibility(this.dataSource.getRepository(Post).createQueryBuilder('p'), viewer, this.clock.now(), scope);
  }

  /** Posts by id; an editor sees every post, deleted ones included (to restore them). */
  async byIds(viewer: Viewer, ids: readonly number[], read = FULL_READ): Promise<Post[]> {
    if (ids.length === 0) return [];
    return this.posts(this.visible(viewer, 'any').andWhere('p.id IN (:...ids)', { ids: [...ids] }), read);
  }

  async bySlugs(viewer: Viewer, slugs: readonly string[], read = FULL_READ): Promise<Post[]> {
    if (slugs.length === 0) return [];
    return this.posts(this.visible(viewer, 'any').andWhere('p.slug IN (:...slugs)', { slugs: [...slugs] }), read);
  }

  /** The order a list uses when the client names none: relevance for a search, else newest first. */
  static defaultOrder(filter: PostFilter): PostOrderKey {
    return filter.query != null ? 'RELEVANCE' : 'NEWEST';
  }

  async page(viewer: Viewer, filter: PostFilter, order: PostOrderKey, args: PageArgs, read = FULL_READ): Promise<Page<Post>> {
    const window = pageWindow(args);
    if (order === 'RELEVANCE' && filter.query == null) {
      throw badInput('`orderBy: RELEVANCE` needs `filter.query`', { argument: 'orderBy' });
    }
    const scores = new Map<number, number>();
    const cursorOf = (post: Post) => postCursor(order, post, scores.get(post.id));
    // Only a relevance order needs scores; any other order pages through every match.
    const qb = await this.filtered(viewer, filter, order === 'RELEVANCE' ? 'rank' : 'match');
    if (!qb) return toPage(window, [], cursorOf);
    const [after, before] = window.direction === 'forward' ? [window.cursor, window.bound] : [window.bound, window.cursor];
    if (after != null) applyPostCursor(qb, order, after, 'after', 'after');
    if (before != null) applyPostCursor(qb, order, before, 'before', 'before');
    if (window.limit === 0) return toPage(window, [], cursorOf);
    applyPostOrder(qb, order, window.direction === 'backward');
    qb.limit(window.limit + 1);
    if (order !== 'RELEVANCE') return toPage(window, await this.posts(qb, read), cursorOf);
    const rows = await this.read(qb, read, (q) => q.addSelect('s.score', 'search_score'));
    for (const { post, row } of rows) scores.set(post.id, Number(row.search_score));
    return toPage(window, rows.map((r) => r.post), cursorOf);
  }

  async count(viewer: Viewer, filter: PostFilter): Promise<number> {
    const onlyQuery = Object.entries(filter).every(([key, value]) => key === 'query' || value == null || (Array.isArray(value) && value.length === 0));
    const published = !seesUnpublished(viewer) || !filter.status || (filter.status.length === 1 && filter.status[0] === 'PUBLISHED');
    if (filter.query != null && onlyQuery && published) {
      // A search that matches much of the archive: count every match, less the few posts a
      // reader may not see, rather than look each match up among the posts.
      const terms = parseSearchQuery(filter.query);
      return terms.length === 0 ? 0 : this.search.countMatches(this.dataSource, terms, HIDDEN_POSTS, this.clock.now());
    }
    const qb = await this.filtered(viewer, filter, 'match');
    return qb ? qb.getCount() : 0;
  }

  /**
   * One page of posts for each parent (author, tag or category) in a single statement: a window
   * function numbers each parent's posts, and the first of each are joined back to their posts.
   */
  async pagesByParent(
    viewer: Viewer,
    parent: PostParent,
    parentIds: readonly number[],
    order: PostOrderKey,
    args: PageArgs,
    read = FULL_READ,
  ): Promise<Map<number, Page<Post>>> {
    const window = pageWindow(args);
    const link = LINKS[parent];
    const pages = new Map<number, Page<Post>>();
    const cursorOf = (post: Post) => postCursor(order, post);
    if (window.limit === 0 || parentIds.length === 0) {
      for (const id of parentIds) pages.set(id, toPage(window, [], cursorOf));
      return pages;
    }
    const inner = this.visible(viewer)
      .innerJoin(link.table, 'l', `l."postId" = p.id`)
      .andWhere(`l."${link.column}" IN (:...parentIds)`, { parentIds: [...parentIds] });
    const [after, before] = window.direction === 'forward' ? [window.cursor, window.bound] : [window.bound, window.cursor];
    if (after != null) applyPostCursor(inner, order, after, 'after', 'after');
    if (before != null) applyPostCursor(inner, order, before, 'before', 'before');
    const orderBy = postOrderSql(order, window.direction === 'backward');
    inner
      .select('p.id', 'id')
      .addSelect(`l."${link.column}"`, 'parentId')
      .addSelect(`ROW_NUMBER() OVER (PARTITION BY l."${link.column}" ORDER BY ${orderBy})`, 'rn');
    const outer = this.dataSource
      .createQueryBuilder()
      .from(`(${inner.getQuery()})`, 'n')
      .innerJoin(Post, 'p', 'p.id = n.id')
      .where('n.rn <= :take', { take: window.limit + 1 })
      .setParameters(inner.getParameters())
      .orderBy('n."parentId"')
      .addOrderBy('n.rn');
    const rows = await this.read(outer, read, (q) => q.addSelect('n."parentId"', 'parent_id'));
    const fetched = new Map<number, Post[]>();
    for (const { post, row } of rows) {
      const list = fetched.get(Number(row.parent_id)) ?? [];
      list.push(post);
      fetched.set(Number(row.parent_id), list);
    }
    for (const id of parentIds) pages.set(id, toPage(window, fetched.get(id) ?? [], cursorOf));
    return pages;
  }

  /**
   * The visible related posts of each post, best first (score, then id), at most `first` each;
   * one statement for all posts.
   */
  async relatedOf(viewer: Viewer, postIds: readonly number[], first: number, read = FULL_READ): Promise<Map<number, { post: Post; score: number }[]>> {
    const related = new Map<number, { post: Post; score: number }[]>(postIds.map((id) => [id, []]));
    if (postIds.length === 0 || first === 0) return related;
    const qb = this.visible(viewer)
      .innerJoin('related_posts', 'r', 'r."relatedId" = p.id')
      .andWhere('r."postId" IN (:...relatedOf)', { relatedOf: [...postIds] })
      .orderBy('r."postId"')
      .addOrderBy('r.score', 'DESC')
      .addOrderBy('p.id', 'ASC');
    const rows = await this.read(qb, read, (q) => q.addSelect('r."postId"', 'related_of').addSelect('r.score', 'related_score'));
    for (const { post, row } of rows) {
      const list = related.get(Number(row.related_of));
      if (list && list.length < first) list.push({ post, score: Number(row.related_score) });
    }
    return related;
  }

  /** Number of visible posts per parent, one statement for all parents. */
  async countsByParent(viewer: Viewer, parent: PostParent, parentIds: readonly number[]): Promise<Map<number, number>> {
    const link = LINKS[parent];
    const counts = new Map<number, number>(parentIds.map((id) => [id, 0]));
    if (parentIds.length === 0) return counts;
    const rows: { parentId: number; count: string | number }[] = await this.visible(viewer)
      .innerJoin(link.table, 'l', `l."postId" = p.id`)
      .andWhere(`l."${link.column}" IN (:...parentIds)`, { parentIds: [...parentIds] })
      .select(`l."${link.column}"`, 'parentId')
      .addSelect('COUNT(*)', 'count')
      .groupBy(`l."${link.column}"`)
      .getRawMany();
    for (const row of rows) counts.set(Number(row.parentId), Number(row.count));
    return counts;
  }

  /** The visible posts matching `filter`; null when the query can match nothing (punctuation only). */
  /** `match`: only which posts match a search matters; `rank`: how well too (`s.score`, see RANK_WINDOW). */
  private async filtered(viewer: Viewer, filter: PostFilter, search: 'rank' | 'match'): Promise<SelectQueryBuilder<Post> | null> {
    if (filter.tags && filter.tags.length > 20) throw badInput('`filter.tags` takes at most 20 tags', { argument: 'filter.tags' });
    if (filter.status?.some((s) => s !== 'PUBLISHED') && !seesUnpublished(viewer)) {
      throw new KijiError('FORBIDDEN', 'Only editors and admins may list posts that are not published', {
        argument: 'filter.status',
      });
    }
    const qb = this.visible(viewer, filter.status ?? undefined);
    if (filter.query != null) {
      const terms = parseSearchQuery(filter.query);
      if (terms.length === 0) return null;
      if (search === 'match') this.search.match(qb, terms);
      else await this.search.restrict(qb, terms, this.rarity);
    }
    const bySlug = (parent: PostParent, slug: string, key: string) => {
      const link = LINKS[parent];
      qb.andWhere(
        `EXISTS (SELECT 1 FROM ${link.table} l_${key} INNER JOIN ${link.terms} t_${key} ON t_${key}.id = l_${key}."${link.column}" ` +
          `WHERE l_${key}."postId" = p.id AND t_${key}.slug = :${key})`,
        { [key]: slug },
      );
    };
    if (filter.tag) bySlug('tag', filter.tag, 'tag');
    (filter.tags ?? []).forEach((slug, i) => bySlug('tag', slug, `tags${i}`));
    if (filter.category) bySlug('category', filter.category, 'category');
    if (filter.author) bySlug('author', filter.author, 'author');
    if (filter.publishedAfter) qb.andWhere('p.publishedAt > :publishedAfter', { publishedAfter: filter.publishedAfter });
    if (filter.publishedBefore) qb.andWhere('p.publishedAt < :publishedBefore', { publishedBefore: filter.publishedBefore });
    return qb;
  }
}
