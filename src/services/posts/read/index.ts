/**
 * Reading posts: which posts a viewer may see, their order and keyset pages, the columns and
 * relations a read brings back, and revisions. Every statement a post read runs is in statements.ts.
 * This file is the folder's public face: code outside it imports from here.
 */
export type { ListedOrderKey, PostOrderKey } from './post-order';
export { isListedOrder } from './post-order';
export { PostReader } from './post-reader';
export type { PostRead, TermRead } from './post-reader';
export type { PostParent } from './statements';
export { listedCountSql } from './statements';
export { withShapedText } from './statement-texts';
export { FULL_POST, includeKey } from './post-rows';
export type { BodyColumn, PostInclude, PostRelations } from './post-rows';
export { postStatus } from './post-status';
export { applyVisibility } from './post-visibility';
export { RevisionReader } from './revision-reader';
