/**
 * Related articles: neighbour lists stored per post, refreshed incrementally after a change and
 * rebuilt in bulk after large imports. Every statement it runs is in statements.ts.
 * This file is the folder's public face: code outside it imports from here.
 */
export { RelatedIndex, STORED_NEIGHBOURS } from './related-index';
export { markRelatedPending } from './statements';
