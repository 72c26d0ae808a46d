import type { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import express, { NextFunction, Request, RequestHandler, Response } from 'express';
import { DEFAULT_MAX_BATCH } from '../config';
import { DatabaseAvailability } from '../db/availability';
import { Context, createContext } from '../graphql/context';
import type { Services } from '../services/registry';
import type { Viewer } from '../services/access';
import { EncodedBodies, compressAnswers } from './compression';
import { corsFor } from './cors';
import type { Deadlines } from './deadline';
import { graphqlMethodsOnly, graphqlPathOnly } from './errors-middleware';
import { inSequence } from './pipeline';
import { refuse } from './refusal';
import { contextFailureCode, raisedIn, recordOf } from './request-log';
import { CacheFreshness, cacheStateOf, readsCommittedOf, responseCacheMiddleware, ResponseStore } from './response-cache';
import { databaseGate } from './unavailable';

export interface GraphqlEndpointParts {
  services: Services;
  apollo: ApolloServer<Context>;
  /** The viewer behind an Authorization header (rejects with 401 or 503). */
  authenticate(authorization: string | undefined): Promise<Viewer>;
  availability: DatabaseAvailability;
  deadlines: Deadlines;
  /** The whole-response cache for anonymous reads, when it is on. */
  responses: ResponseStore | null;
  /** Where the response cache reads the content state (shared with the feeds: server.ts). */
  freshness: CacheFreshness;
  /** Compressed copies of cached answers (shared with the feeds: server.ts). */
  encoded: EncodedBodies;
}

/**
 * An answer differs by who asks (a key sees more, a public answer may be cached by a CDN), by
 * the encodings and the media type the client accepts; CORS adds `Origin` when origins are listed.
 */
const VARY = 'Accept, Accept-Encoding, Authorization';

function varyByRequest(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader('vary', VARY);
  next();
}

/** A JSON array of operations (Apollo's BatchHttpLink) may hold at most `max`; each is costed and charged on its own. */
function batchLimit(max: number): RequestHandler {
  return (req, res, next) => {
    if (!Array.isArray(req.body) || (max > 0 && req.body.length <= max)) return next();
    const message =
      max === 0 ? 'Batched requests are turned off (KIJI_MAX_BATCH=0)' : `A batch may hold at most ${max} operations (KIJI_MAX_BATCH); this one holds ${req.body.length}`;
    refuse(res, 400, 'BAD_REQUEST', message, { extensions: { limit: max, operations: req.body.length } });
  };
}

/**
 * `/graphql`, in the order a request meets it: headers every answer carries, the path, CORS (a
 * preflight ends there), the methods, the body, the batch size, the response cache (anonymous
 * hits end there), compression, the database gate and the request's deadline, then Apollo.
 * One Express middleware (pipeline.ts): this is the path every uncached read takes.
 */
export function graphqlEndpoint(parts: GraphqlEndpointParts): RequestHandler {
  const { services, availability } = parts;
  const config = services.config;
  const cors = corsFor(config.corsOrigins);
  const steps: RequestHandler[] = [
    varyByRequest,
    graphqlPathOnly,
    ...(cors ? [cors] : []),
    graphqlMethodsOnly,
    express.json({ limit: '2mb' }),
    batchLimit(config.maxBatch ?? DEFAULT_MAX_BATCH),
  ];
  if (parts.responses) steps.push(responseCacheMiddleware(parts.responses, parts.freshness, config.cacheNamespace, parts.encoded));
  // Past the response cache (a hit's compressed copy is kept beside it): fresh answers are compressed
  // as Apollo writes them; what follows needs the database, and gets a deadline.
  steps.push(
    compressAnswers(),
    databaseGate(availability),
    parts.deadlines.middleware,
    expressMiddleware(parts.apollo, {
      context: async ({ req, res }) => {
        const record = recordOf(res);
        try {
          return createContext(services, await parts.authenticate(req.headers.authorization), cacheStateOf(res), record, readsCommittedOf(res));
        } catch (error) {
          // Apollo answers with the error's code (formatError, which finds the request id through
          // raisedIn); the log line says it too.
          raisedIn(error, record);
          record?.noteErrorCode(contextFailureCode(error));
          throw error;
        }
      },
    }),
  );
  return inSequence(...steps);
}
