import type { NextFunction, Request, Response } from 'express';
import { refuse } from './refusal';
import { recordOf, requestLogger } from './request-log';

/**
 * Every answer Kiji gives outside Apollo is GraphQL-shaped JSON too: `{ errors: [{ message,
 * extensions: { code } }] }` with the matching HTTP status. Express's own handlers would answer an
 * HTML page, with the stack and `node_modules` paths unless NODE_ENV=production; none is reached.
 * Messages are written here, never taken from the error (body-parser's echo the client's input).
 */

/** The GraphQL endpoint is `/graphql` (or `/graphql/`), nothing below or beside it. */
export function graphqlPathOnly(req: Request, res: Response, next: NextFunction): void {
  if (req.path !== '/') return refuse(res, 404, 'NOT_FOUND', 'Not found: GraphQL is served at /graphql');
  next();
}

/** GraphQL requests come by GET or POST (a CORS preflight, answered before this, by OPTIONS). */
export function graphqlMethodsOnly(req: Request, res: Response, next: NextFunction): void {
  if (req.method !== 'GET' && req.method !== 'POST') {
    res.setHeader('allow', 'GET, POST');
    return refuse(res, 405, 'METHOD_NOT_ALLOWED', 'Send GraphQL requests with GET or POST');
  }
  next();
}

/** The last route: any path nothing else answered. */
export function notFound(_req: Request, res: Response): void {
  refuse(res, 404, 'NOT_FOUND', 'Not found: GraphQL is served at /graphql');
}

interface ClientError {
  status: number;
  code: string;
  message: string;
}

/** Body-parser's refusals (http-errors with a `type`), as clients should read them. */
const BODY_ERRORS: Record<string, ClientError> = {
  'entity.parse.failed': { status: 400, code: 'BAD_REQUEST', message: 'The request body is not a JSON object' },
  'entity.too.large': { status: 413, code: 'PAYLOAD_TOO_LARGE', message: 'The request body is larger than 2 MB' },
  'charset.unsupported': { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Unsupported charset: send the body as UTF-8' },
  'encoding.unsupported': {
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
    message: 'Unsupported Content-Encoding: send the body as identity, gzip, deflate or br',
  },
  'request.aborted': { status: 400, code: 'BAD_REQUEST', message: 'The request body ended early' },
  'request.size.invalid': { status: 400, code: 'BAD_REQUEST', message: 'The request body does not match its Content-Length' },
};

const CODE_BY_STATUS: Record<number, string> = {
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
};

function clientErrorOf(error: unknown): ClientError | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { type, status, expose } = error as { type?: unknown; status?: unknown; expose?: unknown };
  if (typeof type === 'string' && BODY_ERRORS[type]) return BODY_ERRORS[type];
  // Other errors made for clients (http-errors' `expose`), e.g. a gzip body that does not inflate.
  if (expose === true && typeof status === 'number' && status >= 400 && status < 500) {
    return { status, code: CODE_BY_STATUS[status] ?? 'BAD_REQUEST', message: 'The request could not be read' };
  }
  return undefined;
}

/**
 * The app's error handler: a client's mistake gets its 4xx; anything else is 500
 * INTERNAL_SERVER_ERROR with the request id, and its details go to the log under that id.
 */
export function jsonErrors(error: unknown, req: Request, res: Response, _next: NextFunction): void {
  const client = clientErrorOf(error);
  const record = recordOf(res);
  if (!client) requestLogger(record).error({ err: error, path: req.path.slice(0, 200) }, 'internal error');
  if (res.headersSent) {
    // Part of an answer is out: it cannot become an error any more; the client sees it cut short.
    res.destroy();
    return;
  }
  if (client) return refuse(res, client.status, client.code, client.message);
  refuse(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error', { extensions: { requestId: record?.id } });
}
