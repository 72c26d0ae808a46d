import { FieldNode, getArgumentValues, getNamedType, GraphQLResolveInfo, isObjectType, Kind, SelectionSetNode } from 'graphql';

/** A field an operation asks of the object a root field returns, seen before that object is read. */
export interface FieldAhead {
  /** Its nodes, fragments expanded: one response key, so one set of arguments. */
  nodes: FieldNode[];
  /** Its arguments, defaults applied and variables read. */
  values: Record<string, unknown>;
}

/**
 * The field `name` of the object the field being resolved returns, with its arguments, so that
 * the statement reading the object can read what the field will show too (term-page-ahead.ts,
 * related-ahead.ts). Null unless asked once, under one response key, unconditionally, with
 * arguments that parse: the field then reads as before, and reports its own argument errors.
 */
export function fieldAhead(info: GraphQLResolveInfo, name: string): FieldAhead | null {
  const type = getNamedType(info.returnType);
  const field = isObjectType(type) ? type.getFields()[name] : undefined;
  if (!field) return null;
  const nodes: FieldNode[] = [];
  const plain = collectFields(
    info,
    info.fieldNodes.map((node) => node.selectionSet),
    name,
    nodes,
  );
  if (!plain || nodes.length === 0) return null;
  const key = responseKey(nodes[0]);
  if (nodes.some((node) => responseKey(node) !== key)) return null;
  try {
    return { nodes, values: getArgumentValues(field, nodes[0], info.variableValues) };
  } catch {
    return null;
  }
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
