import { randomBytes } from 'node:crypto';
import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { InMemoryLRUCache, KeyValueCache } from '@apollo/utils.keyvaluecache';
import Redis from 'ioredis';
import { DEFAULT_TIMEOUTS, type Config } from '../config';
import type { Context } from '../graphql/context';
import { cachePolicyPlugin } from './cache-policy';
import { MemoryResponseStore, ResponseStore, TextResponseStore } from './response-cache';
import { FlightLocks, SingleFlight } from './single-flight';

/** How long anonymous responses may be cached (by Kiji, and by a CDN for GET requests). */
export const DEFAULT_MAX_AGE_SECONDS = 60;

/**
 * Redis seen from Kiji: usable or not. An outage is logged once and the recovery once; while it
 * lasts, callers use their in-process fallback instead of waiting on Redis.
 */
export class RedisLink {
  private suspendedUntil = 0;
  private healthy = true;
  private closing = false;

  constructor(
    readonly redis: Redis,
    private readonly log: (message: string, error?: unknown) => void,
  ) {
    redis.on('ready', () => this.markUp());
    // ioredis emits an error at every failed reconnection; one line per outage is enough.
    redis.on('error', (error) => this.markDown(error));
    redis.on('close', () => this.markDown());
  }

  /** Whether to send commands to Redis now. */
  get usable(): boolean {
    return this.redis.status === 'ready' && Date.now() >= this.suspendedUntil;
  }

  /** A command failed or timed out while the connection looked fine (a frozen Redis): leave it alone for a while. */
  commandFailed(error: unknown): void {
    this.suspendedUntil = Date.now() + SUSPEND_AFTER_FAILURE_MS;
    this.markDown(error);
  }

  /** Kiji is closing the connection itself: not an outage. */
  close(): Promise<void> {
    this.closing = true;
    const { redis } = this;
    // quit() waits for a reply that a Redis that is down never sends.
    if (redis.status !== 'ready') return Promise.resolve(redis.disconnect());
    return redis.quit().then(
      () => undefined,
      () => redis.disconnect(),
    );
  }

  private markDown(error?: unknown): void {
    if (!this.healthy || this.closing) return;
    this.healthy = false;
    // Always with an error, so that the outage is logged as a warning (the recovery is not).
    this.log('redis unavailable: caching and counting rate limits in this process until it is back', error ?? new Error('connection closed'));
  }

  private markUp(): void {
    this.suspendedUntil = 0;
    if (this.healthy) return;
    this.healthy = true;
    this.log('redis available again');
  }
}

/** After a failed command Redis is not asked again for this long (reconnections go on meanwhile). */
const SUSPEND_AFTER_FAILURE_MS = 2000;

/**
 * ioredis waits for a connection and retries commands by default: with Redis down every request
 * would hang, then fail. Here a command fails at once when Redis is not connected, and within
 * half a second when it does not answer; reconnection goes on in the background.
 */
export const REDIS_OPTIONS = {
  connectTimeout: 1000,
  // ioredis keeps a closing socket to a dead Redis for 2 s by default (and the process alive with it).
  disconnectTimeout: 200,
  commandTimeout: 500,
  enableOfflineQueue: false,
  maxRetriesPerRequest: 0,
  retryStrategy: (attempt: number) => Math.min(attempt * 200, 2000),
} as const;

/**
 * A KeyValueCache on Redis, so that several Kiji instances share cached responses and APQs. While
 * Redis is unavailable it reads and writes `fallback`, a cache in this process: cached responses
 * are keyed by content generation, so an entry from either place is as current as the other.
 */
export class RedisKeyValueCache implements KeyValueCache<string> {
  constructor(
    private readonly link: RedisLink,
    private readonly prefix: string,
    private readonly fallback: KeyValueCache<string>,
  ) {}

  async get(key: string): Promise<string | undefined> {
    if (!this.link.usable) return this.fallback.get(key);
    try {
      return (await this.link.redis.get(this.prefix + key)) ?? undefined;
    } catch (error) {
      this.link.commandFailed(error);
      return this.fallback.get(key);
    }
  }

  async set(key: string, value: string, options?: { ttl?: number | null }): Promise<void> {
    if (!this.link.usable) return this.fallback.set(key, value, options);
    const ttl = options?.ttl;
    try {
      if (ttl) await this.link.redis.set(this.prefix + key, value, 'EX', Math.max(1, Math.ceil(ttl)));
      else await this.link.redis.set(this.prefix + key, value);
    } catch (error) {
      this.link.commandFailed(error);
      await this.fallback.set(key, value, options);
    }
  }

  async delete(key: string): Promise<boolean> {
    const local = Boolean(await this.fallback.delete(key));
    if (!this.link.usable) return local;
    try {
      return (await this.link.redis.del(this.prefix + key)) > 0 || local;
    } catch (error) {
      this.link.commandFailed(error);
      return local;
    }
  }
}

/** Deletes the lock only if it still holds our token: one that expired and was taken by another instance stays theirs. */
const RELEASE_LOCK = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

/**
 * Locks on Redis so that one instance makes a missed answer for all (single-flight.ts): SET NX
 * PX with a random token, released by compare-and-delete. Any failure answers "cannot be asked"
 * (null, false), so that the caller makes the answer itself rather than wait on a Redis that is gone.
 * A lock is only advice: its failure does not suspend Redis for the cache (commandFailed), whose
 * own reads and writes, just before and after, find out for themselves.
 */
export class RedisFlightLocks implements FlightLocks {
  constructor(
    private readonly link: RedisLink,
    private readonly prefix: string,
  ) {}

  async take(key: string, ms: number): Promise<(() => Promise<void>) | 'held' | null> {
    if (!this.link.usable) return null;
    const lock = `${this.prefix}${key}:making`;
    const token = randomBytes(12).toString('base64url');
    try {
      if ((await this.link.redis.set(lock, token, 'PX', ms, 'NX')) !== 'OK') return 'held';
    } catch {
      return null;
    }
    // A release that fails leaves the lock to expire: the others then stop waiting and make the answer.
    return async () => void (this.link.usable && (await this.link.redis.eval(RELEASE_LOCK, 1, lock, token)));
  }

  async held(key: string): Promise<boolean> {
    if (!this.link.usable) return false;
    try {
      return (await this.link.redis.exists(`${this.prefix}${key}:making`)) === 1;
    } catch {
      return false;
    }
  }
}

export interface CacheSetup {
  /** Apollo's store (automatic persisted queries). */
  cache: KeyValueCache<string>;
  /** Where whole responses are kept; null when the response cache is off. */
  responses: ResponseStore | null;
  plugins: ApolloServerPlugin<Context>[];
  /** `ok` or `degraded` (Redis configured but unavailable); `off` without Redis. */
  redisState: () => 'ok' | 'degraded' | 'off';
}

/**
 * Caching: cache-control hints (public for anonymous reads, private for keyed readers, none for
 * editors), capped so nothing cached outlives the next scheduled publication; and, unless
 * turned off, a store for whole anonymous responses (response-cache.ts), in this process or in
 * Redis. The same Redis holds APQs.
 */
/**
 * The one connection to Redis (REDIS_URL), shared by the response cache, persisted queries and
 * the rate limits; null without REDIS_URL. Its owner (the HTTP server) closes it.
 */
export function openRedisLink(config: Config, log: (message: string, error?: unknown) => void): RedisLink | null {
  return config.redisUrl ? new RedisLink(new Redis(config.redisUrl, REDIS_OPTIONS), log) : null;
}

export function createCacheSetup(config: Config, redisLink: RedisLink | null): CacheSetup {
  const link = config.responseCache === 'redis' ? redisLink : null;
  const redis = link?.redis ?? null;
  // APQs, and with Redis also the responses cached while Redis is unavailable.
  const local = new InMemoryLRUCache<string>({ maxSize: redis ? config.responseCacheBytes : 8 * 1024 * 1024 });
  const cache: KeyValueCache<string> = link ? new RedisKeyValueCache(link, `${config.cacheNamespace}:`, local) : local;
  const cachingResponses = config.responseCache !== 'off';
  // Concurrent identical misses make their answer once; with Redis, once for all instances.
  const flights = new SingleFlight(link ? new RedisFlightLocks(link, `${config.cacheNamespace}:`) : null, (config.timeouts ?? DEFAULT_TIMEOUTS).requestMs);
  // Without Redis, responses get a store of their own, sized by the setting (APQs stay in `local`).
  const responses = !cachingResponses ? null : redis ? new TextResponseStore(cache, flights) : new MemoryResponseStore(config.responseCacheBytes, flights);
  // Kiji's plugin sets cache-control (cache-policy.ts); Apollo's would wrap every resolver call.
  const plugins: ApolloServerPlugin<Context>[] = [ApolloServerPluginCacheControlDisabled(), cachePolicyPlugin(DEFAULT_MAX_AGE_SECONDS, cachingResponses)];
  return {
    cache,
    responses,
    plugins,
    redisState: () => (!redisLink ? 'off' : redisLink.usable ? 'ok' : 'degraded'),
  };
}
