/**
 * Authors, tags and categories ("terms"): read by id, by slug and per post.
 * This file is the folder's public face: code outside it imports from here.
 */
export { AUTHOR_TERMS, CATEGORY_TERMS, TAG_TERMS, TermReader } from './term-reader';
export type { Term } from './term-reader';
export { TermPages } from './term-pages';
export type { TermPage } from './term-pages';
export { TermWriter } from './term-writer';
export type { TermRef } from './term-writer';
export type { AuthorPatch, TermPatch } from './term-input';
export { termUrlFor } from './term-urls';
export type { TermUrlKind } from './term-urls';
export { TERM_LIMITS } from './term-input';
