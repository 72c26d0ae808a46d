import {
  DocumentNode,
  FragmentDefinitionNode,
  getNamedType,
  getNullableType,
  GraphQLCompositeType,
  GraphQLError,
  GraphQLList,
  GraphQLSchema,
  isCompositeType,
  Kind,
  OperationDefinitionNode,
  SelectionSetNode,
} from 'graphql';

/** Limits on the shape of a document, whatever its variables and whoever sends it. */
export interface ShapeLimits {
  /** Aliased fields, counted once per place they appear once fragments are expanded. */
  maxAliases: number;
  /** Fields once fragments are expanded (what graphql-jit compiles and graphql-js collects). */
  maxFields: number;
  /** Lists of posts (`posts`, `related`) inside lists of posts, the outermost included. */
  maxPostListNesting: number;
  /** Times one response name appears in one selection set, fragments expanded (`title title title …`). */
  maxRepeatedField: number;
}

export interface Shape {
  fields: number;
  aliases: number;
  postListNesting: number;
}

const EMPTY: Shape = { fields: 0, aliases: 0, postListNesting: 0 };

/** Named types whose lists hold posts: connections of posts, related posts, posts. */
const POST_LIST_ITEMS = new Set(['PostConnection', 'RelatedPost', 'Post']);

/**
 * Why a document is refused for its shape, or null. Run before graphql-js validates it: some of
 * graphql-js's rules are quadratic in repeated fields (OverlappingFieldsCanBeMerged), so a
 * 30 KB document of repeated fields would hold the event loop for a tenth of a second there.
 * Linear in the document: each fragment is measured once and its measure reused at every spread,
 * so a fan-out of fragments spread twice in each other (2^n fields once expanded) is measured in
 * n steps and refused.
 */
export function shapeError(schema: GraphQLSchema, document: DocumentNode, limits: ShapeLimits): GraphQLError | null {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const measure = shapeMeasure(schema, fragments);
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    const shape = measure(definition);
    const over = (
      [
        ['fields', shape.fields, limits.maxFields, 'fields once its fragments are expanded'],
        ['aliases', shape.aliases, limits.maxAliases, 'aliased fields'],
        ['postListNesting', shape.postListNesting, limits.maxPostListNesting, 'lists of posts nested in each other'],
      ] as const
    ).find(([, value, limit]) => value > limit);
    if (over) return tooComplex(definition, over[0], over[1], over[2], over[3]);
    // Only now, with the expanded size known to be small, are response names counted.
    const repeated = mostRepeatedField(definition.selectionSet, fragments);
    if (repeated.count > limits.maxRepeatedField) {
      return tooComplex(definition, 'repeatedField', repeated.count, limits.maxRepeatedField, `times \`${repeated.name}\` in one selection`);
    }
  }
  return null;
}

function tooComplex(operation: OperationDefinitionNode, measure: string, value: number, limit: number, what: string): GraphQLError {
  // A fan-out of fragments reaches numbers past what JSON carries exactly.
  const shown = Number.isSafeInteger(value) ? value : Number.MAX_SAFE_INTEGER;
  // No location: what Apollo validates in the document's place is a stand-in (cost-limit.ts).
  const name = operation.name ? ` ${operation.name.value}` : '';
  return new GraphQLError(`The operation${name} has ${shown === value ? value : 'astronomically many'} ${what}; the limit is ${limit}`, {
    extensions: { code: 'QUERY_TOO_COMPLEX', [measure]: shown, limit },
  });
}

/** Measures operations of one document; fragments measured for one are reused for the next. */
function shapeMeasure(schema: GraphQLSchema, fragments: ReadonlyMap<string, FragmentDefinitionNode>): (operation: OperationDefinitionNode) => Shape {
  const measured = new Map<string, Shape>();
  const inProgress = new Set<string>();

  const fragmentShape = (name: string): Shape => {
    const known = measured.get(name);
    if (known) return known;
    const fragment = fragments.get(name);
    // Unknown fragments and cycles are refused by graphql's own rules.
    if (!fragment || inProgress.has(name)) return EMPTY;
    inProgress.add(name);
    const type = schema.getType(fragment.typeCondition.name.value);
    const shape = measure(fragment.selectionSet, isCompositeType(type) ? type : null);
    inProgress.delete(name);
    measured.set(name, shape);
    return shape;
  };

  const measure = (set: SelectionSetNode, parent: GraphQLCompositeType | null): Shape => {
    const total = { fields: 0, aliases: 0, postListNesting: 0 };
    const add = (part: Shape, postList = false) => {
      total.fields += part.fields;
      total.aliases += part.aliases;
      total.postListNesting = Math.max(total.postListNesting, part.postListNesting + (postList ? 1 : 0));
    };
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const field = parent && 'getFields' in parent ? parent.getFields()[selection.name.value] : undefined;
        const type = field ? getNamedType(field.type) : undefined;
        const child = selection.selectionSet ? measure(selection.selectionSet, isCompositeType(type) ? type : null) : EMPTY;
        const postList = Boolean(field && type && POST_LIST_ITEMS.has(type.name) && (type.name === 'PostConnection' || getNullableType(field.type) instanceof GraphQLList));
        add({ fields: 1 + child.fields, aliases: (selection.alias ? 1 : 0) + child.aliases, postListNesting: child.postListNesting }, postList);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        add(measure(selection.selectionSet, isCompositeType(type) ? type : null));
      } else {
        add(fragmentShape(selection.name.value));
      }
    }
    return total;
  };

  return (operation) => {
    return measure(operation.selectionSet, schema.getRootType(operation.operation) ?? null);
  };
}

/**
 * The response name repeated most in one selection set, its inline fragments and spread
 * fragments merged in (as graphql-js compares them). Each fragment's top-level names are counted
 * once; the caller has bounded the expanded size, which bounds this walk.
 */
function mostRepeatedField(root: SelectionSetNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>): { name: string; count: number } {
  let most = { name: '', count: 0 };
  const topNames = new Map<string, Map<string, number>>();
  const inProgress = new Set<string>();
  const visited = new Set<SelectionSetNode>();

  const fragmentNames = (name: string): Map<string, number> => {
    const known = topNames.get(name);
    if (known) return known;
    const fragment = fragments.get(name);
    if (!fragment || inProgress.has(name)) return new Map();
    inProgress.add(name);
    const names = namesOf(fragment.selectionSet);
    inProgress.delete(name);
    topNames.set(name, names);
    return names;
  };

  /** Response names at the top of `set`, counted; nested selection sets are checked on the way. */
  const namesOf = (set: SelectionSetNode): Map<string, number> => {
    const names = new Map<string, number>();
    const add = (name: string, count: number) => names.set(name, (names.get(name) ?? 0) + count);
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        add(selection.alias?.value ?? selection.name.value, 1);
        if (selection.selectionSet) check(selection.selectionSet);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        for (const [name, count] of namesOf(selection.selectionSet)) add(name, count);
      } else {
        for (const [name, count] of fragmentNames(selection.name.value)) add(name, count);
      }
    }
    return names;
  };

  const check = (set: SelectionSetNode) => {
    if (visited.has(set)) return;
    visited.add(set);
    for (const [name, count] of namesOf(set)) if (count > most.count) most = { name, count };
  };

  check(root);
  return most;
}
