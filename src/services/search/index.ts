/**
 * Full-text search: the index written with each post, parsing what a reader types, and token
 * statistics (how rare each token is).
 * This file is the folder's public face: code outside it imports from here.
 */
export { createSearchIndex, RANK_WINDOW } from './search-index';
export type { SearchIndex, PhraseRarity } from './search-index';
export { parseSearchQuery } from './search-query';
export { TermDeltas, TokenStatistics } from './token-stats';
export { SearchCounts } from './search-counts';
export { splitTokens, tokenizePost } from './post-tokens';
export type { PostTokens } from './post-tokens';
