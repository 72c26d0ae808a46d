/** The GraphQL operations the benchmarks send: the pages apps render most. */
export type CaseName = 'feed' | 'article' | 'tag' | 'author' | 'search';
export const ALL_CASES: CaseName[] = ['feed', 'article', 'tag', 'author', 'search'];

const POST_FIELDS = 'slug title excerpt publishedAt url author { name slug } tags { name slug }';

/** The GraphQL operations. The raw baseline answers the ones with the same operation name. */
export const QUERIES: Record<CaseName, string> = {
  feed: `query Feed { posts(first: 20) { edges { node { ${POST_FIELDS} } } } }`,
  article: `query Article($slug: String!) { post(slug: $slug) { slug title bodyHtml publishedAt readingTimeMinutes author { name slug bio } tags { name slug } related(first: 5) { score post { slug title } } } }`,
  tag: `query TagPage($slug: String!) { tag(slug: $slug) { name slug postCount posts(first: 20) { totalCount edges { node { ${POST_FIELDS} } } } } }`,
  author: `query AuthorPage($slug: String!) { author(slug: $slug) { name slug bio postCount posts(first: 20) { totalCount edges { node { ${POST_FIELDS} } } } } }`,
  search: `query Search($q: String!) { posts(first: 20, filter: { query: $q }) { totalCount edges { node { slug title excerpt publishedAt url author { name slug } } } } }`,
};
