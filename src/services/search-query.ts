import { MAX_QUERY_LENGTH, queryTerms } from '../content/searchTerms';
import { badInput } from './errors';

/**
 * Validates a client's search text and turns it into index terms. Empty or blank text is a
 * mistake worth telling; text of only punctuation is a query that finds nothing; very long
 * text is refused before it reaches the database.
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
  return queryTerms(query);
}
