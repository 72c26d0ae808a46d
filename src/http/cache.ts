import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControl } from '@apollo/server/plugin/cacheControl';
import responseCachePlugin from '@apollo/server-plugin-response-cache';
import { InMemoryLRUCache, KeyValueCache } from '@apollo/utils.keyvaluecache';
import Redis from 'ioredis';
import type { Config } from '../config';
import type { Context } from '../graphql/context';

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
  cache: KeyValueCache<string>;
  plugins: ApolloServerPlugin<Context>[];
  close(): Promise<void>;
}

/**
 * Caching: cache-control hints (public for anonymous reads, private for keyed readers, none for
 * editors), capped so nothing cached outlives the next scheduled publication; and, unless
 * turned off, a whole-response cache for anonymous reads keyed by the content generation, so
 * that any write makes every cached response stale at once. The same store holds APQs.
 */
export function createCacheSetup(config: Config): CacheSetup {
  const redis = config.responseCache === 'redis' ? new Redis(config.redisUrl!, { maxRetriesPerRequest: 2, enableOfflineQueue: true }) : null;
  const cache: KeyValueCache<string> = redis ? new RedisKeyValueCache(redis, `${config.cacheNamespace}:`) : new InMemoryLRUCache({ maxSize: 64 * 1024 * 1024 });
  const cachingResponses = config.responseCache !== 'off';
  // The viewer's policy goes first: its willSendResponse must narrow the computed policy before
  // the cache-control header is written and before the response cache stores the response.
  const plugins: ApolloServerPlugin<Context>[] = [
    viewerCachePolicy(cachingResponses),
    ApolloServerPluginCacheControl({ defaultMaxAge: DEFAULT_MAX_AGE_SECONDS }),
  ];
  if (cachingResponses) {
    plugins.push(
      responseCachePlugin<Context>({
        shouldReadFromCache: async ({ contextValue }) => contextValue.viewer.role === 'anonymous',
        shouldWriteToCache: async ({ contextValue }) => contextValue.viewer.role === 'anonymous',
        // The next scheduled publication is in the key too: once it passes, the key changes and
        // every cached answer that could have hidden it is missed, whatever the TTL said.
        extraCacheKeyData: async ({ contextValue }) => {
          const state = await contextValue.cacheState();
          return [state.generation, state.nextScheduledAt?.getTime() ?? null];
        },
      }),
    );
  }
  return { cache, plugins, close: async () => void (await redis?.quit()) };
}

/**
 * Who is asking decides who may cache the answer, and scheduled posts decide for how long. With
 * the response cache on, the request reads the content state anyway (for its key); without it,
 * a state at most a second old is enough for the hints.
 */
const viewerCachePolicy = (perRequestState: boolean): ApolloServerPlugin<Context> => ({
  async requestDidStart() {
    return {
      // Not earlier: a policy restricted before execution makes Apollo skip the field hints.
      async willSendResponse({ contextValue, overallCachePolicy, operation }) {
        if (operation?.operation !== 'query' || contextValue.viewer.role === 'editor' || contextValue.viewer.role === 'admin') {
          overallCachePolicy.restrict({ maxAge: 0 });
          return;
        }
        if (contextValue.viewer.role !== 'anonymous') {
          overallCachePolicy.restrict({ scope: 'PRIVATE' as never });
          return;
        }
        const now = contextValue.services.clock.now();
        const { nextScheduledAt } = perRequestState
          ? await contextValue.cacheState()
          : await contextValue.services.contentState.readRecent(now);
        if (nextScheduledAt) {
          const seconds = Math.floor((nextScheduledAt.getTime() - now.getTime()) / 1000);
          overallCachePolicy.restrict({ maxAge: Math.max(0, seconds) });
        }
      },
    };
  },
});
