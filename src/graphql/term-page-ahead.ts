import { FieldNode, getArgumentValues, getNamedType, GraphQLResolveInfo, isObjectType, Kind, SelectionSetNode } from 'graphql';
import { isListedOrder, type PostOrderKey } from '../services/posts/read';
import { pageWindow } from '../services/shared';
import type { TermPostsAhead } from './loaders';
import { includeOf } from './post-include';

/**
 * The page of posts an operation asks of the term a root field finds (`author(slug) { posts(first: 20) { … } }`),
 * known before the term is read, so that one statement reads both (loaders.termWithPosts). Null
 * unless it is one first page (no cursor, not `last`, not empty) in a date order, under one response key
 * however many fragments repeat it: any other page is read as before, by the field itself, which
 * is also where its argument errors belong.
 */
export function termPostsAhead(info: GraphQLResolveInfo): TermPostsAhead | null {
  const type = getNamedType(info.returnType);
  const field = isObjectType(type) ? type.getFields().posts : undefined;
  if (!field) return null;
  const nodes: FieldNode[] = [];
  const plain = collectFields(
    info,
    info.fieldNodes.map((node) => node.selectionSet),
    'posts',
    nodes,
  );
  if (!plain || nodes.length === 0) return null;
  const key = responseKey(nodes[0]);
  if (nodes.some((node) => responseKey(node) !== key)) return null;
  let values: Record<string, unknown>;
  try {
    values = getArgumentValues(field, nodes[0], info.variableValues);
  } catch {
    return null;
  }
  const { first, after, last, before } = values;
  const order = values.orderBy as PostOrderKey;
  if (after != null || last != null || before != null || !isListedOrder(order)) return null;
  const args = { first: typeof first === 'number' ? first : undefined };
  try {
    // An empty page (`first: 0`) reads nothing, where the field answers it.
    if (pageWindow(args).limit === 0) return null;
  } catch {
    return null;
  }
  return {
    order,
    args,
    include: includeOf(
      info.fragments,
      nodes.map((node) => node.selectionSet),
      ['edges', 'node'],
    ),
  };
}

function responseKey(node: FieldNode): string {
  return node.alias?.value ?? node.name.value;
}

/**
 * The fields named `name` directly in `sets`, fragments expanded; false when one of them, or a
 * fragment holding one, is conditional (`@include`/`@skip`): graphql-js leaves a skipped one out
 * of the field's own nodes, so what was read ahead of it would not be what it asks for.
 */
function collectFields(info: GraphQLResolveInfo, sets: (SelectionSetNode | undefined)[], name: string, out: FieldNode[]): boolean {
  for (const set of sets) {
    for (const selection of set?.selections ?? []) {
      const conditional = (selection.directives?.length ?? 0) > 0;
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value !== name) continue;
        if (conditional) return false;
        out.push(selection);
        continue;
      }
      const before = out.length;
      const fragment = selection.kind === Kind.INLINE_FRAGMENT ? selection.selectionSet : info.fragments[selection.name.value]?.selectionSet;
      if (!collectFields(info, [fragment], name, out)) return false;
      if (conditional && out.length > before) return false;
    }
  }
  return true;
}
