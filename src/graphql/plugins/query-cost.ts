import {
  DocumentNode,
  FieldNode,
  FragmentDefinitionNode,
  getNamedType,
  getNullableType,
  GraphQLCompositeType,
  GraphQLField,
  GraphQLList,
  GraphQLNamedType,
  GraphQLSchema,
  isCompositeType,
  isInputType,
  isLeafType,
  Kind,
  OperationDefinitionNode,
  SelectionSetNode,
  typeFromAST,
  valueFromAST,
  visit,
} from 'graphql';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../services/shared';
import { POST_CHANGE_FEED } from '../types/PostChangeFeed';

/*
 * The static cost of an operation, before it runs: roughly how many objects it may produce and
 * how many reads that takes, in the spirit of Shopify's calculated query cost and GitHub's node
 * count. The rules (README "Limits"):
 *
 * - a field that returns an object costs 1 per object it may return, plus what is selected in it;
 *   scalar and enum fields cost nothing of their own (they come with their object);
 * - a connection (`posts`, `tags`, `revisions`, …) costs 1, and its `edges`/`nodes` count `first`
 *   or `last` objects (20 when neither is given, at most 100); edge wrappers are free;
 * - other lists count their `first` argument (`related(first)`), or LIST_SIZE when they take none;
 * - a search (`filter: { query }`) costs SEARCH_COST instead of 1, a mutation MUTATION_COST;
 * - introspection (`__schema`, `__type`) costs INTROSPECTION_COST whatever it selects: it is
 *   answered from memory, and graphql-js's own rule bounds how deep it can go.
 *
 * Linear in the document: each fragment is costed once per operation and its cost reused at
 * every spread (variables are fixed for the whole operation, so a fragment's cost is too).
 */

/** What a list without a size argument (a post's tags, authors, categories) is assumed to hold. */
export const LIST_SIZE = 10;
export const SEARCH_COST = 50;
export const MUTATION_COST = 10;
export const INTROSPECTION_COST = 10;

type Variables = Record<string, unknown> | undefined;

export function operationCost(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  variables: Variables,
): number {
  const values = withDefaults(schema, operation, variables);
  // Keyed by fragment and page size: a fragment on a connection type counts that page's objects.
  const fragmentCosts = new Map<string, number>();
  const inProgress = new Set<string>();

  const fragmentCost = (name: string, pageSize: number | null): number => {
    const key = `${pageSize ?? ''}:${name}`;
    const known = fragmentCosts.get(key);
    if (known !== undefined) return known;
    const fragment = fragments.get(name);
    // Unknown fragments and cycles are refused by graphql's own rules; they add nothing here.
    if (!fragment || inProgress.has(key)) return 0;
    inProgress.add(key);
    const type = schema.getType(fragment.typeCondition.name.value);
    const cost = isCompositeType(type) ? selectionCost(fragment.selectionSet, type, pageSize) : 0;
    inProgress.delete(key);
    fragmentCosts.set(key, cost);
    return cost;
  };

  /** `pageSize`: set inside a connection, the number of objects its `edges`/`nodes` hold. */
  const selectionCost = (set: SelectionSetNode, parent: GraphQLCompositeType, pageSize: number | null): number => {
    let total = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        total += fieldCost(selection, parent, pageSize);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        if (isCompositeType(type)) total += selectionCost(selection.selectionSet, type, pageSize);
      } else {
        total += fragmentCost(selection.name.value, pageSize);
      }
    }
    return total;
  };

  const fieldCost = (node: FieldNode, parent: GraphQLCompositeType, pageSize: number | null): number => {
    const name = node.name.value;
    if (name.startsWith('__')) return name === '__typename' ? 0 : INTROSPECTION_COST;
    const field = 'getFields' in parent ? parent.getFields()[name] : undefined;
    if (!field || !node.selectionSet) return 0;
    const type = getNamedType(field.type);
    if (isLeafType(type) || !isCompositeType(type)) return 0;
    const args = () => argumentValues(field, node, values);
    if (isConnection(type, field)) {
      const given = args();
      return (isSearch(given) ? SEARCH_COST : 1) + selectionCost(node.selectionSet, type, pageSizeOf(given));
    }
    const children = selectionCost(node.selectionSet, type, null);
    const own = isEdge(type) ? 0 : 1;
    if (!(getNullableType(field.type) instanceof GraphQLList)) {
      return (parent === schema.getMutationType() ? MUTATION_COST : 0) + own + children;
    }
    return listSize(field, args, pageSize) * (own + children);
  };

  return selectionCost(operation.selectionSet, rootType(schema, operation), null);
}

/** The arguments a cost reads: page sizes, and the filter (a search costs more). */
const COSTED_ARGUMENTS = new Set(['first', 'last', 'filter']);
/** Costs remembered per operation, and the longest key worth remembering (a search text is part of it). */
const MEMO_ENTRIES = 64;
const MEMO_KEY_LENGTH = 512;
const ABSENT = { absent: true };

const memos = new WeakMap<OperationDefinitionNode, { variables: string[]; costs: Map<string, number> }>();

/**
 * operationCost, remembered per operation (Apollo keeps the documents it has parsed) for the values
 * of the only variables a cost can depend on, those inside `first`, `last` and `filter`: the feed
 * and the article page are costed once, not on every request.
 */
export function memoizedOperationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  variables: Variables,
): number {
  let memo = memos.get(operation);
  if (!memo) memos.set(operation, (memo = { variables: costedVariables(document), costs: new Map() }));
  const key = JSON.stringify(memo.variables.map((name) => (variables && name in variables ? variables[name] : ABSENT)));
  let cost = memo.costs.get(key);
  if (cost === undefined) {
    cost = operationCost(schema, operation, fragments, variables);
    if (key.length <= MEMO_KEY_LENGTH && memo.costs.size < MEMO_ENTRIES) memo.costs.set(key, cost);
  }
  return cost;
}

function costedVariables(document: DocumentNode): string[] {
  const names = new Set<string>();
  visit(document, {
    Argument(node) {
      if (COSTED_ARGUMENTS.has(node.name.value)) visit(node.value, { Variable: (variable) => void names.add(variable.name.value) });
      return false;
    },
  });
  return [...names];
}

/**
 * The request's variables, with the operation's defaults for those it leaves out. Values are taken
 * as sent, not coerced (a large input would cost a pass of its own): one of the wrong type is
 * refused before execution anyway, and is costed here as if it were absent.
 */
function withDefaults(schema: GraphQLSchema, operation: OperationDefinitionNode, variables: Variables): Variables {
  const defaults = operation.variableDefinitions?.filter((definition) => definition.defaultValue && variables?.[definition.variable.name.value] === undefined);
  if (!defaults?.length) return variables;
  const values: Record<string, unknown> = { ...variables };
  for (const definition of defaults) {
    const type = typeFromAST(schema, definition.type);
    if (isInputType(type)) values[definition.variable.name.value] = valueFromAST(definition.defaultValue, type);
  }
  return values;
}

function rootType(schema: GraphQLSchema, operation: OperationDefinitionNode): GraphQLCompositeType {
  const type = schema.getRootType(operation.operation);
  if (!type) throw new Error(`the schema has no ${operation.operation} type`);
  return type;
}

/**
 * Relay connections (`…Connection` types) and the change feed (`PostChangeFeed`, whose `entries`
 * hold `first` posts, named exactly: another type ending in `Feed` is not a page) reached through
 * a field that takes `first`.
 */
function isConnection(type: GraphQLNamedType, field: GraphQLField<unknown, unknown>): boolean {
  return (type.name.endsWith('Connection') || type.name === POST_CHANGE_FEED) && field.args.some((arg) => arg.name === 'first');
}

function isEdge(type: GraphQLNamedType): boolean {
  return type.name.endsWith('Edge');
}

function isSearch(args: Record<string, unknown>): boolean {
  const filter = args.filter as { query?: unknown } | null | undefined;
  return typeof filter?.query === 'string' && filter.query.length > 0;
}

/** A page as the services read it (paging.ts): `first`, else `last`, else the default; at most the maximum. */
function pageSizeOf(args: Record<string, unknown>): number {
  const asked = typeof args.first === 'number' ? args.first : typeof args.last === 'number' ? args.last : DEFAULT_PAGE_SIZE;
  return clamp(asked, MAX_PAGE_SIZE);
}

function listSize(field: GraphQLField<unknown, unknown>, args: () => Record<string, unknown>, pageSize: number | null): number {
  if (pageSize !== null) return pageSize;
  if (!field.args.some((arg) => arg.name === 'first')) return LIST_SIZE;
  const first = args().first;
  // Too large a `first` is refused by the resolver; it is costed at the largest page anyone could get.
  return typeof first === 'number' ? clamp(first, MAX_PAGE_SIZE) : LIST_SIZE;
}

function clamp(value: number, max: number): number {
  return Number.isFinite(value) ? Math.min(Math.max(Math.trunc(value), 0), max) : max;
}

/**
 * The field's arguments with variables and defaults applied. A value that does not coerce (the
 * request will be refused for it anyway) is left out, so the default applies.
 */
function argumentValues(field: GraphQLField<unknown, unknown>, node: FieldNode, variables: Variables): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const arg of field.args) {
    const given = node.arguments?.find((a) => a.name.value === arg.name);
    let value: unknown = given ? valueFromAST(given.value, arg.type, variables) : undefined;
    if (value === undefined) value = arg.defaultValue;
    if (value !== undefined) values[arg.name] = value;
  }
  return values;
}
