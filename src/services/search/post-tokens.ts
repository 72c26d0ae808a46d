import { indexableText, searchTokens, similarityTerms } from '../../content/searchTokens';

/** Most body tokens the full-text index keeps of one post (a tsvector holds at most 1 MB). */
export const MAX_BODY_TOKENS = 60_000;

/**
 * A post's text tokenized once, for everything a write stores from it: the full-text index's
 * title, excerpt and body fields, and the distinct terms the term statistics count. Each list is
 * its tokens joined by spaces (no token holds one): a worker thread that tokenizes a post hands
 * the importer four strings, which cost far less to pass than thousands of tokens.
 */
export interface PostTokens {
  title: string;
  excerpt: string;
  body: string;
  /** The post's distinct terms (`tokenFrequencies`' keys), as the term statistics count them. */
  terms: string;
  /**
   * How often each of `terms` occurs (`tokenFrequencies`' values: a title occurrence counts three),
   * in the same order: what the related articles' term vectors weigh. Absent: not counted.
   */
  termCounts?: string;
}

export function tokenizePost(post: { title: string; excerpt: string; bodyMarkdown: string }): PostTokens {
  const title = searchTokens(post.title);
  const body = searchTokens(indexableText(post.bodyMarkdown));
  const terms = similarityTerms(title, body);
  // As tokenFrequencies(title, body) counts them, from the tokens already made.
  const counts = new Map<string, number>();
  for (const term of title) if (terms.has(term)) counts.set(term, (counts.get(term) ?? 0) + 3);
  for (const term of body) if (terms.has(term)) counts.set(term, (counts.get(term) ?? 0) + 1);
  return {
    title: title.join(' '),
    excerpt: searchTokens(post.excerpt).join(' '),
    body: body.slice(0, MAX_BODY_TOKENS).join(' '),
    terms: [...terms].join(' '),
    termCounts: [...terms].map((term) => counts.get(term)).join(' '),
  };
}

/** The term frequencies of PostTokens' terms and counts, as `tokenFrequencies` of the post makes them. */
export function termFrequencies(terms: string, termCounts: string): Map<string, number> {
  const keys = splitTokens(terms);
  const counts = splitTokens(termCounts);
  return new Map(keys.map((term, i) => [term, Number(counts[i])]));
}

/** The tokens of one of PostTokens' lists. */
export function splitTokens(joined: string): string[] {
  return joined === '' ? [] : joined.split(' ');
}
