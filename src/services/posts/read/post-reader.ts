import { DataSource, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { Dialect, dialectOf } from '../../../db/dialect';
import { Post } from '../../../entities';
import { badInput, type Clock, KijiError, Page, PageArgs, pageWindow, toPage } from '../../shared';
import { isListedOrder, ListedOrderKey, postCursor, PostOrderKey } from './post-order';
import { parseSearchQuery, type SearchCounts, type SearchIndex, type PhraseRarity } from '../../search';
import type { PublicPostStatus } from './post-status';
import { FULL_POST, includeKey, PostInclude, PostRows, RelationSink } from './post-rows';
import { applyVisibility, readableStatuses, StatusScope, visibilityShape } from './post-visibility';
import { windowShape, withShapedText } from './statement-texts';
import { seesUnpublished, Viewer } from '../../access';
import {
  HIDDEN_POSTS,
  listedCountsPerParent,
  listedPostsOfTerm,
  listedPostsPerParent,
  listedShape,
  PostConditions,
  PostParent,
  postsByIds,
  postsBySlugs,
  postsByOldSlugs,
  postsPage,
  postsPerParent,
  PostStatement,
  postWithRelated,
  lateralRelated,
  relatedPosts,
  whereConditions,
} from './statements';

/** A term's read, built but not run, for a statement that reads its posts too (`termWithPage`). */
export interface TermRead {
  /** The term's query (alias `t`), restricted to the one term named `slug` and to what the viewer may see. */
  qb: SelectQueryBuilder<ObjectLiteral>;
  slug: string;
  /** The term's columns to read, as [expression, alias]. */
  columns: [expression: string, alias: string][];
  /** All the text of `qb` depends on (statement-texts.ts). */
  shape: string;
}

/** A page of posts; for a search, with the phrases (token groups) its posts were found by. */
export interface PostPage extends Page<Post> {
  phrases?: string[][];
}

export interface PostFilter extends PostConditions {
  /** Statuses to list (DELETED for editors and admins, DRAFT and SCHEDULED also for preview keys; everyone else gets published posts). */
  status?: PublicPostStatus[] | null;
  /** Full-text query: every term must match title, excerpt, tags or body. */
  query?: string | null;
}

/** What to read with each post, and who keeps the relations read with it (the request's loaders). */
export interface PostRead {
  include: PostInclude;
  sink?: RelationSink;
}

const FULL_READ: PostRead = { include: FULL_POST };

/** A filter of statuses at most (no search, no tag, author, category or date): its page's text has few shapes. */
function plainFilter(filter: PostFilter): boolean {
  return Object.entries(filter).every(([key, value]) => key === 'status' || value == null || (Array.isArray(value) && value.length === 0));
}

/**
 * Most parents (or posts, for related posts) one statement reads, one UNION ALL arm each: SQLite
 * refuses a UNION ALL of over 500 arms, and a request may ask for the posts of hundreds of terms
 * (aliases of `tags(first: 100)`), or the related posts of a feed of 100.
 */
const LISTED_PARENTS_PER_STATEMENT = 100;

/** Reads posts as a viewer may see them: single posts, filtered pages, and pages per parent. */
export class PostReader {
  private readonly rows: PostRows;
  private readonly dialect: Dialect;

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly search: SearchIndex,
    private readonly rarity: PhraseRarity,
    private readonly searchCounts: SearchCounts,
  ) {
    this.rows = new PostRows(dataSource);
    this.dialect = dialectOf(dataSource);
  }

  /**
   * Runs a statement selecting what `read` asks for; each post comes with its raw row. `shape`, when
   * given, is all the statement's text depends on besides its name and the columns read: the text is
   * then built once per shape (statement-texts.ts).
   */
  private async read(statement: PostStatement, read: PostRead, shape?: string): Promise<{ post: Post; row: Record<string, unknown> }[]> {
    const { qb } = statement;
    this.rows.select(qb, read.include);
    for (const [expression, alias] of statement.columns ?? []) qb.addSelect(expression, alias);
    if (shape !== undefined) withShapedText(this.dataSource, qb, `${statement.name}|${includeKey(read.include)}|${shape}`);
    const raw = await this.dialect.readRows(statement.name, qb);
    return raw.map((row) => ({ post: this.rows.toPost(row, read.include, read.sink), row }));
  }

  private async posts(statement: PostStatement, read: PostRead, shape?: string): Promise<Post[]> {
    return (await this.read(statement, read, shape)).map((r) => r.post);
  }

  private visible(viewer: Viewer, scope?: StatusScope, now = this.clock.now()): SelectQueryBuilder<Post> {
    return applyVisibility(this.dataSource.getRepository(Post).createQueryBuilder('p'), viewer, now, scope);
  }

  /** Posts by id; an editor sees every post, deleted ones included (to restore them). */
  async byIds(viewer: Viewer, ids: readonly number[], read = FULL_READ): Promise<Post[]> {
    if (ids.length === 0) return [];
    return this.posts(postsByIds(this.visible(viewer, 'any'), ids), read, visibilityShape(viewer, 'any'));
  }

  async bySlugs(viewer: Viewer, slugs: readonly string[], read = FULL_READ): Promise<Post[]> {
    if (slugs.length === 0) return [];
    return this.posts(postsBySlugs(this.visible(viewer, 'any'), slugs), read, visibilityShape(viewer, 'any'));
  }

  /** Posts by a slug they had before a rename: old slug → the post (its `slug` is its current one). */
  async byOldSlugs(viewer: Viewer, slugs: readonly string[], read = FULL_READ): Promise<Map<string, Post>> {
    if (slugs.length === 0) return new Map();
    const rows = await this.read(postsByOldSlugs(this.visible(viewer, 'any'), slugs), read);
    return new Map(rows.map(({ post, row }) => [String(row.old_slug), post]));
  }

  /** The order a list uses when the client names none: relevance for a search, else newest first. */
  static defaultOrder(filter: PostFilter): PostOrderKey {
    return filter.query != null ? 'RELEVANCE' : 'NEWEST';
  }

  /** A page of posts; a search's page also says which phrases its posts were found by (for snippets). */
  async page(viewer: Viewer, filter: PostFilter, order: PostOrderKey, args: PageArgs, read = FULL_READ): Promise<PostPage> {
    const window = pageWindow(args);
    if (order === 'RELEVANCE' && filter.query == null) {
      throw badInput('`orderBy: RELEVANCE` needs `filter.query`', { argument: 'orderBy' });
    }
    const scores = new Map<number, number>();
    const cursorOf = (post: Post) => postCursor(order, post, scores.get(post.id));
    // Only a relevance order needs scores; any other order pages through every match.
    const found = await this.filtered(viewer, filter, order === 'RELEVANCE' ? 'rank' : 'match');
    if (!found) return toPage(window, [], cursorOf);
    const { qb, phrases } = found;
    // Built (and its cursors checked) even for an empty page.
    const statement = postsPage(qb, order, window);
    if (window.limit === 0) return { ...toPage(window, [], cursorOf), phrases };
    const rows = await this.read(statement, read, plainFilter(filter) ? `${visibilityShape(viewer, filter.status ?? undefined)}|${order}|${windowShape(window)}` : undefined);
    if (order === 'RELEVANCE') for (const { post, row } of rows) scores.set(post.id, Number(row.search_score));
    const page = toPage(
      window,
      rows.map((r) => r.post),
      cursorOf,
    );
    return { ...page, phrases };
  }

  async count(viewer: Viewer, filter: PostFilter): Promise<number> {
    const onlyQuery = Object.entries(filter).every(([key, value]) => key === 'query' || value == null || (Array.isArray(value) && value.length === 0));
    const published = !seesUnpublished(viewer) || !filter.status || (filter.status.length === 1 && filter.status[0] === 'PUBLISHED');
    if (filter.query != null && onlyQuery && published) {
      // A search that matches much of the archive: count every match, less the few posts a
      // reader may not see, rather than look each match up among the posts.
      const phrases = parseSearchQuery(filter.query);
      if (phrases.length === 0) return 0;
      return this.searchCounts.count(phrases.flat(), () => this.search.countMatches(this.dataSource, phrases, HIDDEN_POSTS, this.clock.now()));
    }
    const found = await this.filtered(viewer, filter, 'match');
    return found ? found.qb.getCount() : 0;
  }

  /**
   * One page of published posts for each parent (author, tag or category), in a single statement;
   * by date (NEWEST, OLDEST) read from the links' listing index, whatever the viewer (these lists
   * are published posts for everyone).
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
    const pages = new Map<number, Page<Post>>();
    const cursorOf = (post: Post) => postCursor(order, post);
    if (window.limit === 0 || parentIds.length === 0) {
      for (const id of parentIds) pages.set(id, toPage(window, [], cursorOf));
      return pages;
    }
    const fetched = new Map<number, Post[]>();
    // A statement per LISTED_PARENTS_PER_STATEMENT parents: SQLite takes at most 500 arms in one UNION ALL.
    for (let at = 0; at < parentIds.length; at += LISTED_PARENTS_PER_STATEMENT) {
      const ids = parentIds.slice(at, at + LISTED_PARENTS_PER_STATEMENT);
      if (isListedOrder(order)) {
        const statement = listedPostsPerParent(this.dataSource, parent, ids, order, window, this.clock.now());
        await this.collectByParent(statement, read, fetched, listedShape(ids, order, window));
      } else {
        await this.collectByParent(postsPerParent(this.dataSource, this.visible(viewer), parent, ids, order, window), read, fetched);
      }
    }
    for (const id of parentIds) pages.set(id, toPage(window, fetched.get(id) ?? [], cursorOf));
    return pages;
  }

  /**
   * A term by slug and the page of its posts `pagesByParent` would give it, in one statement:
   * `term` is the term's read, not run (TermReader.bySlugCountedQuery). The term's row (its
   * columns as `term.columns` name them) is null when the viewer may not see the term.
   */
  async termWithPage(
    term: TermRead,
    parent: PostParent,
    order: ListedOrderKey,
    args: PageArgs,
    read = FULL_READ,
  ): Promise<{ row: Record<string, unknown> | null; page: Page<Post> }> {
    const window = pageWindow(args);
    const statement = listedPostsOfTerm(this.dataSource, term.qb, parent, term.slug, order, window, this.clock.now());
    this.rows.select(statement.qb, read.include);
    for (const [expression, alias] of term.columns) statement.qb.addSelect(expression, alias);
    withShapedText(this.dataSource, statement.qb, `${statement.name}|${includeKey(read.include)}|${term.shape}|${order}|${windowShape(window)}`);
    const rows = await this.dialect.readRows(statement.name, statement.qb);
    // A term that lists no post is one row whose post columns are all null.
    const posts = rows.filter((row) => row.post_id != null).map((row) => this.rows.toPost(row, read.include, read.sink));
    return { row: rows[0] ?? null, page: toPage(window, posts, (post) => postCursor(order, post)) };
  }

  /** Adds the posts `statement` reads to their parent's list in `fetched` (by `parent_id`). */
  private async collectByParent(statement: PostStatement, read: PostRead, fetched: Map<number, Post[]>, shape?: string): Promise<void> {
    const rows = await this.read(statement, read, shape);
    for (const { post, row } of rows) {
      const list = fetched.get(Number(row.parent_id)) ?? [];
      list.push(post);
      fetched.set(Number(row.parent_id), list);
    }
  }

  /**
   * The visible related posts of each post, best first (score, then id), at most `first` each;
   * one statement for up to LISTED_PARENTS_PER_STATEMENT posts (one subquery each).
   */
  async relatedOf(viewer: Viewer, postIds: readonly number[], first: number, read = FULL_READ): Promise<Map<number, { post: Post; score: number }[]>> {
    const related = new Map<number, { post: Post; score: number }[]>(postIds.map((id) => [id, []]));
    if (postIds.length === 0 || first <= 0) return related;
    const now = this.clock.now();
    const visible = <T extends ObjectLiteral>(qb: SelectQueryBuilder<T>) => applyVisibility(qb, viewer, now, undefined, 'q');
    for (let at = 0; at < postIds.length; at += LISTED_PARENTS_PER_STATEMENT) {
      const ids = postIds.slice(at, at + LISTED_PARENTS_PER_STATEMENT);
      const shape = `${lateralRelated(this.dataSource, ids.length) ? 'lateral' : ids.length}|${visibilityShape(viewer)}`;
      for (const { post, row } of await this.read(relatedPosts(this.dataSource, visible, ids, first, shape), read, shape)) {
        related.get(Number(row.related_of))?.push({ post, score: Number(row.related_score) });
      }
    }
    return related;
  }

  /**
   * The post a reader finds by its current `slug` (bySlugs) with its first `first` related posts
   * (relatedOf's, read as `related`), in one statement; null when no post the viewer may see has
   * that slug now (bySlugs, then byOldSlugs, answer that).
   */
  async bySlugWithRelated(
    viewer: Viewer,
    slug: string,
    first: number,
    read: PostRead,
    related: PostRead,
  ): Promise<{ post: Post; related: { post: Post; score: number }[] } | null> {
    const now = this.clock.now();
    const visibleRelated = <T extends ObjectLiteral>(qb: SelectQueryBuilder<T>) => applyVisibility(qb, viewer, now, undefined, 'q');
    const shape = `${visibilityShape(viewer, 'any')}|${visibilityShape(viewer)}|${includeKey(related.include)}`;
    const selectRelated = (list: SelectQueryBuilder<ObjectLiteral>) => {
      this.rows.select(list, related.include, 'q');
      return this.rows.keys(related.include);
    };
    const [found] = await this.read(postWithRelated(this.dataSource, this.visible(viewer, 'any', now), slug, visibleRelated, first, selectRelated, shape), read, shape);
    if (!found) return null;
    const value = found.row.related_list;
    const list = (typeof value === 'string' ? JSON.parse(value) : value) as Record<string, unknown>[];
    return {
      post: found.post,
      related: list.map((row) => ({ post: this.rows.toPost(row, related.include, related.sink), score: Number(row.related_score) })),
    };
  }

  /** Number of published posts per parent, the same for every viewer; one statement for all parents. */
  async countsByParent(parent: PostParent, parentIds: readonly number[]): Promise<Map<number, number>> {
    const counts = new Map<number, number>(parentIds.map((id) => [id, 0]));
    if (parentIds.length === 0) return counts;
    const name = `listed_counts_per_${parent}`;
    const rows = await this.dialect.readRows(name, withShapedText(this.dataSource, listedCountsPerParent(this.dataSource, parent, parentIds, this.clock.now()), name));
    for (const row of rows) counts.set(Number(row.parentId), Number(row.count));
    return counts;
  }

  /**
   * The visible posts matching `filter`, with the search's phrases when it has a query; null when
   * the query can match nothing (punctuation only). `match`: only which posts match a search
   * matters; `rank`: how well too (`s.score`, see RANK_WINDOW).
   */
  private async filtered(viewer: Viewer, filter: PostFilter, search: 'rank' | 'match'): Promise<{ qb: SelectQueryBuilder<Post>; phrases?: string[][] } | null> {
    if (filter.tags && filter.tags.length > 20) throw badInput('`filter.tags` takes at most 20 tags', { argument: 'filter.tags' });
    const refused = filter.status?.find((s) => !readableStatuses(viewer).includes(s));
    if (refused && seesUnpublished(viewer)) {
      throw new KijiError('FORBIDDEN', `A ${viewer.role} key may not list ${refused} posts; only editors and admins may`, { argument: 'filter.status' });
    }
    if (refused) {
      throw new KijiError('FORBIDDEN', 'Only editors, admins and preview keys may list posts that are not published', {
        argument: 'filter.status',
      });
    }
    const qb = this.visible(viewer, filter.status ?? undefined);
    const phrases = filter.query != null ? parseSearchQuery(filter.query) : undefined;
    if (phrases) {
      if (phrases.length === 0) return null;
      if (search === 'match') this.search.match(qb, phrases);
      else await this.search.restrict(qb, phrases, this.rarity);
    }
    return { qb: whereConditions(qb, filter), phrases };
  }
}
