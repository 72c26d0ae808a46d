import { MAX_QUERY_LENGTH, queryPhrases, searchTokens } from '../../content/searchTokens';
import { badInput } from '../shared';

/**
 * Most tokens (words, and character pairs of Japanese) a search may hold. Each token is one
 * posting list the index reads for every match it tests; a 200-character Japanese sentence
 * is about 190 of them, far past any query a reader types (`VimConf 2017 タイムテーブル` is 8).
 */
export const MAX_QUERY_TOKENS = 64;

/**
 * Validates a client's search text and turns it into index terms. Empty or blank text is a
 * mistake worth telling; text of only punctuation is a query that finds nothing; text too long,
 * or of too many words and character pairs, is refused before it reaches the database.
 */
export function parseSearchQuery(query: string): string[][] {
  if (query.trim().length === 0) {
    throw badInput('`filter.query` must not be empty', { argument: 'filter.query' });
  }
  if (query.length > MAX_QUERY_LENGTH) {
    throw badInput(`\`filter.query\` is ${query.length} characters; the limit is ${MAX_QUERY_LENGTH}`, {
      argument: 'filter.query',
      limit: MAX_QUERY_LENGTH,
    });
  }
  const tokens = searchTokens(query).length;
  if (tokens > MAX_QUERY_TOKENS) {
    throw badInput(`\`filter.query\` has ${tokens} search terms (words and pairs of Japanese characters); the limit is ${MAX_QUERY_TOKENS}`, {
      argument: 'filter.query',
      limit: MAX_QUERY_TOKENS,
    });
  }
  return queryPhrases(query);
}
