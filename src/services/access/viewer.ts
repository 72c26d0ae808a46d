import { KijiError } from '../shared';

/**
 * Who is asking. Roles come from API keys; a request without a key is anonymous. A `preview` key
 * (a CMS's or staging site's preview pane) reads drafts and scheduled posts but writes nothing.
 */
export type Role = 'anonymous' | 'reader' | 'partner' | 'preview' | 'editor' | 'admin';

export interface Viewer {
  role: Role;
  keyId: string | null;
  keyName: string | null;
}

export const ANONYMOUS: Viewer = { role: 'anonymous', keyId: null, keyName: null };

/**
 * Reading drafts and scheduled posts: editors, admins and preview keys; everyone else sees published
 * posts only. Deleted posts, history and every write are for editors (isEditor), not for previews.
 */
export function seesUnpublished(viewer: Viewer): boolean {
  return isEditor(viewer) || viewer.role === 'preview';
}

/** Editors and admins: they write, and read what only editors may (deleted posts, revisions, preview links). */
export function isEditor(viewer: Viewer): boolean {
  return viewer.role === 'editor' || viewer.role === 'admin';
}

/** Writing needs an editor's or admin's key: no key is UNAUTHENTICATED, a lesser key FORBIDDEN. */
export function requireEditor(viewer: Viewer): void {
  if (viewer.role === 'anonymous') throw new KijiError('UNAUTHENTICATED', 'This needs an API key with the editor or admin role');
  if (viewer.role === 'preview') {
    throw new KijiError('FORBIDDEN', 'A preview key only reads (drafts and scheduled posts too) and may not do this; it needs the editor or admin role');
  }
  if (!isEditor(viewer)) {
    throw new KijiError('FORBIDDEN', `A ${viewer.role} key may not do this; it needs the editor or admin role`);
  }
}

/** Administering Kiji itself (webhook endpoints) needs an admin's key: no key is UNAUTHENTICATED, a lesser key FORBIDDEN. */
export function requireAdmin(viewer: Viewer): void {
  if (viewer.role === 'anonymous') throw new KijiError('UNAUTHENTICATED', 'This needs an API key with the admin role');
  if (viewer.role !== 'admin') throw new KijiError('FORBIDDEN', `A ${viewer.role} key may not do this; it needs the admin role`);
}

/** The partners' change feed: partner, editor and admin keys; anonymous clients and reader keys are FORBIDDEN (issue 14). */
export function requirePartner(viewer: Viewer): void {
  if (viewer.role !== 'partner' && viewer.role !== 'editor' && viewer.role !== 'admin') {
    throw new KijiError('FORBIDDEN', 'The change feed needs an API key with the partner, editor or admin role');
  }
}
