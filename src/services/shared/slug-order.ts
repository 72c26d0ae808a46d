import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { decodeCursor, encodeCursor } from './cursor';
import { badInput } from './errors';
import { Page, PageArgs, pageWindow, toPage } from './paging';

/** A row listed in slug order, ties broken by id (terms, pages). */
export interface SlugOrdered {
  slug: string;
  id: number;
}

/** The cursor of a row in a slug-ordered list. */
export function slugCursor(row: SlugOrdered): string {
  return encodeCursor([row.slug, row.id]);
}

/**
 * One page of `qb` (rows aliased `alias`) in slug order, a window at a time: one more row than
 * asked, to tell whether more follow. Cursors are checked before anything runs.
 */
export async function slugOrderPage<T extends ObjectLiteral & SlugOrdered>(qb: SelectQueryBuilder<T>, alias: string, args: PageArgs): Promise<Page<T>> {
  const window = pageWindow(args);
  if (window.limit === 0) return toPage<T>(window, [], slugCursor);
  const [after, before] = window.direction === 'forward' ? [window.cursor, window.bound] : [window.bound, window.cursor];
  for (const [cursor, side] of [
    [after, 'after'],
    [before, 'before'],
  ] as const) {
    if (cursor == null) continue;
    const [slug, id] = decodeCursor(cursor, 2, side);
    if (typeof slug !== 'string' || typeof id !== 'number') throw badInput(`\`${side}\` is not a valid cursor for this list`, { argument: side });
    const op = side === 'after' ? '>' : '<';
    qb.andWhere(`(${alias}.slug ${op} :${side}Slug OR (${alias}.slug = :${side}Slug AND ${alias}.id ${op} :${side}Id))`, {
      [`${side}Slug`]: slug,
      [`${side}Id`]: id,
    });
  }
  const dir = window.direction === 'forward' ? 'ASC' : 'DESC';
  qb.orderBy(`${alias}.slug`, dir)
    .addOrderBy(`${alias}.id`, dir)
    .limit(window.limit + 1);
  return toPage<T>(window, await qb.getMany(), slugCursor);
}
