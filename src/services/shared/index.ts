/**
 * Small pieces every capability uses: the clock, cursors and global ids, paging windows, domain
 * errors, checks of text arguments, and worker threads for bulk CPU work.
 * This file is the folder's public face: code outside it imports from here.
 */
export { systemClock } from './clock';
export type { Clock } from './clock';
export { decodeCursor, encodeCursor, fromGlobalId, keyOfGlobalId, parseGlobalId, toGlobalId } from './cursor';
export type { CursorValue, KeyedNodeType, NodeType } from './cursor';
export { KijiError, badInput } from './errors';
export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, pageWindow, toPage } from './paging';
export type { Page, PageArgs, PageWindow } from './paging';
export { slugCursor, slugOrderPage } from './slug-order';
export { requirePlainFilter, requirePlainText } from './text-arguments';
export { absoluteUrl, isAbsoluteUrl, urlOnSite } from './urls';
export { answerRequests, WorkerPool } from './worker-pool';
export type { WorkerPoolOptions } from './worker-pool';
