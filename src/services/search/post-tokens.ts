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
}

export function tokenizePost(post: { title: string; excerpt: string; bodyMarkdown: string }): PostTokens {
  const title = searchTokens(post.title);
  const body = searchTokens(indexableText(post.bodyMarkdown));
  return {
    title: title.join(' '),
    excerpt: searchTokens(post.excerpt).join(' '),
    body: body.slice(0, MAX_BODY_TOKENS).join(' '),
    terms: [...similarityTerms(title, body)].join(' '),
  };
}

/** The tokens of one of PostTokens' lists. */
export function splitTokens(joined: string): string[] {
  return joined === '' ? [] : joined.split(' ');
}
