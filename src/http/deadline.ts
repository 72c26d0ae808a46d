import type { NextFunction, Request, Response } from 'express';
import { refuse } from './refusal';
import { recordOf } from './request-log';

/**
 * A deadline per GraphQL request (and per feed or sitemap to make: feeds.ts). When it passes, the client gets a TIMEOUT answer and the request
 * is marked aborted (its record), so its loaders start no more SQL (graphql/loaders.ts); a client
 * that hangs up marks it the same way (request-frame.ts).
 *
 * One sweep over the requests in flight, not a timer per request: every request gets the same
 * timeout, so they expire in the order they came (a Map keeps that order) and a sweep stops at the
 * first one still in time. A deadline is kept to within a twentieth of the timeout.
 */
export class Deadlines {
  private readonly due = new Map<Response, number>();
  private timer: NodeJS.Timeout | undefined;
  private readonly tickMs: number;

  constructor(private readonly timeoutMs: number) {
    this.tickMs = Math.max(5, Math.min(100, Math.round(timeoutMs / 20)));
  }

  /** Gives the request a deadline (mounted past the response cache: cached answers need none). */
  readonly middleware = (_req: Request, res: Response, next: NextFunction): void => {
    this.due.set(res, performance.now() + this.timeoutMs);
    this.timer ??= setInterval(this.sweep, this.tickMs).unref();
    next();
  };

  /** The request is answered, or its client is gone. */
  release(res: Response): void {
    this.due.delete(res);
  }

  private readonly sweep = (): void => {
    const now = performance.now();
    for (const [res, due] of this.due) {
      if (due > now) break;
      this.due.delete(res);
      this.expire(res);
    }
    if (this.due.size === 0) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  };

  private expire(res: Response): void {
    recordOf(res)?.abort('timeout');
    // Headers already out: the answer is being written and will end by itself.
    if (res.headersSent) return;
    refuse(res, 503, 'TIMEOUT', `The request did not finish within ${this.timeoutMs} ms and was stopped`);
    muteLateAnswer(res);
  }
}

/**
 * The work that timed out still ends in Apollo writing an answer; that answer has nowhere to go.
 * Without this, writing headers a second time throws and Express would destroy the socket, cutting
 * off the TIMEOUT answer and the keep-alive connection with it.
 */
export function muteLateAnswer(res: Response): void {
  res.setHeader = () => res;
  res.writeHead = () => res;
  res.send = () => res;
  res.json = () => res;
  res.write = () => true;
  res.end = () => res;
}
