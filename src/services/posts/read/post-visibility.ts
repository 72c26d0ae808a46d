import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { PublicPostStatus } from './post-status';
import { isEditor, seesUnpublished, Viewer } from '../../access';

/** Which posts a read may return: some statuses, or every post there is (editors' direct look-ups). */
export type StatusScope = readonly PublicPostStatus[] | 'any';

const CONDITIONS: Record<PublicPostStatus, (a: string) => string> = {
  PUBLISHED: (a) => `(${a}.status = 'published' AND ${a}.publishedAt <= :visibleAt AND ${a}.deletedAt IS NULL)`,
  SCHEDULED: (a) => `(${a}.status = 'published' AND ${a}.publishedAt > :visibleAt AND ${a}.deletedAt IS NULL)`,
  DRAFT: (a) => `(${a}.status = 'draft' AND ${a}.deletedAt IS NULL)`,
  DELETED: (a) => `(${a}.deletedAt IS NOT NULL)`,
};

/** What a preview key reads: everything but deleted posts, which stay with editors (to restore them). */
const PREVIEWABLE: readonly PublicPostStatus[] = ['PUBLISHED', 'SCHEDULED', 'DRAFT'];

/** The statuses a viewer may ask for: all of them for editors and admins, all but DELETED for preview keys, else PUBLISHED. */
export function readableStatuses(viewer: Viewer): readonly PublicPostStatus[] {
  if (isEditor(viewer)) return ['PUBLISHED', 'SCHEDULED', 'DRAFT', 'DELETED'];
  return seesUnpublished(viewer) ? PREVIEWABLE : ['PUBLISHED'];
}

/** The scope a read gets: editors and admins the one asked for, preview keys that less deleted posts, everyone else published posts. */
function allowedScope(viewer: Viewer, scope: StatusScope): StatusScope {
  if (isEditor(viewer)) return scope;
  if (!seesUnpublished(viewer)) return ['PUBLISHED'];
  return scope === 'any' ? PREVIEWABLE : scope.filter((s) => s !== 'DELETED');
}

/** What of the visibility rule a statement's text depends on (statement-texts.ts): the statuses `viewer` gets for `scope`. */
export function visibilityShape(viewer: Viewer, scope: StatusScope = ['PUBLISHED']): string {
  const statuses = allowedScope(viewer, scope);
  return statuses === 'any' ? 'any' : statuses.join(',');
}

/**
 * The one rule for who sees which post. A reader without an editor's or preview key sees published
 * posts whose time has come (scheduled posts appear by the clock at read time, with no job to run),
 * whatever scope is asked for; editors and admins see the scope they ask for, preview keys that
 * scope without deleted posts. `alias` is the posts alias in the query.
 */
export function applyVisibility<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  viewer: Viewer,
  now: Date,
  scope: StatusScope = ['PUBLISHED'],
  alias = 'p',
): SelectQueryBuilder<T> {
  const statuses = allowedScope(viewer, scope);
  if (statuses === 'any') return qb;
  if (statuses.length === 0) return qb.andWhere('1 = 0');
  return qb.andWhere(`(${statuses.map((s) => CONDITIONS[s](alias)).join(' OR ')})`, { visibleAt: now });
}
