/** Who is asking. Roles come from API keys; a request without a key is anonymous. */
export type Role = 'anonymous' | 'reader' | 'partner' | 'editor' | 'admin';

export interface Viewer {
  role: Role;
  keyId: string | null;
  keyName: string | null;
}

export const ANONYMOUS: Viewer = { role: 'anonymous', keyId: null, keyName: null };

/** Editors and admins see drafts, scheduled and deleted posts; everyone else sees published ones. */
export function seesUnpublished(viewer: Viewer): boolean {
  return viewer.role === 'editor' || viewer.role === 'admin';
}
