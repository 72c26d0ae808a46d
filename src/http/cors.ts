import cors from 'cors';
import type { RequestHandler } from 'express';

/*
 * Cross-origin access for web apps (README "Clients"). Kiji's only credential is an API key in
 * the Authorization header, which a browser never attaches by itself, so letting any origin read
 * gives a page on that origin nothing it could not fetch from its own server: `*` is the default.
 * Listing origins (KIJI_CORS_ORIGINS) narrows it for operators who want only their own apps; the
 * answer then names the caller's origin and varies by it.
 */

/** What a browser may send: the JSON content type, a key, Apollo's preflight headers, a revalidation. */
export const CORS_ALLOWED_HEADERS = ['content-type', 'authorization', 'apollo-require-preflight', 'x-apollo-operation-name', 'if-none-match', 'x-request-id'];

/** What a page may read of an answer besides the simple headers: caching, tracing, cost and budget. */
export const CORS_EXPOSED_HEADERS = [
  'etag',
  'age',
  'x-kiji-cache',
  'x-request-id',
  'x-kiji-query-cost',
  'x-ratelimit-limit',
  'x-ratelimit-remaining',
  'x-ratelimit-reset',
  'retry-after',
];

/** How long a browser may reuse a preflight: Chromium keeps at most 2 hours, Firefox 24. */
export const CORS_MAX_AGE_SECONDS = 7200;

/**
 * The CORS handler for the GraphQL endpoint (or another, with its `methods`), or null when no
 * origin may call it (`off`); `origins` is KIJI_CORS_ORIGINS as configured, unset meaning `*`.
 */
export function corsFor(origins: '*' | string[] | null | undefined, methods: string[] = ['GET', 'POST']): RequestHandler | null {
  if (origins === null) return null;
  return cors({
    origin: origins === undefined || origins === '*' ? '*' : origins,
    methods,
    allowedHeaders: CORS_ALLOWED_HEADERS,
    exposedHeaders: CORS_EXPOSED_HEADERS,
    maxAge: CORS_MAX_AGE_SECONDS,
    // Answered here with 204, never passed on: a preflight is not a GraphQL request.
    preflightContinue: false,
    optionsSuccessStatus: 204,
  });
}
