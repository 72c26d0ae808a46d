import { getOperationAST, GraphQLSchema, parse } from 'graphql';
import type { Limits } from '../config';
import { operationCost } from '../graphql/plugins/query-cost';
import type { FeedScope, TermKind } from '../services/feeds';

/*
 * What an uncached feed or sitemap is charged against the client's budget (rate-limit.ts), in the
 * same points as GraphQL, so that a client cannot get through feeds the work its budget refuses it
 * over /graphql: a feed costs what the GraphQL query that reads the same posts with the same
 * fields costs (query-cost.ts, README "Limits"); a sitemap, which reads every visible post, costs
 * the most one anonymous operation may (KIJI_COST_LIMIT_ANONYMOUS).
 */

/** The fields a feed shows of each post. */
const FEED_POST_FIELDS = 'id slug url title excerpt bodyHtml publishedAt updatedAt language authors { name slug } tags { name slug } categories { name slug }';

/** The GraphQL query that reads what a feed of `size` posts shows. */
export function equivalentFeedQuery(kind: FeedScope['kind'], size: number): string {
  const page = `posts(first: ${size}) { edges { node { ${FEED_POST_FIELDS} } } }`;
  return kind === 'site' ? `{ ${page} }` : `{ ${kind}(slug: "x") { ${page} } }`;
}

export interface DocumentCosts {
  feed(kind: 'site' | TermKind, size: number): number;
  sitemap(): number;
}

/** Costs on Kiji's schema; a feed's cost is worked out once per kind and size. */
export function documentCosts(schema: GraphQLSchema, limits: Limits): DocumentCosts {
  const feeds = new Map<string, number>();
  return {
    feed(kind, size) {
      const key = `${kind}:${size}`;
      let cost = feeds.get(key);
      if (cost === undefined) {
        const document = parse(equivalentFeedQuery(kind, size));
        feeds.set(key, (cost = operationCost(schema, getOperationAST(document)!, new Map(), undefined)));
      }
      return cost;
    },
    sitemap: () => limits.cost.anonymous,
  };
}
