import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { Post } from '../../../entities';
import { CursorValue, decodeCursor, encodeCursor } from '../../shared';
import { badInput } from '../../shared';

export type PostOrderKey = 'NEWEST' | 'OLDEST' | 'TITLE' | 'RELEVANCE';

interface OrderSpec {
  /** The sort expression in a query where posts are `p` and search matches are `s`. */
  expression: string;
  /** The same as raw SQL, for a window function's ORDER BY. */
  sql: string;
  ascending: boolean;
  /** What the cursor stores besides the id. */
  kind: 'date' | 'text' | 'number';
}

const ORDERS: Record<PostOrderKey, OrderSpec> = {
  NEWEST: { expression: 'p.publishedAt', sql: 'p."publishedAt"', ascending: false, kind: 'date' },
  OLDEST: { expression: 'p.publishedAt', sql: 'p."publishedAt"', ascending: true, kind: 'date' },
  TITLE: { expression: 'p.title', sql: 'p.title', ascending: true, kind: 'text' },
  RELEVANCE: { expression: 's.score', sql: 's.score', ascending: false, kind: 'number' },
};

/*
 * Keyset pagination: a cursor holds the sort value and the id of the last row seen, so a page
 * costs an index range scan however deep it is, and concurrent inserts never shift a page.
 * Ties on the sort value are broken by id, in the same direction as the sort.
 */

/** The cursor of a post in `order`; `score` is its search relevance under RELEVANCE. */
export function postCursor(order: PostOrderKey, post: Post, score?: number): string {
  const kind = ORDERS[order].kind;
  const value = kind === 'text' ? post.title : kind === 'number' ? (score ?? 0) : (post.publishedAt?.toISOString() ?? null);
  return encodeCursor([value, post.id]);
}

function cursorParams(order: PostOrderKey, cursor: string, argument: string): { value: unknown; id: number } {
  const [value, id] = decodeCursor(cursor, 2, argument) as [CursorValue, CursorValue];
  const kind = ORDERS[order].kind;
  const valid =
    typeof id === 'number' &&
    Number.isInteger(id) &&
    (kind === 'number' ? typeof value === 'number' : typeof value === 'string' && (kind === 'text' || !Number.isNaN(Date.parse(value))));
  if (!valid) throw badInput(`\`${argument}\` is not a valid cursor for this list`, { argument });
  return { value: kind === 'date' ? new Date(value as string) : value, id };
}

function direction(order: PostOrderKey, backward: boolean): 'ASC' | 'DESC' {
  return ORDERS[order].ascending !== backward ? 'ASC' : 'DESC';
}

/** Adds ORDER BY for reading `order` forwards or backwards. */
export function applyPostOrder(qb: SelectQueryBuilder<Post>, order: PostOrderKey, backward: boolean): void {
  const dir = direction(order, backward);
  qb.orderBy(ORDERS[order].expression, dir).addOrderBy('p.id', dir);
}

/** The same order as SQL text, for a window function's ORDER BY (alias `p`). */
export function postOrderSql(order: PostOrderKey, backward: boolean): string {
  const dir = direction(order, backward);
  return `${ORDERS[order].sql} ${dir}, p.id ${dir}`;
}

/** Restricts to rows strictly after (`after`) or strictly before (`before`) the cursor in `order`. */
export function applyPostCursor(qb: SelectQueryBuilder<Post>, order: PostOrderKey, cursor: string, side: 'after' | 'before', argument: string): void {
  const spec = ORDERS[order];
  const { value, id } = cursorParams(order, cursor, argument);
  const op = spec.ascending === (side === 'after') ? '>' : '<';
  const v = `${side}Value`;
  const i = `${side}Id`;
  qb.andWhere(`(${spec.expression} ${op} :${v} OR (${spec.expression} = :${v} AND p.id ${op} :${i}))`, {
    [v]: value,
    [i]: id,
  });
}

/** The orders in which a term's links list its posts (`listedAt`, `postId` are the posts' `publishedAt`, `id`). */
export type ListedOrderKey = 'NEWEST' | 'OLDEST';

export function isListedOrder(order: PostOrderKey): order is ListedOrderKey {
  return order === 'NEWEST' || order === 'OLDEST';
}

/** Adds to ORDER BY the order of a term's links (`alias`), read forwards or backwards: the same order as `applyPostOrder`'s. */
export function addListedOrder(qb: SelectQueryBuilder<ObjectLiteral>, order: ListedOrderKey, backward: boolean, alias = 'l'): void {
  const dir = direction(order, backward);
  qb.addOrderBy(`${alias}."listedAt"`, dir).addOrderBy(`${alias}."postId"`, dir);
}

/**
 * `applyPostCursor` on a term's links (alias `l`), as one row-value comparison: the same rows, and
 * the index range of the links' listing index starts at the cursor, so a deep page reads no more.
 */
export function applyListedCursor(qb: SelectQueryBuilder<ObjectLiteral>, order: ListedOrderKey, cursor: string, side: 'after' | 'before', argument: string): void {
  const { value, id } = cursorParams(order, cursor, argument);
  const op = ORDERS[order].ascending === (side === 'after') ? '>' : '<';
  qb.andWhere(`(l."listedAt", l."postId") ${op} (:${side}Value, :${side}Id)`, { [`${side}Value`]: value, [`${side}Id`]: id });
}
