import type { Response } from 'express';
import { noteErrorCode } from './request-log';

/**
 * A GraphQL JSON error answered before (or instead of) Apollo: a request that cannot be read or
 * routed, the database unreachable, the request out of time, the server shutting down. Same shape
 * as Apollo's errors, so clients handle them in one place; the code goes into the request's log line.
 */
export function refuse(
  res: Response,
  status: number,
  code: string,
  message: string,
  options: { headers?: Record<string, string>; extensions?: Record<string, unknown> } = {},
): void {
  if (res.headersSent) return;
  noteErrorCode(res, code);
  for (const [name, value] of Object.entries(options.headers ?? {})) res.setHeader(name, value);
  res.setHeader('cache-control', 'no-store');
  const body = JSON.stringify({ errors: [{ message, extensions: { code, ...options.extensions } }] });
  res.status(status).type('application/json').send(body);
}
