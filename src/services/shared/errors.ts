/**
 * Errors the domain raises on purpose. Each carries the public code clients rely on
 * (README, "The GraphQL API": BAD_USER_INPUT, NOT_FOUND, ...); the GraphQL layer maps them to `extensions.code`.
 * Anything else that escapes is an internal error and its message never reaches a client.
 */
export type ErrorCode = 'BAD_USER_INPUT' | 'NOT_FOUND' | 'UNAUTHENTICATED' | 'FORBIDDEN' | 'CONFLICT' | 'QUERY_TOO_COMPLEX' | 'RATE_LIMITED';

export class KijiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'KijiError';
  }
}

export function badInput(message: string, details: Record<string, unknown> = {}): KijiError {
  return new KijiError('BAD_USER_INPUT', message, details);
}
