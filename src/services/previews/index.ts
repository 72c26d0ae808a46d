/**
 * Preview links: a token that shows one unpublished post to whoever holds it, until it expires or
 * is revoked. This file is the folder's public face: code outside it imports from here.
 */
export { DEFAULT_PREVIEW_HOURS, PreviewLinks } from './preview-links';
export type { PreviewLinkCreation, PreviewRead } from './preview-links';
