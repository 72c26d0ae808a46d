import type { SelectQueryBuilder, ObjectLiteral } from 'typeorm';
import { seesUnpublished, Viewer } from './viewer';

/**
 * The one rule for who sees which post: published, and its time has come (scheduled posts
 * appear by the clock at read time, with no job to run). Editors and admins see everything
 * except what they filter out. `alias` is the posts alias in the query.
 */
export function applyVisibility<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  viewer: Viewer,
  now: Date,
  alias = 'p',
): SelectQueryBuilder<T> {
  if (seesUnpublished(viewer)) return qb.andWhere(`${alias}.status <> 'deleted'`);
  return qb.andWhere(`${alias}.status = 'published' AND ${alias}.publishedAt <= :visibleAt`, { visibleAt: now });
}
