import type { GraphQLSchema } from 'graphql';

/*
 * type-graphql builds the root types itself from the resolvers' @Query and @Mutation methods and
 * has no place for their descriptions, so the schema gets them once it is built (schema.ts).
 */
const QUERY =
  'Reads. Anonymous clients see published posts and the authors, tags and categories that have them; an API key in ' +
  '`Authorization: Bearer <key>` of an editor or admin also shows drafts, scheduled and deleted posts and revision history; ' +
  "a preview key shows drafts and scheduled posts and writes nothing; a preview link's token shows its one post (`previewPost`). " +
  'Lists are Relay cursor connections (`first`/`after`, `last`/`before`, at most 100 a page). An operation costs more the ' +
  'more objects it may return, and one above the limit of its key is refused with QUERY_TOO_COMPLEX.';
const MUTATION =
  "Editors' writes (an API key with the editor or admin role; UNAUTHENTICATED without a key, FORBIDDEN with a lesser one). " +
  'Each change of a post makes a new revision and raises its `version`; most writes to an existing post name the version they ' +
  'read (`expectedVersion`) and get CONFLICT when it has changed since. Mutations are refused over GET.';

export function describeRootTypes(schema: GraphQLSchema): void {
  const query = schema.getQueryType();
  if (query) query.description = QUERY;
  const mutation = schema.getMutationType();
  if (mutation) mutation.description = MUTATION;
}
