import { GraphQLError, GraphQLFormattedError, isValueNode } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { KijiError } from '../services/shared';
import { isDatabaseUnavailable } from '../db/availability';
import { RequestAbortedError, requestLogger, requestOf } from '../http/request-log';
import { UNAVAILABLE_MESSAGE } from '../http/unavailable';

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
  'RATE_LIMITED',
  'SERVICE_UNAVAILABLE',
  'TIMEOUT',
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
      extensions: { ...namedField(original.details), code: original.code },
    };
  }
  // Apollo relabels errors from validation rules GRAPHQL_VALIDATION_FAILED; ours carry a code of their own.
  const inner = error instanceof GraphQLError ? error.originalError : undefined;
  const code =
    inner instanceof GraphQLError && inner.extensions.code === 'QUERY_TOO_COMPLEX'
      ? 'QUERY_TOO_COMPLEX'
      : (requestErrorCode(error) ?? argumentErrorCode(original) ?? formatted.extensions?.code);
  if (typeof code === 'string' && GRAPHQL_CODES.has(code) && !(original instanceof Error && !(original instanceof GraphQLError))) {
    const { stacktrace: _s, http: _h, ...extensions } = formatted.extensions ?? {};
    const message = formatted.message.startsWith(CONTEXT_PREFIX) ? formatted.message.slice(CONTEXT_PREFIX.length) : formatted.message;
    return { ...formatted, message, extensions: { ...extensions, code } };
  }
  if (isDatabaseUnavailable(original) || original instanceof RequestAbortedError) {
    // Not a fault of Kiji's: the database is away (logged once, by DatabaseAvailability) or the
    // request was stopped; one line per failed field would flood the log.
    return { message: UNAVAILABLE_MESSAGE, locations: formatted.locations, path: formatted.path, extensions: { code: 'SERVICE_UNAVAILABLE' } };
  }
  // The details stay in the log; the request id lets an operator find them from the client's answer.
  // An operation's errors are linked to their request as they come up; a failure to make the
  // context, before there is an operation, is linked as thrown (Apollo wraps it in a GraphQLError).
  const request = requestOf(error) ?? requestOf(error instanceof GraphQLError ? error.originalError : undefined);
  requestLogger(request).error({ err: original }, 'internal error');
  return {
    message: 'Internal server error',
    locations: formatted.locations,
    path: formatted.path,
    extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: request?.id },
  };
}

/** `extensions.field` names what was wrong, an argument (`filter.tag`) or an input field (`input.tags[2]`) alike. */
function namedField(details: Record<string, unknown>): Record<string, unknown> {
  return details.field === undefined && typeof details.argument === 'string' ? { ...details, field: details.argument } : details;
}

/**
 * Apollo refuses some requests before any operation runs (a persisted-query hash that does not
 * match its query, an unsupported persisted-query version) with a 4xx status but no code: they
 * are the client's mistake, BAD_REQUEST, not internal errors.
 */
function requestErrorCode(error: unknown): string | undefined {
  // `error` as thrown: Apollo gives the formatted copy INTERNAL_SERVER_ERROR when it has no code.
  if (!(error instanceof GraphQLError) || error.extensions.code !== undefined || error.originalError || error.path) return undefined;
  const status = (error.extensions.http as { status?: unknown } | undefined)?.status;
  return typeof status === 'number' && status >= 400 && status < 500 ? 'BAD_REQUEST' : undefined;
}

/**
 * graphql-js refuses an argument's value while executing (`related(first: $n)` where `first` is
 * non-null and the client sent `$n: null`): its error points at the value the client sent, not at
 * a field, and has no code. Errors of the server's own making (a value that cannot be
 * serialized, an abstract type unresolved) point at fields.
 */
function argumentErrorCode(original: unknown): string | undefined {
  if (!(original instanceof GraphQLError) || original.extensions.code !== undefined || original.originalError) return undefined;
  const nodes = original.nodes ?? [];
  return nodes.length > 0 && nodes.every(isValueNode) ? 'BAD_USER_INPUT' : undefined;
}
