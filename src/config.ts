/**
 * Every setting Kiji reads from the environment, parsed once and typed. A malformed value stops
 * start-up with a message naming the variable and the forms it accepts.
 */

export type DatabaseConfig = { type: 'sqlite'; path: string } | { type: 'postgres'; url: string };

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

export interface Config {
  database: DatabaseConfig;
  port: number;
  logLevel: LogLevel;
  /** Template for `Post.url`; `{slug}` is replaced by the post's slug. */
  postUrlTemplate: string;
  /** Whole-response cache for anonymous reads: off, in-process, or shared through Redis. */
  responseCache: 'off' | 'memory' | 'redis';
  redisUrl: string | null;
  /** Prefix of Kiji's keys in Redis, so several deployments can share one server. */
  cacheNamespace: string;
  /** Execute operations compiled by graphql-jit (on) or with graphql-js (off). */
  graphqlJit: boolean;
  /** Memory for the in-process response cache. */
  responseCacheBytes: number;
}

export class ConfigError extends Error {
  constructor(variable: string, value: string, accepted: string) {
    super(`${variable}=${JSON.stringify(value)} is not valid: expected ${accepted}`);
    this.name = 'ConfigError';
  }
}

const LOG_LEVELS: readonly LogLevel[] = ['error', 'warn', 'info', 'debug'];

export function parseDatabaseUrl(value: string, variable = 'DATABASE_URL'): DatabaseConfig {
  const accepted = '`sqlite:PATH` (e.g. sqlite:data/kiji.sqlite, sqlite::memory:) or `postgres://user@host:port/db`';
  if (value.startsWith('sqlite:')) {
    const path = value.slice('sqlite:'.length).replace(/^\/\//, '');
    if (path.length === 0) throw new ConfigError(variable, value, accepted);
    return { type: 'sqlite', path };
  }
  if (/^postgres(ql)?:\/\//.test(value)) {
    try {
      const url = new URL(value);
      if (!url.hostname && !url.searchParams.get('host')) throw new Error('no host');
    } catch {
      throw new ConfigError(variable, value, accepted);
    }
    return { type: 'postgres', url: value };
  }
  throw new ConfigError(variable, value, accepted);
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port < 0 || port > 65535) {
    throw new ConfigError('PORT', value, 'an integer from 0 to 65535');
  }
  return port;
}

function parseLogLevel(value: string): LogLevel {
  const level = value.toLowerCase() as LogLevel;
  if (!LOG_LEVELS.includes(level)) throw new ConfigError('LOG_LEVEL', value, LOG_LEVELS.join(', '));
  return level;
}

function parsePostUrlTemplate(value: string): string {
  if (!value.includes('{slug}')) throw new ConfigError('KIJI_POST_URL', value, 'a template containing {slug}, e.g. /posts/{slug}');
  return value;
}

function parseResponseCache(value: string | undefined, redisUrl: string | null): Config['responseCache'] {
  const accepted = 'on (the default: Redis when REDIS_URL is set, else in-process), memory, redis, or off';
  const choice = (value || 'on').toLowerCase();
  if (choice === 'on') return redisUrl ? 'redis' : 'memory';
  if (choice === 'off' || choice === 'memory') return choice;
  if (choice === 'redis') {
    if (!redisUrl) throw new ConfigError('KIJI_RESPONSE_CACHE', value!, `${accepted}; redis needs REDIS_URL`);
    return 'redis';
  }
  throw new ConfigError('KIJI_RESPONSE_CACHE', value!, accepted);
}

function parseRedisUrl(value: string | undefined): string | null {
  if (!value) return null;
  if (!/^rediss?:\/\/[^\s]+$/.test(value)) throw new ConfigError('REDIS_URL', value, 'redis://host:port[/db]');
  return value;
}

function parseSwitch(name: string, value: string): boolean {
  const choice = value.toLowerCase();
  if (choice !== 'on' && choice !== 'off') throw new ConfigError(name, value, 'on or off');
  return choice === 'on';
}

function parseMegabytes(name: string, value: string): number {
  const mb = Number(value);
  if (!/^\d+$/.test(value) || mb < 1 || mb > 65536) throw new ConfigError(name, value, 'a whole number of megabytes, 1 to 65536');
  return mb;
}

function parseNamespace(value: string): string {
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(value)) throw new ConfigError('KIJI_CACHE_NAMESPACE', value, '1 to 64 letters, digits, _ . -');
  return value;
}

/** `Post.url` for a slug (slugs are only letters, digits and `-`, safe as they are in a URL path). */
export function postUrlFor(template: string): (slug: string) => string {
  return (slug) => template.replace('{slug}', slug);
}

/** Reads the configuration from an environment (process.env by default). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const redisUrl = parseRedisUrl(env.REDIS_URL);
  return {
    redisUrl,
    responseCache: parseResponseCache(env.KIJI_RESPONSE_CACHE, redisUrl),
    cacheNamespace: parseNamespace(env.KIJI_CACHE_NAMESPACE || 'kiji'),
    graphqlJit: parseSwitch('KIJI_GRAPHQL_JIT', env.KIJI_GRAPHQL_JIT || 'on'),
    responseCacheBytes: parseMegabytes('KIJI_RESPONSE_CACHE_MB', env.KIJI_RESPONSE_CACHE_MB || '32') * 1024 * 1024,
    database: parseDatabaseUrl(env.DATABASE_URL || 'sqlite:data/kiji.sqlite'),
    port: parsePort(env.PORT || '4000'),
    logLevel: parseLogLevel(env.LOG_LEVEL || 'info'),
    postUrlTemplate: parsePostUrlTemplate(env.KIJI_POST_URL || '/posts/{slug}'),
  };
}
