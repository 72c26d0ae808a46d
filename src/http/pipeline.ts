import type { NextFunction, Request, RequestHandler, Response } from 'express';

/**
 * Runs handlers one after the other as one Express middleware, the way `app.use(path, a, b, c)`
 * would, but without a turn through Express's router for each: every mounted layer matches the
 * path, rewrites `req.url` and restores it, and on the GraphQL endpoint that per-request cost is
 * measured (README "Limits", bench:ab). An error (thrown, rejected, or passed to `next`) skips
 * the rest and goes to the app's error handlers.
 */
export function inSequence(...handlers: RequestHandler[]): RequestHandler {
  return (req: Request, res: Response, done: NextFunction): void => {
    let index = 0;
    const next = (error?: unknown): void => {
      // `next('route')` and `next('router')` leave the sequence, as they would leave a route.
      if (error === 'route' || error === 'router') return done();
      if (error !== undefined && error !== null) return done(error);
      const handler = handlers[index++];
      if (!handler) return done();
      try {
        const result: unknown = handler(req, res, next);
        if (result instanceof Promise) result.catch((failure: unknown) => done(failure ?? new Error('handler rejected')));
      } catch (failure) {
        done(failure);
      }
    };
    next();
  };
}
