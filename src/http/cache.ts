import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { InMemoryLRUCache, KeyValueCache } from '@apollo/utils.keyvaluecache';
import Redis from 'ioredis';
import type { Config } from '../config';
import type { Context } from '../graphql/context';
import { cachePolicyPlugin } from './cache-policy';
import { MemoryResponseStore, ResponseStore, TextResponseStore } from './response-cache';

/** How long anonymous responses may be cached (by Kiji, and by a CDN for GET requests). */
export const DEFAULT_MAX_AGE_SECONDS = 60;

/** A KeyValueCache on Redis, so that several Kiji instances share cached responses and APQs. */
export class RedisKeyValueCache implements KeyValueCache<string> {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async get(key: string): Promise<string | undefined> {
    return (await this.redis.get(this.prefix + key)) ?? undefined;
  }

  async set(key: string, value: string, options?: { ttl?: number | null }): Promise<void> {
    const ttl = options?.ttl;
    if (ttl) await this.redis.set(this.prefix + key, value, 'EX', Math.max(1, Math.ceil(ttl)));
    else await this.redis.set(this.prefix + key, value);
  }

  async delete(key: string): Promise<boolean> {
    return (await this.redis.del(this.prefix + key)) > 0;
  }
}

export interface CacheSetup {
  /** Apollo's store (automatic persisted queries). */
  cache: KeyValueCache<string>;
  /** Where whole responses are kept; null when the response cache is off. */
  responses: ResponseStore | null;
  plugins: ApolloServerPlugin<Context>[];
  close(): Promise<void>;
}

/**
 * Caching: cache-control hints (public for anonymous reads, private for keyed readers, none for
 * editors), capped so nothing cached outlives the next scheduled publication; and, unless
 * turned off, a store for whole anonymous responses (response-cache.ts), in this process or in
 * Redis. The same Redis holds APQs.
 */
export function createCacheSetup(config: Config): CacheSetup {
  const redis = config.responseCache === 'redis' ? new Redis(config.redisUrl!, { maxRetriesPerRequest: 2, enableOfflineQueue: true }) : null;
  const cache: KeyValueCache<string> = redis ? new RedisKeyValueCache(redis, `${config.cacheNamespace}:`) : new InMemoryLRUCache({ maxSize: 8 * 1024 * 1024 });
  const cachingResponses = config.responseCache !== 'off';
  const responses = !cachingResponses ? null : redis ? new TextResponseStore(cache) : new MemoryResponseStore(config.responseCacheBytes);
  // Kiji's plugin sets cache-control (cache-policy.ts); Apollo's would wrap every resolver call.
  const plugins: ApolloServerPlugin<Context>[] = [ApolloServerPluginCacheControlDisabled(), cachePolicyPlugin(DEFAULT_MAX_AGE_SECONDS, cachingResponses)];
  return { cache, responses, plugins, close: async () => void (await redis?.quit()) };
}
