/**
 * Old addresses of posts: where a `redirect_from` path or a renamed post's old URL leads now
 * (`redirect(path:)`). The write side (old slugs kept on rename, `redirect_from` paths claimed) is
 * part of the post write path (posts/write/redirects.ts); `post(slug:)` falls back to old slugs
 * in the loaders.
 * This file is the folder's public face: code outside it imports from here.
 */
export { MAX_REDIRECT_INPUT, RedirectReader } from './redirect-reader';
export type { RedirectAnswer, RedirectTarget } from './redirect-reader';
