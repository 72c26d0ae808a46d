/**
 * Pages (About, Contact): Jekyll files outside `_posts` with `layout: page`, or in a `pages/`
 * folder, imported with the posts (`kiji import`) but kept apart from them: never in the post
 * feed, search, related lists, the change log or webhooks.
 * This file is the folder's public face: code outside it imports from here.
 */
export { PageReader } from './page-reader';
export { PageWriter } from './page-writer';
export type { PageOutcome } from './page-writer';
