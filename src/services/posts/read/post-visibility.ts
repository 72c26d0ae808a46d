import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { PublicPostStatus } from './post-status';
import { seesUnpublished, Viewer } from '../../access';

/** Which posts a read may return: some statuses, or every post there is (editors' direct look-ups). */
export type StatusScope = readonly PublicPostStatus[] | 'any';

const CONDITIONS: Record<PublicPostStatus, (a: string) => string> = {
  PUBLISHED: (a) => `(${a}.status = 'published' AND ${a}.publishedAt <= :visibleAt AND ${a}.deletedAt IS NULL)`,
  SCHEDULED: (a) => `(${a}.status = 'published' AND ${a}.publishedAt > :visibleAt AND ${a}.deletedAt IS NULL)`,
  DRAFT: (a) => `(${a}.status = 'draft' AND ${a}.deletedAt IS NULL)`,
  DELETED: (a) => `(${a}.deletedAt IS NOT NULL)`,
};

/**
 * The one rule for who sees which post. A reader without an editor's key sees published posts
 * whose time has come (scheduled posts appear by the clock at read time, with no job to run),
 * whatever scope is asked for; editors and admins see the scope they ask for. `alias` is the
 * posts alias in the query.
 */
export function applyVisibility<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  viewer: Viewer,
  now: Date,
  scope: StatusScope = ['PUBLISHED'],
  alias = 'p',
): SelectQueryBuilder<T> {
  const statuses = seesUnpublished(viewer) ? scope : ['PUBLISHED' as const];
  if (statuses === 'any') return qb;
  if (statuses.length === 0) return qb.andWhere('1 = 0');
  return qb.andWhere(`(${statuses.map((s) => CONDITIONS[s](alias)).join(' OR ')})`, { visibleAt: now });
}
