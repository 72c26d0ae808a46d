/**
 * Writing posts: the one crash-safe write path (post-store.ts) that imports and editors' mutations
 * go through, editors' input checks, and the lock that makes Kiji's writers take turns. The
 * statements on posts, links and revisions are in statements.ts.
 * This file is the folder's public face: code outside it imports from here.
 */
export { IMPORT_ACTOR, PostStore, sameStoredPost } from './post-store';
export { PendingRows } from './pending-rows';
export { formerHolderOf, redirectsHeldByOthers } from './redirects';
export type { PostFields } from './post-store';
export type { PostChange, PostChangeRecorder } from './post-changes';
export { LIMITS as POST_INPUT_LIMITS } from './post-input';
export { PostWriter } from './post-writer';
export { WriteLock } from './write-lock';
export { sourceHashes } from './statements';
