import type { ApolloServerPlugin } from '@apollo/server';
import type { Request, Response } from 'express';
import { GraphQLError } from 'graphql';
import type { SqlTally } from '../db/sql-counter';
import type { Context } from '../graphql/context';
import { createLogger, Logger } from '../log';
import { observeRequest, Outcome } from './metrics';

/**
 * One record per HTTP request, kept in `res.locals` and in the GraphQL context: it is the
 * request's SQL tally when statements are counted (KIJI_SQL_TALLY, the one AsyncLocalStorage the
 * process keeps). The Apollo plugin below fills in what only GraphQL knows, error handlers log under
 * its id, and when the answer is done it becomes one log line and the request metrics.
 */
export class RequestRecord implements SqlTally {
  /** The operation Apollo resolved: its name, or `(anonymous)`. */
  operation?: string;
  role?: string;
  /** `extensions.code`s of the answer, when it has errors. */
  errorCodes?: Set<string>;
  statements = 0;
  /** Whether `statements` was counted (KIJI_SQL_TALLY): when not, it is never shown. */
  countsSql = false;
  /** Why the request was stopped, once it is: its deadline passed, or its client went away. */
  aborted?: RequestAbortedError;
  readonly started = performance.now();
  private child?: Logger;
  private address?: string;

  constructor(
    readonly id: string,
    private readonly logger: Logger,
    private readonly req: Request,
    private readonly addressOf: (req: Request) => string,
  ) {}

  /** The client's key for per-address budgets (client-address.ts), worked out when first asked. */
  clientAddress(): string {
    return (this.address ??= this.addressOf(this.req));
  }

  abort(reason: RequestAbortedError['reason']): void {
    this.aborted ??= new RequestAbortedError(reason);
  }

  /** What the request's loaders check before each batch of SQL (graphql/loaders.ts). */
  throwIfAborted(): void {
    if (this.aborted) throw this.aborted;
  }

  /** Logs under the request id (made when first used: most requests only get their one line). */
  get log(): Logger {
    return (this.child ??= this.logger.child({ requestId: this.id }));
  }

  noteErrorCode(code: string): void {
    (this.errorCodes ??= new Set()).add(code);
  }
}

export class RequestAbortedError extends Error {
  constructor(readonly reason: 'timeout' | 'client-gone') {
    super(reason === 'timeout' ? 'the request ran out of time' : 'the client closed the connection');
    this.name = 'RequestAbortedError';
  }
}

/** The record of the request `res` answers, where the async context may have been lost (stream callbacks). */
export function recordOf(res: Response): RequestRecord | undefined {
  return res.locals.requestRecord as RequestRecord | undefined;
}

/** For answers written outside Apollo: puts their error code in the request's log line. */
export function noteErrorCode(res: Response, code: string): void {
  recordOf(res)?.noteErrorCode(code);
}

let fallback: Logger | undefined;
/** The request's logger; without one (an error no request can be found for), a process logger at `info`. */
export function requestLogger(record: RequestRecord | undefined): Logger {
  return record?.log ?? (fallback ??= createLogger('info'));
}

/** The SQL statements the request sent, when they were counted: what `x-kiji-sql-statements` says. */
export function countedStatements(record: RequestRecord | undefined): number | undefined {
  return record?.countsSql ? record.statements : undefined;
}

/**
 * The request each error of an operation came up in (didEncounterErrors, below), for formatError,
 * which Apollo gives the error alone: an internal error's log line and answer carry the request id.
 */
const requestOfError = new WeakMap<object, RequestRecord>();

export function requestOf(error: unknown): RequestRecord | undefined {
  return typeof error === 'object' && error !== null ? requestOfError.get(error) : undefined;
}

/** Says which request `error` came up in (didEncounterErrors does for an operation's errors). */
export function raisedIn(error: unknown, record: RequestRecord | undefined): void {
  if (record && typeof error === 'object' && error !== null) requestOfError.set(error, record);
}

/** Names come from clients: long ones are cut, so that a log line or a metric label stays small. */
const MAX_NAME = 64;
const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

function operationNamed(name: string | null | undefined): string {
  return name ? name.slice(0, MAX_NAME) : '(anonymous)';
}

/** The operation a cache hit answered: the stored answer was Apollo's for this very name. */
function claimedOperation(req: Request): string {
  const source = (req.method === 'GET' ? req.query : req.body) as { operationName?: unknown } | undefined;
  const name = source?.operationName;
  return typeof name === 'string' && GRAPHQL_NAME.test(name) ? operationNamed(name) : '(anonymous)';
}

function outcomeOf(status: number, codes: Set<string> | undefined): Outcome {
  if (status >= 500 || codes?.has('INTERNAL_SERVER_ERROR')) return 'server_error';
  return status >= 400 || codes !== undefined ? 'client_error' : 'ok';
}

export interface RequestLogOptions {
  logger: Logger;
  /** Requests slower than this are logged at `warn`. */
  slowMs: number;
}

/**
 * The request's one log line and its metrics, once its answer is done (or its client went away):
 * `info` normally, `warn` when slow, `error` for a 5xx. `path`: as it came (Express rewrites
 * `req.url` inside mounted middleware).
 */
export function logRequest(record: RequestRecord, req: Request, res: Response, path: string, { logger, slowMs }: RequestLogOptions): void {
  const durationMs = Math.round((performance.now() - record.started) * 10) / 10;
  const cache = res.getHeader('x-kiji-cache') as string | undefined;
  if (cache === 'hit' || cache === 'coalesced') record.operation ??= claimedOperation(req);
  const status = res.statusCode;
  const graphql = path === '/graphql' || path === '/graphql/';
  // Apollo's own refusals of a malformed request (no query, a GET mutation; 406 for an Accept it
  // cannot answer) come with no code noted.
  if (graphql && status >= 400 && status < 500 && !record.errorCodes) record.noteErrorCode('BAD_REQUEST');
  const sqlStatements = countedStatements(record);
  observeRequest({ graphql, status, durationMs, operation: record.operation, outcome: outcomeOf(status, record.errorCodes), sqlStatements, cache });
  const slow = durationMs >= slowMs;
  const level = status >= 500 ? 'error' : slow ? 'warn' : 'info';
  if (!logger.isLevelEnabled(level)) return;
  const line = {
    requestId: record.id,
    method: req.method,
    path,
    status,
    durationMs,
    operation: record.operation,
    role: record.role,
    sqlStatements,
    cache,
    errorCodes: record.errorCodes ? [...record.errorCodes] : undefined,
    aborted: res.writableFinished ? undefined : true,
    slowMs: slow ? slowMs : undefined,
  };
  logger[level](line, status >= 500 ? 'request failed' : slow ? 'slow request' : 'request');
}

/** The code a failure to make the GraphQL context (a bad key, the database failing) is answered with. */
export function contextFailureCode(error: unknown): string {
  const code = error instanceof GraphQLError ? error.extensions.code : undefined;
  return typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR';
}

/**
 * What only GraphQL knows about a request: who asked, which operation, which error codes; and the
 * number of SQL statements it cost, in `x-kiji-sql-statements` (for tests, benchmarks and operators).
 */
export const requestLogPlugin: ApolloServerPlugin<Context> = {
  // A plugin hook threw past the operation: Apollo answers a bare 500 and logs only the message.
  async unexpectedErrorProcessingRequest({ requestContext, error }) {
    const record = requestContext.contextValue.request;
    record?.noteErrorCode('INTERNAL_SERVER_ERROR');
    requestLogger(record).error({ err: error }, 'internal error');
  },
  async requestDidStart({ contextValue }) {
    const record = contextValue.request;
    if (!record) return;
    record.role = contextValue.viewer?.role;
    return {
      async didResolveOperation({ operationName }) {
        record.operation = operationNamed(operationName);
      },
      async didEncounterErrors({ errors }) {
        for (const error of errors) raisedIn(error, record);
      },
      async willSendResponse({ response }) {
        const statements = countedStatements(record);
        if (statements !== undefined) response.http.headers.set('x-kiji-sql-statements', String(statements));
        if (response.body.kind !== 'single') return;
        for (const error of response.body.singleResult.errors ?? []) {
          const code = error.extensions?.code;
          if (typeof code === 'string') record.noteErrorCode(code);
        }
      },
    };
  },
};
