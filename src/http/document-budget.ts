import type { NextFunction, Request, Response } from 'express';
import type { Limits } from '../config';
import { addressClient, budgetHeaders, overBudgetExtensions, overBudgetMessage } from '../graphql/plugins/cost-limit';
import { recordOf } from './request-log';
import { metrics } from './metrics';
import type { CostBudgets } from './rate-limit';
import { refuse } from './refusal';

/**
 * Charges an uncached feed or sitemap (document-cache.ts: past the store, so hits are free, as
 * GraphQL hits are) to the client's per-address budget, the one its anonymous GraphQL reads spend
 * too: a document is public whoever asks, so an API key changes neither its answer nor its bill.
 * Over the budget: 429 RATE_LIMITED with Retry-After, as /graphql answers; else the budget's
 * headers. `costOf` says what the request's document costs (document-cost.ts).
 */
export function documentBudget(budgets: CostBudgets, limits: Limits, costOf: (res: Response) => number) {
  return async (_req: Request, res: Response, next: NextFunction): Promise<void> => {
    const cost = costOf(res);
    res.setHeader('x-kiji-query-cost', String(cost));
    const budget = await budgets.charge('anonymous', addressClient(recordOf(res)?.clientAddress()), cost);
    if (!budget) return next();
    for (const [name, value] of budgetHeaders(budget)) res.setHeader(name, value);
    if (budget.allowed) return next();
    metrics.rateLimited.inc();
    refuse(res, 429, 'RATE_LIMITED', overBudgetMessage(budget, limits.windowSeconds), {
      headers: { 'retry-after': String(budget.resetSeconds) },
      extensions: overBudgetExtensions(budget, cost),
    });
  };
}
