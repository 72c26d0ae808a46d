import type { ApolloServerPlugin } from '@apollo/server';
import {
  ConstDirectiveNode,
  DocumentNode,
  getNamedType,
  GraphQLSchema,
  isCompositeType,
  Kind,
  TypeInfo,
  visit,
  visitWithTypeInfo,
} from 'graphql';
import type { Context } from '../graphql/context';

/**
 * Cache-Control for every answer, from hints on types and fields and from who is asking.
 *
 * Hints are `@cacheControl(maxAge: Int, scope: PUBLIC | PRIVATE, inheritMaxAge: Boolean)` on a
 * field or on the type it returns, with Apollo's rules: a root field or a field returning an
 * object without a hint gets the default max-age, a scalar field inherits its parent's. Kiji's
 * hints never depend on the data, so the policy of an operation is worked out once per parsed
 * document (Apollo keeps those) instead of field by field at run time as Apollo's own
 * cache-control plugin does, which costs a wrapper around every resolver call.
 *
 * Then the viewer: anonymous readers get the policy as it is (public), keyed readers a private
 * one, editors and admins and every mutation `no-store`; an answer with errors is never cached.
 * Nothing may be cached past the next scheduled publication.
 */

interface Policy {
  maxAge: number;
  scope: 'PUBLIC' | 'PRIVATE';
}

interface Hint {
  maxAge?: number;
  scope?: 'PUBLIC' | 'PRIVATE';
  inheritMaxAge?: boolean;
}

function hintOf(directives: readonly ConstDirectiveNode[] | undefined): Hint | undefined {
  const directive = directives?.find((d) => d.name.value === 'cacheControl');
  if (!directive) return undefined;
  const hint: Hint = {};
  for (const argument of directive.arguments ?? []) {
    const value = argument.value;
    if (argument.name.value === 'maxAge' && value.kind === Kind.INT) hint.maxAge = Number(value.value);
    if (argument.name.value === 'scope' && value.kind === Kind.ENUM) hint.scope = value.value === 'PRIVATE' ? 'PRIVATE' : 'PUBLIC';
    if (argument.name.value === 'inheritMaxAge' && value.kind === Kind.BOOLEAN) hint.inheritMaxAge = value.value;
  }
  return hint;
}

/** The policy the hints give an operation's document: the lowest max-age and the narrowest scope met. */
export function documentPolicy(schema: GraphQLSchema, document: DocumentNode, defaultMaxAge: number): Policy {
  const policy: Policy = { maxAge: Number.POSITIVE_INFINITY, scope: 'PUBLIC' };
  const roots = new Set([schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].filter(Boolean));
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field() {
        const field = typeInfo.getFieldDef();
        if (!field) return;
        const returned = getNamedType(field.type);
        const hint = hintOf(field.astNode?.directives) ?? (isCompositeType(returned) ? hintOf(returned.astNode?.directives) : undefined);
        if (hint?.scope === 'PRIVATE') policy.scope = 'PRIVATE';
        const needsOwnAge = isCompositeType(returned) || roots.has(typeInfo.getParentType() as never);
        const maxAge = hint?.maxAge ?? (needsOwnAge && !hint?.inheritMaxAge ? defaultMaxAge : undefined);
        if (maxAge !== undefined) policy.maxAge = Math.min(policy.maxAge, maxAge);
      },
    }),
  );
  return { ...policy, maxAge: Number.isFinite(policy.maxAge) ? policy.maxAge : defaultMaxAge };
}

/**
 * Sets `cache-control` on every GraphQL answer. `perRequestState`: the response cache has read
 * the content state for this request (use it); otherwise a state at most a second old is enough.
 */
export function cachePolicyPlugin(defaultMaxAge: number, perRequestState: boolean): ApolloServerPlugin<Context> {
  const policies = new WeakMap<DocumentNode, Policy>();
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, operation, document, schema, response }) {
          const headers = response.http.headers;
          const role = contextValue.viewer.role;
          const failed = response.body.kind !== 'single' || Boolean(response.body.singleResult.errors?.length);
          if (!document || operation?.operation !== 'query' || role === 'editor' || role === 'admin' || failed) {
            headers.set('cache-control', 'no-store');
            return;
          }
          let policy = policies.get(document);
          if (!policy) policies.set(document, (policy = documentPolicy(schema, document, defaultMaxAge)));
          let { maxAge } = policy;
          const scope = role === 'anonymous' ? policy.scope : 'PRIVATE';
          if (role === 'anonymous') {
            const now = contextValue.services.clock.now();
            const { nextScheduledAt } = perRequestState ? await contextValue.cacheState() : await contextValue.services.contentState.readRecent(now);
            if (nextScheduledAt) maxAge = Math.min(maxAge, Math.max(0, Math.floor((nextScheduledAt.getTime() - now.getTime()) / 1000)));
          }
          headers.set('cache-control', maxAge > 0 ? `max-age=${maxAge}, ${scope.toLowerCase()}` : 'no-store');
        },
      };
    },
  };
}
