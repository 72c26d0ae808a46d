import type { DataSource, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { Dialect, dialectOf, readTimestamp } from '../../../db/dialect';
import { Author, Category, Post, POST_LINK_NAMES, POST_LINKS, PostLinkName, Tag } from '../../../entities';

/**
 * What a read of posts brings back besides the card (title, slug, dates, status…): the body
 * columns, and the post's authors, tags and categories. The GraphQL layer asks only for what
 * the operation selects, so a feed of 20 posts with authors and tags is one statement that
 * carries no bodies, instead of three statements and 20 bodies nobody shows.
 */
export interface PostInclude {
  /**
   * The body columns: all of them, or those named. An article page shows `bodyHtml` alone; the
   * Markdown is as long again, and both are stored compressed out of line (TOAST), so each one
   * read is another look-up, decompressed, sent and decoded.
   */
  body?: boolean | readonly BodyColumn[];
  /** The cover image and SEO columns (`coverImage`, `seo`), read only when shown. */
  meta?: boolean;
  authors?: boolean;
  tags?: boolean;
  categories?: boolean;
}

export const FULL_POST: PostInclude = { body: true, meta: true };

/** A post's relations read with it, for the per-request loaders to keep. */
export interface PostRelations {
  authors?: Author[];
  tags?: Tag[];
  categories?: Category[];
}

/** Called with every post read and the relations read with it. */
export type RelationSink = (postId: number, relations: PostRelations) => void;

/** Columns left out of a card: large, and only shown on an article page or to editors. */
export const BODY_COLUMNS = ['bodyMarkdown', 'bodyHtml', 'headings', 'frontMatter', 'contentIssues', 'sourcePath', 'sourceHash'] as const;
export type BodyColumn = (typeof BODY_COLUMNS)[number];
const BODY_SET: ReadonlySet<string> = new Set(BODY_COLUMNS);

/** The body columns `include` reads (`body: true`: all of them). */
function bodyColumnsOf(include: PostInclude): readonly BodyColumn[] {
  if (!include.body) return [];
  return include.body === true ? BODY_COLUMNS : BODY_COLUMNS.filter((c) => (include.body as readonly BodyColumn[]).includes(c));
}

/** Columns of `Post.coverImage` and `Post.seo`: small, but a feed that shows neither reads neither. */
const META_COLUMNS = new Set(['coverImage', 'seo', 'noindex']);

/**
 * Term columns left out of the terms read inside a post's row: profiles (an author's avatar and
 * links, a tag's or category's description) are shown on term pages, not in feeds, and carrying
 * them in every row cost the feed's statement about 4% on PostgreSQL. Shown, they are read by a
 * batched loader (`withProfile`, graphql/term-profile.ts).
 */
export const PROFILE_COLUMNS: ReadonlySet<string> = new Set(['avatarUrl', 'links', 'description']);

/** Term columns that only serve term pages' counts (`listedCount`), never shown with a post. */
const COUNT_COLUMNS: ReadonlySet<string> = new Set(['listedCount']);

/** The name of each relation's JSON column in a row that `select` made. */
const RELATION_KEYS: Record<PostLinkName, string> = { authors: 'rel_authors', tags: 'rel_tags', categories: 'rel_categories' };

/** A stable key for an include, for loaders that batch reads with the same include together. */
export function includeKey(include: PostInclude): string {
  return `${bodyKey(include)}${include.meta ? 'm' : ''}${include.authors ? 'a' : ''}${include.tags ? 't' : ''}${include.categories ? 'c' : ''}`;
}

/** `b` for every body column, else `b(…)` naming those read; empty for none. */
function bodyKey(include: PostInclude): string {
  if (include.body === true) return 'b';
  const columns = bodyColumnsOf(include);
  return columns.length === 0 ? '' : `b(${columns.join(',')})`;
}

interface ColumnMap {
  property: string;
  column: string;
  /** Its name in a row that `select` made (`post_<column>`), made once: a name built per row and column costs more than reading the value. */
  key: string;
  kind: 'date' | 'json' | 'plain';
}

/**
 * Turns rows read with raw SQL into Post entities, without the ORM's per-row hydration (the
 * largest cost of a feed request once the statements are few). Column lists come from the
 * entity metadata, so a new column is read without a change here.
 */
export class PostRows {
  private readonly postColumns: ColumnMap[];
  /** The columns of each combination of body columns and meta read, made once; a card reads neither. */
  private readonly columnSets = new Map<string, ColumnMap[]>();
  /** The same by include, for the rows of one read: a key built per row costs more than reading the value. */
  private readonly columnsByInclude = new WeakMap<PostInclude, ColumnMap[]>();
  private readonly termColumns: Record<PostLinkName, string[]>;
  private readonly dialect: Dialect;

  constructor(dataSource: DataSource) {
    this.dialect = dialectOf(dataSource);
    this.postColumns = dataSource.getMetadata(Post).columns.map((c) => ({
      property: c.propertyName,
      column: c.databaseName,
      key: `post_${c.databaseName}`,
      kind: c.type === Date || c.type === 'datetime' || c.type === 'timestamp' ? 'date' : c.type === 'simple-json' ? 'json' : 'plain',
    }));
    const columnsOf = (name: PostLinkName) =>
      dataSource
        .getMetadata(POST_LINKS[name].term)
        .columns.map((c) => c.databaseName)
        .filter((c) => !PROFILE_COLUMNS.has(c) && !COUNT_COLUMNS.has(c));
    this.termColumns = { authors: columnsOf('authors'), tags: columnsOf('tags'), categories: columnsOf('categories') };
  }

  /** Replaces the selection of `qb` (posts aliased `alias`) with the post columns and relations asked for. */
  select<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, include: PostInclude, alias = 'p'): SelectQueryBuilder<T> {
    qb.select([]);
    for (const c of this.columns(include)) qb.addSelect(`${alias}."${c.column}"`, c.key);
    for (const name of POST_LINK_NAMES) if (include[name]) qb.addSelect(this.relationJson(name, alias), RELATION_KEYS[name]);
    return qb;
  }

  /** The names `select` gives the columns it selects for `include`, for reads that nest its rows as JSON objects. */
  keys(include: PostInclude): string[] {
    const relations = POST_LINK_NAMES.filter((name) => include[name]).map((name) => RELATION_KEYS[name]);
    return [...this.columns(include).map((c) => c.key), ...relations];
  }

  /** The post (and its relations, given to `sink`) from a row selected by `select`. */
  toPost(row: Record<string, unknown>, include: PostInclude, sink?: RelationSink): Post {
    const post = new Post() as unknown as Record<string, unknown>;
    for (const c of this.columns(include)) {
      const value = row[c.key];
      post[c.property] = c.kind === 'date' ? readTimestamp(value) : c.kind === 'json' && typeof value === 'string' ? JSON.parse(value) : value;
    }
    post.id = Number(post.id);
    if (sink) {
      const relations: PostRelations = {};
      for (const name of POST_LINK_NAMES) if (include[name]) relations[name] = this.terms(name, row[RELATION_KEYS[name]]) as never;
      sink(post.id as number, relations);
    }
    return post as unknown as Post;
  }

  private columns(include: PostInclude): ColumnMap[] {
    let columns = this.columnsByInclude.get(include);
    if (columns) return columns;
    const key = `${bodyKey(include)}${include.meta ? 'm' : ''}`;
    columns = this.columnSets.get(key);
    if (!columns) {
      const body: ReadonlySet<string> = new Set(bodyColumnsOf(include));
      columns = this.postColumns.filter((c) => (!BODY_SET.has(c.property) || body.has(c.property)) && (!META_COLUMNS.has(c.property) || include.meta));
      this.columnSets.set(key, columns);
    }
    this.columnsByInclude.set(include, columns);
    return columns;
  }

  /** A JSON array of the post's terms in link order (`position`), as one scalar subquery. */
  private relationJson(name: PostLinkName, alias: string): string {
    const link = POST_LINKS[name];
    const pairs = this.termColumns[name].map((c) => `'${c}', rt."${c}"`).join(', ');
    const from = `FROM ${link.table} rl INNER JOIN ${link.termTable} rt ON rt.id = rl."${link.column}" WHERE rl."postId" = ${alias}.id`;
    return `(SELECT ${this.dialect.jsonArray(pairs, 'rl.position')} ${from})`;
  }

  private terms(name: PostLinkName, value: unknown): ObjectLiteral[] {
    const list = (typeof value === 'string' ? JSON.parse(value) : (value ?? [])) as ObjectLiteral[];
    const entity = POST_LINKS[name].term;
    return list.map((fields) => Object.assign(new entity(), fields));
  }
}
