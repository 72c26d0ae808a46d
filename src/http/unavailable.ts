import type { ApolloServerPlugin } from '@apollo/server';
import type { NextFunction, Request, Response } from 'express';
import { HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { DatabaseAvailability, isDatabaseUnavailable } from '../db/availability';
import type { Context } from '../graphql/context';
import { RequestAbortedError } from './request-log';
import { refuse } from './refusal';

/*
 * When the database cannot answer, clients are told so plainly: 503 SERVICE_UNAVAILABLE with a
 * Retry-After, never a 500 or a page naming the host and port. Requests that need the database are
 * refused at once while it is known to be unreachable (cached anonymous answers are served before
 * this point, by the response cache).
 */

const RETRY_AFTER_SECONDS = '5';
export const UNAVAILABLE_MESSAGE = 'The database is unavailable; try again shortly';

/** For errors raised before execution (authenticating a key): 503 with Retry-After. */
export function databaseUnavailableError(cause: unknown): GraphQLError {
  const headers = new HeaderMap([['retry-after', RETRY_AFTER_SECONDS]]);
  return new GraphQLError(UNAVAILABLE_MESSAGE, {
    originalError: cause instanceof Error ? cause : undefined,
    extensions: { code: 'SERVICE_UNAVAILABLE', http: { status: 503, headers } },
  });
}

/** 503 SERVICE_UNAVAILABLE with Retry-After, for requests answered outside Apollo. */
export function refuseUnavailable(res: Response): void {
  refuse(res, 503, 'SERVICE_UNAVAILABLE', UNAVAILABLE_MESSAGE, { headers: { 'retry-after': RETRY_AFTER_SECONDS } });
}

export function databaseGate(availability: DatabaseAvailability) {
  return (_req: Request, res: Response, next: NextFunction): void => {
    if (availability.available) return next();
    refuseUnavailable(res);
  };
}

/**
 * Errors met while executing: a database that failed or timed out turns the answer into a 503
 * (formatError gives those errors SERVICE_UNAVAILABLE), and an unreachable database is reported
 * so that the gate refuses what follows.
 */
export function unavailablePlugin(availability: DatabaseAvailability): ApolloServerPlugin<Context> {
  return {
    async contextCreationDidFail({ error }) {
      availability.report(error instanceof GraphQLError ? (error.originalError ?? error) : error);
    },
    async requestDidStart() {
      let unavailable = false;
      return {
        async didEncounterErrors({ errors }) {
          for (const error of errors) {
            const original = error.originalError;
            if (isDatabaseUnavailable(original) || original instanceof RequestAbortedError) {
              unavailable = true;
              availability.report(original);
            }
          }
        },
        async willSendResponse({ response }) {
          if (!unavailable) return;
          response.http.status = 503;
          response.http.headers.set('retry-after', RETRY_AFTER_SECONDS);
        },
      };
    },
  };
}
