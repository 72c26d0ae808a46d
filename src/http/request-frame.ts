import type { NextFunction, Request, Response } from 'express';
import { withSqlTally } from '../db/sql-counter';
import type { Deadlines } from './deadline';
import { requestIdFrom } from './request-id';
import { logRequest, RequestLogOptions, RequestRecord } from './request-log';
import type { Drain } from './shutdown';

export interface RequestFrameOptions extends RequestLogOptions {
  /** Tracks requests in flight for a graceful shutdown. */
  drain?: Drain;
  /** Request deadlines (registered further down, past the response cache): released here. */
  deadlines?: Deadlines;
  /** The client's key for per-address budgets (client-address.ts). */
  clientAddress?: (req: Request) => string;
  /** Count each request's SQL statements (KIJI_SQL_TALLY; config.ts says what that costs). */
  sqlTally?: boolean;
}

const unknownAddress = () => 'unknown';

/**
 * The first middleware of the app, and the only one every request goes through: it gives the
 * request its id (echoed as `x-request-id`) and its record (the SQL tally when statements are
 * counted, the log line's fields, the abort flag the loaders check), tells the drain it is in flight, and when the answer is done
 * (or the client went away) settles everything in one `close` listener. One middleware rather than
 * one per concern: each is a closure, a listener and a turn through Express's router per request,
 * and together they cost more than the work they do.
 */
export function requestFrame(options: RequestFrameOptions) {
  const { drain, deadlines } = options;
  const clientAddress = options.clientAddress ?? unknownAddress;
  return (req: Request, res: Response, next: NextFunction): void => {
    const id = requestIdFrom(req.headers['x-request-id']);
    res.setHeader('x-request-id', id);
    // Every answer is JSON (or the explorer's page): never to be read as anything else.
    res.setHeader('x-content-type-options', 'nosniff');
    const record = new RequestRecord(id, options.logger, req, clientAddress);
    // Without a key the viewer is anonymous, also on a cache hit (Apollo never sees those).
    if (!req.headers.authorization) record.role = 'anonymous';
    res.locals.requestRecord = record;
    const path = req.path.slice(0, 200);
    drain?.track(res);
    res.once('close', () => {
      deadlines?.release(res);
      // Gone before its answer was written: nobody will read the rest, so none of it is started.
      if (!res.writableFinished) record.abort('client-gone');
      logRequest(record, req, res, path, options);
      drain?.release(res);
    });
    if (!options.sqlTally) return next();
    record.countsSql = true;
    withSqlTally(next, record);
  };
}
