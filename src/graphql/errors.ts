import { GraphQLError, GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { KijiError } from '../services/errors';

/*
 * Apollo masks stack traces but passes resolver messages through, which could carry SQL text or
 * file paths. Every error leaves here with a code from the public contract and a message that
 * was written for clients: ours (KijiError), GraphQL's own (parse, validation, variables), or a
 * generic one for anything unexpected (logged on the server with its details).
 */

const GRAPHQL_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'BAD_REQUEST',
  'UNAUTHENTICATED',
  'QUERY_TOO_COMPLEX',
]);

// Apollo prefixes errors thrown while building the context; the reason alone is what clients need.
const CONTEXT_PREFIX = 'Context creation failed: ';

export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  if (original instanceof KijiError) {
    return {
      message: original.message,
      locations: formatted.locations,
      path: formatted.path,
      extensions: { ...original.details, code: original.code },
    };
  }
  // Apollo relabels errors from validation rules GRAPHQL_VALIDATION_FAILED; ours carry a code of their own.
  const inner = error instanceof GraphQLError ? error.originalError : undefined;
  const code = inner instanceof GraphQLError && inner.extensions.code === 'QUERY_TOO_COMPLEX' ? 'QUERY_TOO_COMPLEX' : formatted.extensions?.code;
  if (typeof code === 'string' && GRAPHQL_CODES.has(code) && !(original instanceof Error && !(original instanceof GraphQLError))) {
    const { stacktrace: _s, http: _h, ...extensions } = formatted.extensions ?? {};
    const message = formatted.message.startsWith(CONTEXT_PREFIX) ? formatted.message.slice(CONTEXT_PREFIX.length) : formatted.message;
    return { ...formatted, message, extensions: { ...extensions, code } };
  }
  console.error('[kiji] internal error', original);
  return {
    message: 'Internal server error',
    locations: formatted.locations,
    path: formatted.path,
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  };
}
