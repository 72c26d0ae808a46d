import type { ApolloServerPlugin } from '@apollo/server';
import { DocumentNode, Kind, OperationDefinitionNode, OperationTypeNode, SelectionSetNode } from 'graphql';
import type { Context } from '../graphql/context';

/** `maxAge` seconds, or fewer: a public answer is not kept past the next scheduled publication (0: not at all). */
export function maxAgeBefore(nextScheduledAt: Date | null | undefined, now: Date, maxAge: number): number {
  return nextScheduledAt ? Math.min(maxAge, Math.max(0, Math.floor((nextScheduledAt.getTime() - now.getTime()) / 1000))) : maxAge;
}

/**
 * Root fields whose answers are never kept: the partners' change feed. A copy kept by a client
 * over GET could replay a `hasMore: false` past later changes, and a partner would stop syncing.
 */
const NEVER_KEPT = new Set(['changes']);

/** Each operation's verdict, found once: Apollo hands back the same parsed operation for a query it has seen. */
const neverKeptByOperation = new WeakMap<OperationDefinitionNode, boolean>();

function isNeverKept(operation: OperationDefinitionNode, document: DocumentNode | undefined): boolean {
  let verdict = neverKeptByOperation.get(operation);
  if (verdict === undefined) neverKeptByOperation.set(operation, (verdict = selectsNeverKept(operation.selectionSet, document)));
  return verdict;
}

/** Whether the selections hold a NEVER_KEPT root field, directly or through fragments. */
function selectsNeverKept(selections: SelectionSetNode, document: DocumentNode | undefined, seen = new Set<string>()): boolean {
  return selections.selections.some((selection) => {
    if (selection.kind === Kind.FIELD) return NEVER_KEPT.has(selection.name.value);
    if (selection.kind === Kind.INLINE_FRAGMENT) return selectsNeverKept(selection.selectionSet, document, seen);
    if (seen.has(selection.name.value)) return false;
    seen.add(selection.name.value);
    const fragment = document?.definitions.find((d) => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === selection.name.value);
    return fragment?.kind === Kind.FRAGMENT_DEFINITION && selectsNeverKept(fragment.selectionSet, document, seen);
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
 * editors, admins, every mutation and the change feed `no-store`, and an answer with errors is never cached.
 * Nothing public may be cached past the next scheduled publication. `perRequestState`: the
 * response cache has read the content state for this request (use it); otherwise a state at
 * most a second old is enough.
 */
export function cachePolicyPlugin(maxAge: number, perRequestState: boolean): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, document, operation, response }) {
          const headers = response.http.headers;
          const role = contextValue.viewer.role;
          const failed = response.body.kind !== 'single' || Boolean(response.body.singleResult.errors?.length);
          if (operation?.operation !== OperationTypeNode.QUERY || role === 'editor' || role === 'admin' || failed || isNeverKept(operation, document)) {
            headers.set('cache-control', 'no-store');
            return;
          }
          let age = maxAge;
          if (role === 'anonymous') {
            const now = contextValue.services.clock.now();
            const { nextScheduledAt } = perRequestState ? await contextValue.cacheState() : await contextValue.services.contentState.readRecent(now);
            age = maxAgeBefore(nextScheduledAt, now, age);
          }
          headers.set('cache-control', age > 0 ? `max-age=${age}, ${role === 'anonymous' ? 'public' : 'private'}` : 'no-store');
        },
      };
    },
  };
}
