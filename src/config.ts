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

/** `Post.url` for a slug (slugs are only letters, digits and `-`, safe as they are in a URL path). */
export function postUrlFor(template: string): (slug: string) => string {
  return (slug) => template.replace('{slug}', slug);
}

/** Reads the configuration from an environment (process.env by default). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    database: parseDatabaseUrl(env.DATABASE_URL || 'sqlite:data/kiji.sqlite'),
    port: parsePort(env.PORT || '4000'),
    logLevel: parseLogLevel(env.LOG_LEVEL || 'info'),
    postUrlTemplate: parsePostUrlTemplate(env.KIJI_POST_URL || '/posts/{slug}'),
  };
}
