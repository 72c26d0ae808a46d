import type { DataSource, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { dialectOf } from '../../../db/dialect';
import { Post, POST_LINKS, PostLink } from '../../../entities';
import type { PageWindow } from '../../shared';
import { shapedText, windowShape } from './statement-texts';
import { addListedOrder, applyListedCursor, applyPostCursor, applyPostOrder, ListedOrderKey, postOrderSql, PostOrderKey } from './post-order';

/*
 * Every statement the post reads run, one function each. Each starts from the visible posts
 * (post-visibility.ts, alias `p`), or for term pages (`listed…`) from the links listed by now,
 * which are the PUBLISHED posts' links (PostLinks.ts `listedAt`), and returns the statement with
 * the name it is prepared under; post-rows.ts then selects the columns and relations a read asks for.
 */

/** A read of posts: its prepared statement's name, its query, and columns it adds to the post's own. */
export interface PostStatement {
  name: string;
  qb: SelectQueryBuilder<Post>;
  columns?: [expression: string, alias: string][];
}

/** The three relations a post list can hang from: an author's, a tag's or a category's posts. */
export type PostParent = 'author' | 'tag' | 'category';

const PARENT_LINKS: Record<PostParent, PostLink> = { author: POST_LINKS.authors, tag: POST_LINKS.tags, category: POST_LINKS.categories };

/**
 * Posts a reader may not see (the complement of the PUBLISHED scope in post-visibility.ts):
 * drafts, scheduled, deleted. Three parts, each read from an index (IDX_posts_feed,
 * IDX_posts_deleted) rather than from every post. A subquery for the search index's count.
 */
export const HIDDEN_POSTS =
  // Two ranges rather than `<>`, which no index serves: `<>` read every post (7 ms at 10,000 posts).
  `SELECT id FROM posts WHERE status < 'published' UNION ALL SELECT id FROM posts WHERE status > 'published' ` +
  `UNION ALL SELECT id FROM posts WHERE status = 'published' AND ("publishedAt" IS NULL OR "publishedAt" > :visibleAt) ` +
  `UNION ALL SELECT id FROM posts WHERE "deletedAt" IS NOT NULL`;

export function postsByIds(visible: SelectQueryBuilder<Post>, ids: readonly number[]): PostStatement {
  return { name: 'posts_by_ids', qb: visible.andWhere('p.id IN (:...ids)', { ids: [...ids] }) };
}

export function postsBySlugs(visible: SelectQueryBuilder<Post>, slugs: readonly string[]): PostStatement {
  return { name: 'posts_by_slugs', qb: visible.andWhere('p.slug IN (:...slugs)', { slugs: [...slugs] }) };
}

/** Posts by slugs they had before a rename (post_old_slugs); `old_slug` says which. */
export function postsByOldSlugs(visible: SelectQueryBuilder<Post>, slugs: readonly string[]): PostStatement {
  const qb = visible.innerJoin('post_old_slugs', 'o', 'o."postId" = p.id').andWhere('o.slug IN (:...oldSlugs)', { oldSlugs: [...slugs] });
  return { name: 'posts_by_old_slugs', qb, columns: [['o.slug', 'old_slug']] };
}

/** What a list of posts can be filtered by, besides the search query (the search index's). */
export interface PostConditions {
  tag?: string | null;
  tags?: string[] | null;
  category?: string | null;
  author?: string | null;
  publishedAfter?: Date | null;
  publishedBefore?: Date | null;
}

/** Restricts `qb` to posts carrying the tags, category and author named (by slug), published in the bounds. */
export function whereConditions(qb: SelectQueryBuilder<Post>, conditions: PostConditions): SelectQueryBuilder<Post> {
  const bySlug = (parent: PostParent, slug: string, key: string) => {
    const link = PARENT_LINKS[parent];
    qb.andWhere(
      `EXISTS (SELECT 1 FROM ${link.table} l_${key} INNER JOIN ${link.termTable} t_${key} ON t_${key}.id = l_${key}."${link.column}" ` +
        `WHERE l_${key}."postId" = p.id AND t_${key}.slug = :${key})`,
      { [key]: slug },
    );
  };
  if (conditions.tag) bySlug('tag', conditions.tag, 'tag');
  (conditions.tags ?? []).forEach((slug, i) => bySlug('tag', slug, `tags${i}`));
  if (conditions.category) bySlug('category', conditions.category, 'category');
  if (conditions.author) bySlug('author', conditions.author, 'author');
  if (conditions.publishedAfter) qb.andWhere('p.publishedAt > :publishedAfter', { publishedAfter: conditions.publishedAfter });
  if (conditions.publishedBefore) qb.andWhere('p.publishedAt < :publishedBefore', { publishedBefore: conditions.publishedBefore });
  return qb;
}

/** Adds the window's cursors to `qb`; they are checked here, before anything runs. */
function applyCursors(qb: SelectQueryBuilder<Post>, order: PostOrderKey, window: PageWindow): void {
  const [after, before] = window.direction === 'forward' ? [window.cursor, window.bound] : [window.bound, window.cursor];
  if (after != null) applyPostCursor(qb, order, after, 'after', 'after');
  if (before != null) applyPostCursor(qb, order, before, 'before', 'before');
}

/** One page of `filtered` (a search's ranking, if any, as `s.score`): one more row than the page, to tell whether more follow. */
export function postsPage(filtered: SelectQueryBuilder<Post>, order: PostOrderKey, window: PageWindow): PostStatement {
  applyCursors(filtered, order, window);
  applyPostOrder(filtered, order, window.direction === 'backward');
  filtered.limit(window.limit + 1);
  return { name: 'posts_page', qb: filtered, columns: order === 'RELEVANCE' ? [['s.score', 'search_score']] : undefined };
}

/**
 * One page of posts for each parent in a single statement: a window function numbers each
 * parent's posts, and the first of each are joined back to their posts (`parent_id` says whose).
 */
export function postsPerParent(
  dataSource: DataSource,
  visible: SelectQueryBuilder<Post>,
  parent: PostParent,
  parentIds: readonly number[],
  order: PostOrderKey,
  window: PageWindow,
): PostStatement {
  const link = PARENT_LINKS[parent];
  const inner = visible.innerJoin(link.table, 'l', `l."postId" = p.id`).andWhere(`l."${link.column}" IN (:...parentIds)`, { parentIds: [...parentIds] });
  applyCursors(inner, order, window);
  const orderBy = postOrderSql(order, window.direction === 'backward');
  inner.select('p.id', 'id').addSelect(`l."${link.column}"`, 'parentId').addSelect(`ROW_NUMBER() OVER (PARTITION BY l."${link.column}" ORDER BY ${orderBy})`, 'rn');
  const outer = dataSource
    .createQueryBuilder()
    .from(`(${inner.getQuery()})`, 'n')
    .innerJoin(Post, 'p', 'p.id = n.id')
    .where('n.rn <= :take', { take: window.limit + 1 })
    .setParameters(inner.getParameters())
    .orderBy('n."parentId"')
    .addOrderBy('n.rn');
  return { name: `posts_per_${parent}`, qb: outer as SelectQueryBuilder<Post>, columns: [['n."parentId"', 'parent_id']] };
}

/**
 * `postsPerParent` for the NEWEST and OLDEST orders, read from the links' listing index
 * (IDX_post_tags_listed and its kin, entities/PostLinks.ts): for each parent, the first
 * `limit + 1` of its links listed by `now`, past the cursors, in the page's order. That is one
 * range of the index however many posts the parent carries, where numbering them all costs a
 * popular tag a sort of every one of its posts at every request. One subquery per parent, joined
 * by UNION ALL (SQLite takes ORDER BY and LIMIT only inside a subquery), then to their posts by id.
 * A link listed by now is a PUBLISHED post (post-visibility.ts) by construction, so the posts are
 * not filtered again: with a condition on the posts, SQLite's planner reads every visible post
 * through IDX_posts_feed and looks for it among the links. The same rows, order, `parent_id` and
 * cursors as postsPerParent: links list posts by (publishedAt, id).
 */
export function listedPostsPerParent(
  dataSource: DataSource,
  parent: PostParent,
  parentIds: readonly number[],
  order: ListedOrderKey,
  window: PageWindow,
  now: Date,
): PostStatement {
  const link = PARENT_LINKS[parent];
  const parts = parentIds.map((id, i) => listedLinks(dataSource, link, `l."${link.column}" = :parent${i}`, { [`parent${i}`]: id }, order, window, now));
  const union = shapedText(dataSource, `listed_union_${parent}|${listedShape(parentIds, order, window)}`, () =>
    parts.map((qb, i) => `SELECT * FROM (${qb.getQuery()}) u${i}`).join(' UNION ALL '),
  );
  const qb = dataSource.createQueryBuilder().from(`(${union})`, 'n').innerJoin(Post, 'p', 'p.id = n."postId"');
  for (const part of parts) qb.setParameters(part.getParameters());
  addListedOrder(qb.orderBy('n."parentId"'), order, window.direction === 'backward', 'n');
  return { name: `listed_posts_per_${parent}`, qb: qb as SelectQueryBuilder<Post>, columns: [['n."parentId"', 'parent_id']] };
}

/**
 * The first `limit + 1` links of one parent (`parentCondition` on the links aliased `l`) listed by
 * `now`, past the window's cursors, in the page's order: one range of the listing index.
 */
function listedLinks(
  dataSource: DataSource,
  link: PostLink,
  parentCondition: string,
  parameters: ObjectLiteral,
  order: ListedOrderKey,
  window: PageWindow,
  now: Date,
): SelectQueryBuilder<ObjectLiteral> {
  const [after, before] = window.direction === 'forward' ? [window.cursor, window.bound] : [window.bound, window.cursor];
  const qb = dataSource
    .createQueryBuilder()
    .select('l."postId"', 'postId')
    .addSelect(`l."${link.column}"`, 'parentId')
    .addSelect('l."listedAt"', 'listedAt')
    .from(link.table, 'l')
    .where(parentCondition, parameters)
    .andWhere('l."listedAt" IS NOT NULL AND l."listedAt" <= :listedBy', { listedBy: now });
  if (after != null) applyListedCursor(qb, order, after, 'after', 'after');
  if (before != null) applyListedCursor(qb, order, before, 'before', 'before');
  addListedOrder(qb, order, window.direction === 'backward');
  return qb.limit(window.limit + 1);
}

/**
 * A term page in one statement: `term` (the term's own read, aliased `t`, of the one term named
 * `slug`) with the page of its posts that `listedPostsPerParent` would read for it, one row per
 * post (the term's columns repeated), or one row with no post for a term that lists none. The
 * links are found by the slug, not by `t.id`: joining a subquery that names `t` needs LATERAL,
 * which SQLite lacks. Spares a term page the second statement (and its round trip) that reading
 * the term, then its posts by the term's id, costs.
 */
export function listedPostsOfTerm(
  dataSource: DataSource,
  term: SelectQueryBuilder<ObjectLiteral>,
  parent: PostParent,
  slug: string,
  order: ListedOrderKey,
  window: PageWindow,
  now: Date,
): PostStatement {
  const link = PARENT_LINKS[parent];
  const termId = `(SELECT s.id FROM ${link.termTable} s WHERE s.slug = :pageTermSlug)`;
  const links = listedLinks(dataSource, link, `l."${link.column}" = ${termId}`, { pageTermSlug: slug }, order, window, now);
  // Written once per shape: the whole statement's text is (termWithPage), but only after this part was written into it.
  const linksText = shapedText(dataSource, `listed_links_of_${parent}|${order}|${windowShape(window)}`, () => links.getQuery());
  const qb = term.leftJoin(`(${linksText})`, 'n', 'n."parentId" = t.id').leftJoin(Post, 'p', 'p.id = n."postId"');
  qb.setParameters(links.getParameters());
  addListedOrder(qb.orderBy(), order, window.direction === 'backward', 'n');
  return { name: `listed_posts_of_${parent}`, qb: qb as SelectQueryBuilder<Post> };
}

/** All the text of `listedPostsPerParent` depends on besides the parent and the columns read (statement-texts.ts). */
export function listedShape(parentIds: readonly number[], order: ListedOrderKey, window: PageWindow): string {
  return `${parentIds.length}|${order}|${windowShape(window)}`;
}

/**
 * The first `first` visible related posts of each post (`related_of`), best first (`related_score`,
 * then id). One subquery per post reads its stored list in that order from IDX_related_posts_ranked
 * and stops at the `first`th visible one, where joining the whole list (20 posts) and sorting it
 * read four times the posts an article page shows. `visible` restricts the posts aliased `q`.
 * `first` is a parameter (SQLite takes LIMIT only inside a subquery of a UNION ALL): PostgreSQL
 * then keeps its generic plan; with the number in the text, it thought the generic plan would read
 * a third of the list ("publishedAt <= $1") and planned every run anew.
 *
 * On PostgreSQL, for more than one post, the subquery is one LATERAL join over the posts given as
 * one array, a text the same for any number of posts: a UNION ALL arm per post made a text per
 * count, each prepared on every connection (5 MB of plan for 100 arms). An article page's one post
 * keeps its one arm: PostgreSQL plans the LATERAL form at every run (0.36 → 0.65 ms of its CPU per
 * article page). SQLite has no LATERAL: there each post is an arm, its statement cache bounded by
 * the driver. `lateralRelated` says which form a read takes.
 */
export function relatedPosts(
  dataSource: DataSource,
  visible: (qb: SelectQueryBuilder<ObjectLiteral>) => SelectQueryBuilder<ObjectLiteral>,
  postIds: readonly number[],
  first: number,
  shape: string,
): PostStatement {
  const list = (where: string, parameters: ObjectLiteral) => relatedList(dataSource, visible, where, parameters);
  const parameters: ObjectLiteral = { relatedFirst: first };
  let lists: string;
  if (lateralRelated(dataSource, postIds.length)) {
    const each = list('r."postId" = o.id', {});
    lists = shapedText(
      dataSource,
      `related_lateral|${shape}`,
      () => `SELECT l.* FROM unnest(CAST(:relatedOf AS integer[])) AS o(id) CROSS JOIN LATERAL (${each.getQuery()} LIMIT :relatedFirst) l`,
    );
    Object.assign(parameters, each.getParameters(), { relatedOf: [...postIds] });
  } else {
    const parts = postIds.map((id, i) => list(`r."postId" = :relatedOf${i}`, { [`relatedOf${i}`]: id }));
    lists = shapedText(dataSource, `related_union|${shape}`, () => parts.map((qb, i) => `SELECT * FROM (${qb.getQuery()} LIMIT :relatedFirst) u${i}`).join(' UNION ALL '));
    for (const part of parts) Object.assign(parameters, part.getParameters());
  }
  const qb = dataSource.createQueryBuilder().from(`(${lists})`, 'n').innerJoin(Post, 'p', 'p.id = n."relatedId"');
  qb.setParameters(parameters).orderBy('n."postId"').addOrderBy('n.score', 'DESC').addOrderBy('p.id', 'ASC');
  return {
    name: 'posts_related',
    qb: qb as SelectQueryBuilder<Post>,
    columns: [
      ['n."postId"', 'related_of'],
      ['n.score', 'related_score'],
    ],
  };
}

/**
 * The stored related lists of the posts `where` picks (on `r."postId"`), best first (score, then
 * id), the related posts aliased `q` and restricted by `visible`; its columns are the caller's.
 */
function relatedList(
  dataSource: DataSource,
  visible: (qb: SelectQueryBuilder<ObjectLiteral>) => SelectQueryBuilder<ObjectLiteral>,
  where: string,
  parameters: ObjectLiteral,
): SelectQueryBuilder<ObjectLiteral> {
  return visible(
    dataSource
      .createQueryBuilder()
      .select('r."postId"', 'postId')
      .addSelect('r."relatedId"', 'relatedId')
      .addSelect('r.score', 'score')
      .from('related_posts', 'r')
      .innerJoin(Post, 'q', 'q.id = r."relatedId"')
      .where(where, parameters),
  )
    .orderBy('r.score', 'DESC')
    .addOrderBy('r."relatedId"', 'ASC');
}

/**
 * An article page in one statement: the post by `slug` (`visible`, alias `p`), with the first
 * `first` visible posts of its stored related list, best first, as relatedPosts reads them, in one
 * JSON column (`related_list`), where reading them by the post's id took a second statement and
 * round trip. `shape` is all the list's text depends on (statement-texts.ts). `selectRelated` selects the related posts' columns (alias `q`) and names them; each
 * element of the list is such a row, with `related_score`. The list is a scalar subquery of the
 * post's row, so the post's own columns (its body) are read once, not once per related post.
 */
export function postWithRelated(
  dataSource: DataSource,
  visible: SelectQueryBuilder<Post>,
  slug: string,
  visibleRelated: (qb: SelectQueryBuilder<ObjectLiteral>) => SelectQueryBuilder<ObjectLiteral>,
  first: number,
  selectRelated: (list: SelectQueryBuilder<ObjectLiteral>) => readonly string[],
  shape: string,
): PostStatement {
  const list = relatedList(dataSource, visibleRelated, 'r."postId" = p.id', {});
  const keys = [...selectRelated(list), 'related_score'];
  list.addSelect('r.score', 'related_score');
  const pairs = keys.map((key) => `'${key}', x."${key}"`).join(', ');
  const column = shapedText(
    dataSource,
    `related_list|${shape}`,
    () => `(SELECT ${dialectOf(dataSource).jsonArray(pairs, 'x."related_score" DESC, x."post_id"')} FROM (${list.getQuery()} LIMIT :relatedFirst) x)`,
  );
  const qb = visible.andWhere('p.slug = :slug', { slug }).setParameters({ ...list.getParameters(), relatedFirst: first });
  return { name: 'post_with_related', qb, columns: [[column, 'related_list']] };
}

/** Whether `relatedPosts` reads the lists of `posts` posts in its LATERAL form, whose text is the same for any number of them. */
export function lateralRelated(dataSource: DataSource, posts: number): boolean {
  return posts > 1 && dialectOf(dataSource).kind === 'postgres';
}

/**
 * How many published posts each parent has: its listed links (`listedCount`, kept by the writes)
 * less those listed for later (scheduled posts), which the listing index finds without reading the
 * others; rows of `parentId` and `count`. Costs a parent with 30,000 posts what it costs one with 3.
 */
export function listedCountsPerParent(dataSource: DataSource, parent: PostParent, parentIds: readonly number[], now: Date): SelectQueryBuilder<ObjectLiteral> {
  const link = PARENT_LINKS[parent];
  return dataSource
    .createQueryBuilder()
    .from(link.termTable, 't')
    .select('t.id', 'parentId')
    .addSelect(listedCountSql(link), 'count')
    .where('t.id IN (:...parentIds)', { parentIds: [...parentIds], listedBy: now });
}

/** `listedCountsPerParent`'s count of the term aliased `t` (a `link` term), as of `:listedBy`; for reads of terms that carry it. */
export function listedCountSql(link: PostLink): string {
  return `t."listedCount" - (SELECT COUNT(*) FROM ${link.table} l WHERE l."${link.column}" = t.id AND l."listedAt" > :listedBy)`;
}
