import { FragmentDefinitionNode, GraphQLResolveInfo, Kind, SelectionSetNode } from 'graphql';
import type { BodyColumn, PostInclude } from '../services/posts/read';

/** Post fields read from the body columns (the snippet is cut from the Markdown). */
const BODY_FIELDS = ['bodyMarkdown', 'bodyHtml', 'headings', 'contentIssues', 'frontMatter', 'searchSnippet'];

/**
 * An article page shows `bodyHtml` alone: it is read without the other body columns, each stored
 * out of line. Any other mix reads them all, so a post read has three body shapes rather than one
 * per subset (each shape is another statement text, prepared on every connection).
 */
const HTML_ONLY: readonly BodyColumn[] = ['bodyHtml'];

/** Post fields read from the cover image and SEO columns. */
const META_FIELDS = ['coverImage', 'seo'];

/**
 * What the operation shows of the posts a resolver returns, found at `path` below the field
 * being resolved (`['edges', 'node']` for a connection): the body columns and relations to read
 * in the same statement. Fragments count; `@include`/`@skip` are ignored, which at worst reads
 * a relation that is then not shown.
 */
export function postInclude(info: GraphQLResolveInfo, path: readonly string[] = []): PostInclude {
  return includeOf(
    info.fragments,
    info.fieldNodes.map((node) => node.selectionSet),
    path,
  );
}

/** `postInclude` of the selection sets of a field found ahead of its resolver (graphql/term-page-ahead.ts). */
export function includeOf(fragments: Fragments, sets: (SelectionSetNode | undefined)[], path: readonly string[]): PostInclude {
  const fields = new Set<string>();
  collect(fragments, sets, path, fields);
  return {
    body: bodyOf(fields),
    meta: META_FIELDS.some((field) => fields.has(field)),
    authors: fields.has('author') || fields.has('authors'),
    tags: fields.has('tags'),
    categories: fields.has('categories'),
  };
}

type Fragments = GraphQLResolveInfo['fragments'] | Record<string, FragmentDefinitionNode | undefined>;

function bodyOf(fields: ReadonlySet<string>): PostInclude['body'] {
  const shown = BODY_FIELDS.filter((field) => fields.has(field));
  if (shown.length === 0) return false;
  return shown.length === 1 && shown[0] === 'bodyHtml' ? HTML_ONLY : true;
}

function collect(fragments: Fragments, sets: (SelectionSetNode | undefined)[], path: readonly string[], out: Set<string>): void {
  for (const set of sets) {
    for (const selection of set?.selections ?? []) {
      if (selection.kind === Kind.FIELD) {
        if (path.length === 0) out.add(selection.name.value);
        else if (selection.name.value === path[0]) collect(fragments, [selection.selectionSet], path.slice(1), out);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        collect(fragments, [selection.selectionSet], path, out);
      } else {
        collect(fragments, [fragments[selection.name.value]?.selectionSet], path, out);
      }
    }
  }
}
