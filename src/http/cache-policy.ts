import type { ApolloServerPlugin } from '@apollo/server';
import { DocumentNode, GraphQLError, Kind, OperationDefinitionNode, OperationTypeNode, SelectionSetNode } from 'graphql';
import type { Context } from '../graphql/context';
import type { Role } from '../services/access';
import { requestLogger } from './request-log';

/** `maxAge` seconds, or fewer: a public answer is not kept past the next scheduled publication (0: not at all). */
export function maxAgeBefore(nextScheduledAt: Date | null | undefined, now: Date, maxAge: number): number {
  return nextScheduledAt ? Math.min(maxAge, Math.max(0, Math.floor((nextScheduledAt.getTime() - now.getTime()) / 1000))) : maxAge;
}

/**
 * Root fields whose answers are never kept: the partners' change feed, and a preview link's post.
 * A copy kept by a client over GET could replay a `hasMore: false` past later changes, and a
 * partner would stop syncing; a kept preview would show an unpublished post to anyone who asks
 * the same, outlive the link's revocation or expiry, and put its token in a shared store's key.
 * Kept neither by Kiji's response cache (which stores only `public` answers) nor by any other.
 */
const NEVER_KEPT = new Set(['changes', 'previewPost']);

/** Keys whose answers are never kept: editors' and admins', and preview keys' (they read drafts and scheduled posts). */
const NEVER_KEPT_ROLES = new Set<Role>(['editor', 'admin', 'preview']);

/**
 * Root fields refused over GET: a preview token there would land in URLs, browser history, proxy
 * and access logs, and the persisted-query store (APQ keeps GET queries' text).
 */
const POST_ONLY = new Set(['previewPost']);

/** Each operation's verdicts, found once: Apollo hands back the same parsed operation for a query it has seen. */
const verdicts = new Map<ReadonlySet<string>, WeakMap<OperationDefinitionNode, boolean>>([
  [NEVER_KEPT, new WeakMap()],
  [POST_ONLY, new WeakMap()],
]);

/** Whether the operation selects one of `fields` (NEVER_KEPT or POST_ONLY) at its root. */
function selectsAny(fields: ReadonlySet<string>, operation: OperationDefinitionNode, document: DocumentNode | undefined): boolean {
  const known = verdicts.get(fields)!;
  let verdict = known.get(operation);
  if (verdict === undefined) known.set(operation, (verdict = selectsRootField(fields, operation.selectionSet, document)));
  return verdict;
}

/** Whether the selections hold one of `fields`, directly or through fragments. */
function selectsRootField(fields: ReadonlySet<string>, selections: SelectionSetNode, document: DocumentNode | undefined, seen = new Set<string>()): boolean {
  return selections.selections.some((selection) => {
    if (selection.kind === Kind.FIELD) return fields.has(selection.name.value);
    if (selection.kind === Kind.INLINE_FRAGMENT) return selectsRootField(fields, selection.selectionSet, document, seen);
    if (seen.has(selection.name.value)) return false;
    seen.add(selection.name.value);
    const fragment = document?.definitions.find((d) => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === selection.name.value);
    return fragment?.kind === Kind.FRAGMENT_DEFINITION && selectsRootField(fields, fragment.selectionSet, document, seen);
  });
}

/**
 * Cache-Control for every GraphQL answer, from who asks and whether the operation writes, not
 * from what it reads: everything a reader may see is published content, equally public and
 * changed only by writes, so no type or field needs an age or a scope of its own. Kiji declares
 * no `@cacheControl` hints, and Apollo's cache-control plugin, which would wrap every resolver
 * call to collect them, is off (cache.ts).
 *
 * Anonymous readers get `max-age=<maxAge>, public`, keyed readers the same but `private`;
 * editors, admins, preview keys (their answers hold drafts), every mutation, the change feed and
 * preview links `no-store`, and an answer with errors, or one whose reads may have seen an open
 * write transaction (SQLite, `readsCommitted`), is never cached.
 * Nothing public may be cached past the next scheduled publication. `perRequestState`: the
 * response cache has read the content state for this request (use it); otherwise a state at
 * most a second old is enough.
 */
export function cachePolicyPlugin(maxAge: number, perRequestState: boolean): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        // Before Apollo stores a new persisted query or looks for a kept answer: nothing of a refused GET is kept.
        async didResolveOperation({ request, document, operation }) {
          if (request.http?.method === 'GET' && operation && selectsAny(POST_ONLY, operation, document)) {
            throw new GraphQLError('`previewPost` is refused over GET: send it by POST, with the token in a variable, so that it stays out of URLs and logs', {
              extensions: { code: 'BAD_USER_INPUT', argument: 'token', field: 'token', http: { status: 400 } },
            });
          }
        },
        async willSendResponse({ contextValue, document, operation, response }) {
          const headers = response.http.headers;
          // A batch's operations share one set of headers: one that may not be kept keeps the whole batch from being kept.
          if (headers.get('cache-control') === 'no-store') return;
          const role = contextValue.viewer.role;
          const failed = response.body.kind !== 'single' || Boolean(response.body.singleResult.errors?.length);
          if (operation?.operation !== OperationTypeNode.QUERY || NEVER_KEPT_ROLES.has(role) || failed || selectsAny(NEVER_KEPT, operation, document)) {
            headers.set('cache-control', 'no-store');
            return;
          }
          let age = maxAge;
          if (role === 'anonymous') {
            const now = contextValue.services.clock.now();
            let nextScheduledAt: Date | null;
            try {
              ({ nextScheduledAt } = perRequestState ? await contextValue.cacheState() : await contextValue.services.contentState.readRecent(now));
            } catch (error) {
              // The answer is made; only how long it may be kept is unknown, so it is not kept (a
              // throw here would turn the answer into Apollo's bare 500, without the request's id).
              requestLogger(contextValue.request).warn({ err: error }, 'content state unreadable: answer sent with no-store');
              headers.set('cache-control', 'no-store');
              return;
            }
            age = maxAgeBefore(nextScheduledAt, now, age);
          }
          // Last, after every read: an answer that may hold an open write's rows (SQLite) is kept by no cache, Kiji's or a CDN's.
          if (!contextValue.readsCommitted()) age = 0;
          if (headers.get('cache-control') === 'no-store') return;
          headers.set('cache-control', age > 0 ? `max-age=${age}, ${role === 'anonymous' ? 'public' : 'private'}` : 'no-store');
        },
      };
    },
  };
}
