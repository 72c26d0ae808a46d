/**
 * The content generation and the next scheduled publication: what keys and expires cached answers
 * (statements.ts reads and bumps them).
 * This file is the folder's public face: code outside it imports from here.
 */
export { ContentStateReader } from './content-state';
export { bumpContentGeneration, contentGeneration } from './statements';
export type { CacheState } from './content-state';
