import { GraphQLSchema, parse, validate } from 'graphql';
import { DEFAULT_LIMITS } from '../../../src/config';
import { kijiSchema } from '../../../src/graphql/schema';
import { documentCosts, equivalentFeedQuery } from '../../../src/http/document-cost';

/*
 * What an uncached feed or sitemap is charged (README "Feeds and sitemap" gives these numbers):
 * the cost the GraphQL query reading the same posts has on Kiji's schema, and for a sitemap the
 * most one anonymous operation may cost.
 */
describe('document costs', () => {
  let schema: GraphQLSchema;
  beforeAll(async () => {
    schema = await kijiSchema();
  });

  it('costs queries that are valid on the schema', () => {
    for (const kind of ['site', 'tag', 'author', 'category'] as const) expect(validate(schema, parse(equivalentFeedQuery(kind, 20)))).toEqual([]);
  });

  it('charges a feed what posts(first: N) with bodies, authors, tags and categories costs', () => {
    const costs = documentCosts(schema, DEFAULT_LIMITS);
    // 1 for the connection, then per post: itself, and a list of authors, tags and categories (10 each).
    expect(costs.feed('site', 20)).toBe(621);
    expect(costs.feed('site', 100)).toBe(3101);
    expect(costs.feed('site', 1)).toBe(32);
    // A term's feed reads the term too.
    for (const kind of ['tag', 'author', 'category'] as const) expect(costs.feed(kind, 20)).toBe(622);
  });

  it('charges a sitemap the anonymous cost limit, whatever it is set to', () => {
    expect(documentCosts(schema, DEFAULT_LIMITS).sitemap()).toBe(10_000);
    expect(documentCosts(schema, { ...DEFAULT_LIMITS, cost: { ...DEFAULT_LIMITS.cost, anonymous: 4321 } }).sitemap()).toBe(4321);
  });
});
