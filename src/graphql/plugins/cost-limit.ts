import type { ApolloServerPlugin } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import { DocumentNode, FragmentDefinitionNode, GraphQLError, Kind, parse, ValidationRule } from 'graphql';
import type { LimitTier, Limits } from '../../config';
import type { Role } from '../../services/access';
import type { Context } from '../context';
import { memoizedOperationCost } from './query-cost';
import { shapeError, ShapeLimits } from './query-shape';

/** Fields of one operation once fragments are expanded: ten times the largest page Kiji serves (introspection: about 220). */
export const MAX_FIELDS = 1000;
/** Times one response name may appear in a selection set: fragments of a page repeat `id` and `title`, not a hundred times. */
export const MAX_REPEATED_FIELD = 20;

/** Where one client stands against its budget of cost per window (rate-limit.ts). */
export interface BudgetState {
  allowed: boolean;
  limit: number;
  remaining: number;
  resetSeconds: number;
}

/** The budget an anonymous client spends: its address's (GraphQL reads and documents alike, http/document-budget.ts). */
export function addressClient(address: string | undefined): string {
  return `address:${address ?? 'unknown'}`;
}

/** What a client over its budget is told (429 RATE_LIMITED). */
export function overBudgetMessage(budget: BudgetState, windowSeconds: number): string {
  return `Over the budget of ${budget.limit} cost points per ${windowSeconds} s; retry in ${budget.resetSeconds} s`;
}

/** The extensions of that refusal besides its code: when to retry, and where the client stands. */
export function overBudgetExtensions(budget: BudgetState, cost: number) {
  return { retryAfter: budget.resetSeconds, cost, limit: budget.limit, remaining: budget.remaining };
}

/** The headers every charged answer carries: the client's budget. */
export function budgetHeaders(budget: BudgetState): [string, string][] {
  return [
    ['x-ratelimit-limit', String(budget.limit)],
    ['x-ratelimit-remaining', String(budget.remaining)],
    ['x-ratelimit-reset', String(budget.resetSeconds)],
  ];
}

export interface CostLimitOptions {
  limits: Limits;
  /** Charges a client's budget; null when its tier has none. */
  charge(tier: LimitTier, client: string, cost: number): Promise<BudgetState | null>;
  /** The address of the request being served, for anonymous budgets. */
  clientAddress(context: Context): string | undefined;
  /** Counts a refusal (metrics). */
  refused(code: 'QUERY_TOO_COMPLEX' | 'RATE_LIMITED'): void;
  /** Settles when the budgets' store is ready to count (or has been given up on); the server waits for it. */
  ready: Promise<void>;
}

function shapeLimitsOf(limits: Limits): ShapeLimits {
  return { maxAliases: limits.maxAliases, maxFields: MAX_FIELDS, maxPostListNesting: limits.maxPostListNesting, maxRepeatedField: MAX_REPEATED_FIELD };
}

const TIERS: Record<Role, LimitTier> = { anonymous: 'anonymous', reader: 'reader', partner: 'reader', preview: 'reader', editor: 'editor', admin: 'editor' };

/**
 * Refuses what is too much before any resolver runs, in the order Apollo processes a request:
 * - parse: graphql's `maxTokens` (Apollo's `parseOptions`, set beside this plugin);
 * - before graphql-js validates: the document's shape (query-shape.ts): expanded size, aliases,
 *   repeated fields, lists of posts inside lists of posts. graphql-js's own rules are quadratic in
 *   repeated fields, and Apollo answers 500 to anything thrown before validation, so a refused
 *   document is swapped for a one-field stand-in that the `refusedShape` validation rule then
 *   refuses with the reason: a 400 QUERY_TOO_COMPLEX like any validation error, in microseconds;
 * - once the operation and the viewer are known: its cost (query-cost.ts) against the viewer's
 *   tier, then the client's budget for the window: QUERY_TOO_COMPLEX (400) or RATE_LIMITED (429).
 * Every operation that runs reports its cost and the client's budget in response headers.
 */
export function costLimitPlugin(options: CostLimitOptions): ApolloServerPlugin<Context> {
  const { limits } = options;
  const shapeLimits = shapeLimitsOf(limits);
  return {
    async serverWillStart() {
      await options.ready;
    },
    async requestDidStart() {
      let cost: number | null = null;
      let budget: BudgetState | null = null;
      return {
        async validationDidStart(requestContext) {
          const { schema, document } = requestContext;
          const error = shapeError(schema, document, shapeLimits);
          verdicts.set(document, error);
          if (!error) return;
          options.refused('QUERY_TOO_COMPLEX');
          const standIn = parse('{ __typename }');
          verdicts.set(standIn, error);
          // Apollo validates `requestContext.document` as it stands once this hook has run.
          (requestContext as { document: DocumentNode }).document = standIn;
        },
        async didResolveOperation({ schema, document, operation, request, contextValue }) {
          // No such operation: Apollo answers that itself, before running anything.
          if (!operation) return;
          cost = memoizedOperationCost(schema, document, operation, fragmentsOf(document), request.variables);
          const { viewer } = contextValue;
          const tier = TIERS[viewer.role];
          const limit = limits.cost[tier];
          if (cost > limit) {
            options.refused('QUERY_TOO_COMPLEX');
            throw new GraphQLError(`The operation costs ${cost}; the limit is ${limit} (README "Limits" says how cost is counted)`, {
              extensions: { code: 'QUERY_TOO_COMPLEX', cost, limit, http: { status: 400 } },
            });
          }
          const client = viewer.keyId ? `key:${viewer.keyId}` : addressClient(options.clientAddress(contextValue));
          budget = await options.charge(tier, client, cost);
          if (budget && !budget.allowed) {
            options.refused('RATE_LIMITED');
            throw new GraphQLError(overBudgetMessage(budget, limits.windowSeconds), {
              extensions: {
                code: 'RATE_LIMITED',
                ...overBudgetExtensions(budget, cost),
                http: { status: 429, headers: new HeaderMap([['retry-after', String(budget.resetSeconds)]]) },
              },
            });
          }
        },
        async willSendResponse({ response }) {
          if (cost !== null) response.http.headers.set('x-kiji-query-cost', String(cost));
          if (budget) for (const [name, value] of budgetHeaders(budget)) response.http.headers.set(name, value);
        },
      };
    },
  };
}

/** Shape checks made before validation: null for a document that passed, the reason for a stand-in. */
const verdicts = new WeakMap<DocumentNode, GraphQLError | null>();

/**
 * The validation rule that reports shape refusals (install with costLimitPlugin). Should Apollo
 * ever validate the original document instead of the stand-in, the shape is checked here too
 * (after graphql-js's own rules, slower, but still before anything runs).
 */
export function refusedShape(limits: Limits): ValidationRule {
  const shapeLimits = shapeLimitsOf(limits);
  return (context) => {
    const document = context.getDocument();
    const error = verdicts.has(document) ? verdicts.get(document) : shapeError(context.getSchema(), document, shapeLimits);
    if (error) context.reportError(error);
    return {};
  };
}

/** Fragments by name, found once per parsed document (Apollo keeps documents it has seen). */
const fragmentsByDocument = new WeakMap<DocumentNode, ReadonlyMap<string, FragmentDefinitionNode>>();

function fragmentsOf(document: DocumentNode): ReadonlyMap<string, FragmentDefinitionNode> {
  let fragments = fragmentsByDocument.get(document);
  if (!fragments) {
    const found = new Map<string, FragmentDefinitionNode>();
    for (const definition of document.definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) found.set(definition.name.value, definition);
    }
    fragmentsByDocument.set(document, (fragments = found));
  }
  return fragments;
}
