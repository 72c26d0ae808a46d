import type { NextFunction, Request, Response } from 'express';
import { refuse } from './refusal';

/**
 * A deadline per GraphQL request, and an AbortSignal that the per-request loaders check before
 * each batch of SQL (graphql/loaders.ts). The signal fires when the deadline passes (the client has
 * its TIMEOUT answer; the work left is not started) or when the client hangs up before its answer
 * (nobody would read it).
 */

export class RequestAbortedError extends Error {
  constructor(readonly reason: 'timeout' | 'client-gone') {
    super(reason === 'timeout' ? 'the request ran out of time' : 'the client closed the connection');
    this.name = 'RequestAbortedError';
  }
}

/** The signal of a request that went through `requestDeadline`. */
export function requestSignal(res: Response): AbortSignal | undefined {
  return res.locals.signal as AbortSignal | undefined;
}

export function requestDeadline(timeoutMs: number) {
  return (_req: Request, res: Response, next: NextFunction): void => {
    const controller = new AbortController();
    res.locals.signal = controller.signal;
    const timer = setTimeout(() => {
      controller.abort(new RequestAbortedError('timeout'));
      // Headers already out: the answer is being written and will end by itself.
      if (res.headersSent) return;
      refuse(res, 503, 'TIMEOUT', `The request did not finish within ${timeoutMs} ms and was stopped`);
      muteLateAnswer(res);
    }, timeoutMs);
    res.once('close', () => {
      clearTimeout(timer);
      if (!res.writableFinished) controller.abort(new RequestAbortedError('client-gone'));
    });
    next();
  };
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
