import type { SelectQueryBuilder } from 'typeorm';
import type { Post } from '../entities';
import { CursorValue, decodeCursor, encodeCursor } from './cursor';
import { badInput } from './errors';

export type PostOrderKey = 'NEWEST' | 'OLDEST' | 'TITLE';

interface OrderSpec {
  column: 'publishedAt' | 'title';
  ascending: boolean;
}

const ORDERS: Record<PostOrderKey, OrderSpec> = {
  NEWEST: { column: 'publishedAt', ascending: false },
  OLDEST: { column: 'publishedAt', ascending: true },
  TITLE: { column: 'title', ascending: true },
};

/*
 * Keyset pagination: a cursor holds the sort value and the id of the last row seen, so a page
 * costs an index range scan however deep it is, and concurrent inserts never shift a page.
 */

export function postCursor(order: PostOrderKey, post: Post): string {
  const spec = ORDERS[order];
  const value = spec.column === 'title' ? post.title : (post.publishedAt?.toISOString() ?? null);
  return encodeCursor([value, post.id]);
}

function cursorParams(order: PostOrderKey, cursor: string, argument: string): { value: unknown; id: number } {
  const [value, id] = decodeCursor(cursor, 2, argument) as [CursorValue, CursorValue];
  const spec = ORDERS[order];
  const valid =
    typeof id === 'number' &&
    Number.isInteger(id) &&
    (spec.column === 'title' ? typeof value === 'string' : typeof value === 'string' && !Number.isNaN(Date.parse(value)));
  if (!valid) throw badInput(`\`${argument}\` is not a valid cursor for this list`, { argument });
  return { value: spec.column === 'title' ? value : new Date(value as string), id: id as number };
}

function direction(order: PostOrderKey, backward: boolean): 'ASC' | 'DESC' {
  return ORDERS[order].ascending !== backward ? 'ASC' : 'DESC';
}

/** Adds ORDER BY for reading `order` forwards or backwards. */
export function applyPostOrder(qb: SelectQueryBuilder<Post>, order: PostOrderKey, backward: boolean): void {
  const dir = direction(order, backward);
  qb.orderBy(`p.${ORDERS[order].column}`, dir).addOrderBy('p.id', dir);
}

/** The same order as SQL text, for a window function's ORDER BY (alias `p`). */
export function postOrderSql(order: PostOrderKey, backward: boolean): string {
  const dir = direction(order, backward);
  return `p."${ORDERS[order].column}" ${dir}, p.id ${dir}`;
}

/** Restricts to rows strictly after (`after`) or strictly before (`before`) the cursor in `order`. */
export function applyPostCursor(
  qb: SelectQueryBuilder<Post>,
  order: PostOrderKey,
  cursor: string,
  side: 'after' | 'before',
  argument: string,
): void {
  const spec = ORDERS[order];
  const { value, id } = cursorParams(order, cursor, argument);
  const greater = spec.ascending === (side === 'after');
  const op = greater ? '>' : '<';
  const v = `${side}Value`;
  const i = `${side}Id`;
  qb.andWhere(`(p.${spec.column} ${op} :${v} OR (p.${spec.column} = :${v} AND p.id ${op} :${i}))`, {
    [v]: value,
    [i]: id,
  });
}
