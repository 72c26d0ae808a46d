import type { GatewayExecutor, GatewayInterface } from '@apollo/server-gateway-interface';
import { DocumentNode, ExecutionResult, getVariableValues, GraphQLError, GraphQLSchema } from 'graphql';
import { compileQuery, CompiledQuery, isCompiledQuery } from 'graphql-jit';

/**
 * Executes operations with graphql-jit instead of graphql-js: each operation is compiled once
 * into a function that walks its selection set directly (the uncached feed spends about a fifth
 * less CPU per request). Apollo runs everything else as before: parsing, validation (depth limit
 * included), plugins, cache hints, error formatting. Apollo's gateway interface is its way to
 * replace the executor; there is no gateway, the same schema is served.
 *
 * Compiled operations are kept per parsed document, which Apollo itself caches (LRU): when it
 * drops a document, the compiled operations go with it.
 */
export function compiledExecution(schema: GraphQLSchema): GatewayInterface {
  const compiled = new WeakMap<DocumentNode, Map<string, CompiledQuery | ExecutionResult>>();
  const executor: GatewayExecutor = async ({ document, operation: definition, request, context }) => {
    const name = request.operationName ?? undefined;
    let byName = compiled.get(document);
    if (!byName) compiled.set(document, (byName = new Map()));
    let operation = byName.get(name ?? '');
    if (!operation) byName.set(name ?? '', (operation = compileQuery(schema, document, name)));
    if (!isCompiledQuery(operation)) return operation;
    const result = (await operation.query(undefined, context, request.variables ?? {})) as ExecutionResult;
    if (!result.errors) return result;
    if (!('data' in result)) {
      // The operation never started: its variables were refused. graphql-js words that and
      // Apollo recognizes its errors (400 BAD_USER_INPUT), so let it say why.
      const coerced = getVariableValues(schema, definition.variableDefinitions ?? [], request.variables ?? {});
      if (coerced.errors) return { errors: coerced.errors };
    }
    return { ...result, errors: result.errors.map(asGraphQLError) };
  };
  return {
    load: async () => ({ executor }),
    onSchemaLoadOrUpdate: (callback) => {
      callback({ apiSchema: schema, coreSupergraphSdl: '' });
      return () => undefined;
    },
    stop: async () => undefined,
  };
}

/** graphql-jit's errors only look like graphql-js's (no `extensions` object, no `nodes`): Apollo needs the real class. */
function asGraphQLError(error: GraphQLError): GraphQLError {
  const converted = new GraphQLError(error.message, { path: error.path, originalError: error.originalError, extensions: error.extensions ?? undefined });
  (converted as { locations?: unknown }).locations = error.locations;
  return converted;
}
