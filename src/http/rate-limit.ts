import type { ApolloServerPlugin } from '@apollo/server';
import type Redis from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { DEFAULT_LIMITS, LimitTier, LIMIT_TIERS, type Config } from '../config';
import type { Context } from '../graphql/context';
import { BudgetState, costLimitPlugin, CostLimitOptions } from '../graphql/plugins/cost-limit';
import type { RedisLink } from './cache';
import { metrics } from './metrics';

/*
 * Budgets of cost with rate-limiter-flexible: each client (an API key, or an address) may spend
 * its tier's budget of cost points per window, as GitHub's GraphQL API counts points per hour.
 * The counters are in this process, or in Redis when REDIS_URL is set, so that every Kiji instance
 * counts against the same budget. While Redis is down, frozen or slow (RedisLink), each instance
 * counts in its own memory: a request is never refused, or held up for long, because of Redis.
 */

type Log = (message: string, error?: unknown) => void;

/** Budgets of cost per client and window; `charge` answers null when the tier has no budget. */
export type CostBudgets = Pick<CostLimitOptions, 'charge' | 'ready'>;
/** At start, how long to wait for Redis to connect, so that counting is shared from the first request. */
const REDIS_START_WAIT_MS = 1000;

interface Counters {
  memory: RateLimiterMemory;
  shared: RateLimiterRedis | null;
}

/** `redisLink`: the server's connection to Redis (cache.ts openRedisLink), to count with, or null. */
export function createCostBudgets(config: Config, redisLink: RedisLink | null, log: Log): CostBudgets {
  const limits = config.limits ?? DEFAULT_LIMITS;
  const counting = LIMIT_TIERS.some((tier) => limits.budget[tier] > 0);
  const link = counting ? redisLink : null;
  const counters = new Map<LimitTier, Counters>();
  for (const tier of LIMIT_TIERS) {
    const points = limits.budget[tier];
    if (points === 0) continue;
    const options = { points, duration: limits.windowSeconds, keyPrefix: `${config.cacheNamespace}:rate:${tier}` };
    counters.set(tier, { memory: new RateLimiterMemory(options), shared: link ? new RateLimiterRedis({ ...options, storeClient: link.redis }) : null });
  }

  const consume = async (limiter: RateLimiterMemory | RateLimiterRedis, client: string, points: number): Promise<BudgetState> => {
    try {
      return stateOf(limiter.points, await limiter.consume(client, points), true);
    } catch (outcome) {
      if (outcome instanceof RateLimiterRes) return stateOf(limiter.points, outcome, false);
      throw outcome;
    }
  };

  return {
    async charge(tier, client, cost) {
      const counter = counters.get(tier);
      if (!counter) return null;
      const points = Math.max(1, Math.ceil(cost));
      if (counter.shared && link?.usable) {
        try {
          return await consume(counter.shared, client, points);
        } catch (error) {
          link.commandFailed(error);
        }
      }
      try {
        return await consume(counter.memory, client, points);
      } catch (error) {
        // Not expected of counters in memory; whatever it is, serve rather than refuse.
        log('rate limit: could not count a request', error);
        return null;
      }
    },
    ready: link ? connected(link.redis) : Promise.resolve(),
  };
}

function stateOf(limit: number, res: RateLimiterRes, allowed: boolean): BudgetState {
  return { allowed, limit, remaining: res.remainingPoints, resetSeconds: Math.max(1, Math.ceil(res.msBeforeNext / 1000)) };
}

/** Settles once Redis is connected, or after REDIS_START_WAIT_MS (memory counts until it is). */
function connected(redis: Redis): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, REDIS_START_WAIT_MS).unref();
    redis.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Kiji's cost limits and budgets (createCostBudgets, shared with feeds: document-budget.ts) as an Apollo plugin. */
export function costLimits(config: Config, budgets: CostBudgets): ApolloServerPlugin<Context> {
  return costLimitPlugin({
    ...budgets,
    limits: config.limits ?? DEFAULT_LIMITS,
    clientAddress: (context) => context.request?.clientAddress(),
    refused: (code) => (code === 'RATE_LIMITED' ? metrics.rateLimited : metrics.rejectedByCost).inc(),
  });
}
