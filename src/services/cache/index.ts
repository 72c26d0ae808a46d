/**
 * The content generation and the next scheduled publication: what keys and expires cached answers.
 * This file is the folder's public face: code outside it imports from here.
 */
export { ContentStateReader, bumpContentGeneration } from './content-state';
export type { CacheState } from './content-state';
