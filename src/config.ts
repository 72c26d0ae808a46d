/**
 * Every setting Kiji reads from the environment, parsed once and typed. A malformed value stops
 * start-up with a message naming the variable and the forms it accepts.
 */
import proxyAddr from 'proxy-addr';
import { isTimeZone } from './content/dates';

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
  /** KIJI_EXPLORER: serve the explorer page at `GET /graphql` to browsers (absent: on). */
  explorer?: boolean;
  /** KIJI_INTROSPECTION: answer introspection queries (absent: on; the schema is public). */
  introspection?: boolean;
  /** KIJI_CORS_ORIGINS: web origins whose pages may call Kiji: any (`*`), these, or none (null); absent: any. */
  corsOrigins?: '*' | string[] | null;
  /** KIJI_MAX_BATCH: operations in one batched request (a JSON array); 0 refuses batches; absent: DEFAULT_MAX_BATCH. */
  maxBatch?: number;
  /** Memory for the in-process response cache. */
  responseCacheBytes: number;
  /** KIJI_TIMEZONE: IANA zone of imported dates written without an offset; undefined: a site's _config.yml, else UTC. */
  timeZone?: string;
  /** How long anything may take: statements, waits for a connection, requests, shutdown; absent: DEFAULT_TIMEOUTS. */
  timeouts?: Timeouts;
  /** Metrics listener and slow-request threshold; absent: DEFAULT_OBSERVABILITY. */
  observability?: Observability;
  /** Query cost and shape limits, rate-limit budgets, and whose address a client has; absent: DEFAULT_LIMITS. */
  limits?: Limits;
  /** The webhook delivery worker: whether it runs, its timings, and which addresses it may reach; absent: DEFAULT_WEBHOOKS. */
  webhooks?: WebhookSettings;
  /** KIJI_SITE_URL: the public site's origin (and path prefix, no trailing slash) that feeds and the sitemap link to; absent: each request's own origin. */
  siteUrl?: string | null;
  /** KIJI_SITE_TITLE: the feeds' title; absent: the site's host name. */
  siteTitle?: string | null;
  /** KIJI_TAG_URL, KIJI_AUTHOR_URL, KIJI_CATEGORY_URL: templates of term pages, like `postUrlTemplate`; absent: DEFAULT_TERM_URL_TEMPLATES. */
  termUrlTemplates?: TermUrlTemplates;
  /** Images, pages and previews as apps render them (issue 15); absent: DEFAULT_PRESENTATION. */
  presentation?: PresentationSettings;
  /** KIJI_WORKERS: processes `serve` runs (node:cluster, README "Running on several cores"), 1 to 64; `--workers` wins; absent: 1. */
  workers?: number;
}

/** README "Apps": cover images, body media, pages and preview links. */
export interface PresentationSettings {
  /** KIJI_ASSET_URL: the origin (and path prefix) that images and files on the site are served from; null: KIJI_SITE_URL. */
  assetUrl: string | null;
  /** KIJI_IMAGE_URL: an image CDN's template holding `{path}` (the image's path on the site, no leading `/`) or `{url}` (its absolute URL, encoded), and `{width}`; null: images are served as they are. */
  imageUrlTemplate: string | null;
  /** KIJI_PAGE_URL: template of `Page.url` for pages without a `permalink`. */
  pageUrlTemplate: string;
  /** KIJI_PREVIEW_URL: template of a preview link's address, holding `{token}`. */
  previewUrlTemplate: string;
  /** KIJI_PREVIEW_MAX_HOURS: the longest a preview link may live (and the lifetime a link gets when its creator names none is the smaller of this and 7 days). */
  previewMaxHours: number;
}

export const DEFAULT_PRESENTATION: PresentationSettings = {
  assetUrl: null,
  imageUrlTemplate: null,
  pageUrlTemplate: '/{slug}',
  previewUrlTemplate: '/preview/{token}',
  previewMaxHours: 30 * 24,
};

/** Where a tag's, an author's and a category's page is (feeds and the sitemap link to them). */
export interface TermUrlTemplates {
  tag: string;
  author: string;
  category: string;
}

export const DEFAULT_TERM_URL_TEMPLATES: TermUrlTemplates = { tag: '/tags/{slug}', author: '/authors/{slug}', category: '/categories/{slug}' };

/** How webhooks are delivered (README "Partners → webhooks"). */
export interface WebhookSettings {
  /** KIJI_WEBHOOK_WORKER: `serve` runs the delivery worker (on); off leaves delivery to other instances. */
  worker: boolean;
  /** KIJI_WEBHOOK_ALLOW_PRIVATE: deliver to private, loopback, link-local and metadata addresses too (off). */
  allowPrivate: boolean;
  /** KIJI_WEBHOOK_RETRIES: waits before the 2nd, 3rd, … attempt, e.g. `5s,5m,30m,2h,5h,10h,10h` (8 attempts over about a day). */
  retryDelaysMs: number[];
  /** KIJI_WEBHOOK_TIMEOUT_MS: how long one request may take, connecting included. */
  timeoutMs: number;
  /** KIJI_WEBHOOK_POLL_MS: how often the worker looks for due deliveries and scheduled posts going live. */
  pollMs: number;
  /** KIJI_WEBHOOK_LEASE_MS: how long an instance holds a delivery it sends; a killed instance's are taken by another after it. */
  leaseMs: number;
  /** KIJI_WEBHOOK_RETENTION_DAYS: delivered and failed deliveries (and ones held for a disabled endpoint) older than this are purged. */
  retentionDays: number;
}

const HOUR = 3_600_000;
export const DEFAULT_WEBHOOKS: WebhookSettings = {
  worker: true,
  allowPrivate: false,
  retryDelaysMs: [5_000, 5 * 60_000, 30 * 60_000, 2 * HOUR, 5 * HOUR, 10 * HOUR, 10 * HOUR],
  timeoutMs: 10_000,
  pollMs: 1_000,
  leaseMs: 60_000,
  retentionDays: 30,
};

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: HOUR };

/** `5s,5m,30m,2h`: 1 to 20 waits, each a whole number with a unit (ms, s, m, h), at most a day. */
function parseRetryDelays(value: string | undefined): number[] {
  if (!value) return DEFAULT_WEBHOOKS.retryDelaysMs;
  const accepted = '1 to 20 waits separated by commas, each a number and a unit (ms, s, m, h) up to 24h, e.g. 5s,5m,30m,2h,5h,10h,10h';
  const delays = value.split(',').map((part) => {
    const match = /^(\d+)(ms|s|m|h)$/.exec(part.trim());
    const ms = match ? Number(match[1]) * DURATION_UNITS[match[2]] : NaN;
    if (!(ms > 0 && ms <= 24 * HOUR)) throw new ConfigError('KIJI_WEBHOOK_RETRIES', value, accepted);
    return ms;
  });
  if (delays.length > 20) throw new ConfigError('KIJI_WEBHOOK_RETRIES', value, accepted);
  return delays;
}

function parseWebhooks(env: NodeJS.ProcessEnv): WebhookSettings {
  const d = DEFAULT_WEBHOOKS;
  return {
    worker: parseSwitch('KIJI_WEBHOOK_WORKER', env.KIJI_WEBHOOK_WORKER || 'on'),
    allowPrivate: parseSwitch('KIJI_WEBHOOK_ALLOW_PRIVATE', env.KIJI_WEBHOOK_ALLOW_PRIVATE || 'off'),
    retryDelaysMs: parseRetryDelays(env.KIJI_WEBHOOK_RETRIES),
    timeoutMs: parseMilliseconds('KIJI_WEBHOOK_TIMEOUT_MS', env.KIJI_WEBHOOK_TIMEOUT_MS, d.timeoutMs),
    pollMs: parseCount('KIJI_WEBHOOK_POLL_MS', env.KIJI_WEBHOOK_POLL_MS, d.pollMs, 10, 3_600_000, ' of milliseconds'),
    leaseMs: parseMilliseconds('KIJI_WEBHOOK_LEASE_MS', env.KIJI_WEBHOOK_LEASE_MS, d.leaseMs),
    retentionDays: parseCount('KIJI_WEBHOOK_RETENTION_DAYS', env.KIJI_WEBHOOK_RETENTION_DAYS, d.retentionDays, 1, 3650, ' of days'),
  };
}

/** Limits are set for three tiers: anonymous clients, reader, partner and preview keys, editor and admin keys. */
export type LimitTier = 'anonymous' | 'reader' | 'editor';
export const LIMIT_TIERS: readonly LimitTier[] = ['anonymous', 'reader', 'editor'];

/** What one operation may ask for and what each client may spend (README "Limits"). */
export interface Limits {
  /** KIJI_COST_LIMIT_<TIER>: the highest static cost of one operation. */
  cost: Record<LimitTier, number>;
  /** KIJI_RATE_LIMIT_<TIER>: cost one API key (anonymously, one address) may spend per window; 0: not limited. */
  budget: Record<LimitTier, number>;
  /** KIJI_RATE_LIMIT_WINDOW_S: length of the window a budget is for. */
  windowSeconds: number;
  /** KIJI_MAX_ALIASES: aliased fields in one operation. */
  maxAliases: number;
  /** KIJI_MAX_TOKENS: lexical tokens in one document (graphql stops parsing past it). */
  maxTokens: number;
  /** KIJI_MAX_POST_NESTING: lists of posts (`posts`, `related`) nested in each other. */
  maxPostListNesting: number;
  /** KIJI_TRUST_PROXY: whose X-Forwarded-For tells the client's address: no one, the nearest N proxies, or these addresses and subnets. */
  trustProxy: false | number | string[];
}

export const DEFAULT_LIMITS: Limits = {
  cost: { anonymous: 10_000, reader: 25_000, editor: 50_000 },
  budget: { anonymous: 100_000, reader: 500_000, editor: 1_000_000 },
  windowSeconds: 60,
  maxAliases: 50,
  maxTokens: 20_000,
  maxPostListNesting: 3,
  trustProxy: false,
};

export interface Observability {
  /** KIJI_METRICS_PORT: port of the listener that serves `/metrics`; null: metrics are not served. */
  metricsPort: number | null;
  /** KIJI_METRICS_HOST: that listener's address; 127.0.0.1 lets only this machine scrape. */
  metricsHost: string;
  /** KIJI_SLOW_MS: requests slower than this are logged at `warn`. */
  slowMs: number;
  /**
   * KIJI_SQL_TALLY: count each request's SQL statements (`x-kiji-sql-statements`, the log line's
   * `sqlStatements`, the statements histogram). Counting needs an AsyncLocalStorage, whose promise
   * hooks cost every request 6–10% of its CPU on Node 20: on, but off by default when
   * NODE_ENV=production without KIJI_METRICS_PORT (whose statements histogram needs the count).
   */
  sqlTally: boolean;
}

export const DEFAULT_OBSERVABILITY: Observability = { metricsPort: null, metricsHost: '127.0.0.1', slowMs: 1000, sqlTally: true };

/** Time bounds, in milliseconds, so that no client or dependency can hold Kiji up for long. */
export interface Timeouts {
  /** PostgreSQL `statement_timeout` for the server's statements (the CLI's batch work has none). */
  statementMs: number;
  /** Longest wait for a free PostgreSQL connection (pool acquire, and connecting). */
  acquireMs: number;
  /** Deadline of one GraphQL request: past it the client gets a `TIMEOUT` error and the work stops. */
  requestMs: number;
  /** Time a client has to send a request's headers and body (slow clients are cut off). */
  receiveMs: number;
  /** At SIGTERM/SIGINT, how long in-flight requests may take to finish before the process exits. */
  shutdownGraceMs: number;
}

export const DEFAULT_TIMEOUTS: Timeouts = {
  statementMs: 5000,
  acquireMs: 2000,
  requestMs: 10000,
  receiveMs: 30000,
  shutdownGraceMs: 10000,
};

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

/** A URL template of `variable`, which must hold `{slug}`; `example` is shown when it does not. */
function parseUrlTemplate(variable: string, value: string, example = '/tags/{slug}'): string {
  if (!value.includes('{slug}')) throw new ConfigError(variable, value, `a template containing {slug}, e.g. ${example}`);
  return value;
}

function parseTermUrlTemplates(env: NodeJS.ProcessEnv): TermUrlTemplates {
  const d = DEFAULT_TERM_URL_TEMPLATES;
  return {
    tag: parseUrlTemplate('KIJI_TAG_URL', env.KIJI_TAG_URL || d.tag),
    author: parseUrlTemplate('KIJI_AUTHOR_URL', env.KIJI_AUTHOR_URL || d.author),
    category: parseUrlTemplate('KIJI_CATEGORY_URL', env.KIJI_CATEGORY_URL || d.category),
  };
}

/** An http(s) origin with an optional path prefix, without a trailing slash, query or fragment. */
function parseSiteUrl(value: string | undefined, variable = 'KIJI_SITE_URL'): string | null {
  if (!value) return null;
  const accepted = 'an http(s) URL without query or fragment, e.g. https://example.com or https://example.com/blog';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(variable, value, accepted);
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.search || url.hash || url.username || url.password) {
    throw new ConfigError(variable, value, accepted);
  }
  return url.href.replace(/\/+$/, '');
}

/** An http(s) URL template holding `{width}` and one of `{path}` or `{url}`. */
function parseImageUrlTemplate(value: string | undefined): string | null {
  if (!value) return null;
  const accepted = 'an http(s) URL holding {width} and {path} or {url}, e.g. https://img.example.com/{path}?w={width}';
  const probe = value.replace(/\{(path|url|width)\}/g, 'x');
  if (!/^https?:\/\//.test(value) || !value.includes('{width}') || !/\{(path|url)\}/.test(value) || !URL.canParse(probe)) {
    throw new ConfigError('KIJI_IMAGE_URL', value, accepted);
  }
  return value;
}

/** A root-relative path or an http(s) URL holding `{token}`: where a preview link opens (no other scheme, no protocol-relative `//`). */
function parsePreviewUrlTemplate(value: string): string {
  const accepted = 'a root-relative path or an http(s) URL holding {token}, e.g. /preview/{token} or https://example.com/preview/{token}';
  const probe = value.replaceAll('{token}', 'x');
  const rootRelative = value.startsWith('/') && !value.startsWith('//') && URL.canParse(probe, 'http://localhost');
  const absolute = /^https?:\/\//i.test(value) && URL.canParse(probe);
  if (!value.includes('{token}') || /\s/.test(value) || !(rootRelative || absolute)) throw new ConfigError('KIJI_PREVIEW_URL', value, accepted);
  return value;
}

function parsePresentation(env: NodeJS.ProcessEnv): PresentationSettings {
  const d = DEFAULT_PRESENTATION;
  const preview = parsePreviewUrlTemplate(env.KIJI_PREVIEW_URL || d.previewUrlTemplate);
  return {
    assetUrl: parseSiteUrl(env.KIJI_ASSET_URL, 'KIJI_ASSET_URL'),
    imageUrlTemplate: parseImageUrlTemplate(env.KIJI_IMAGE_URL),
    pageUrlTemplate: parseUrlTemplate('KIJI_PAGE_URL', env.KIJI_PAGE_URL || d.pageUrlTemplate, '/{slug}'),
    previewUrlTemplate: preview,
    previewMaxHours: parseCount('KIJI_PREVIEW_MAX_HOURS', env.KIJI_PREVIEW_MAX_HOURS, d.previewMaxHours, 1, 365 * 24, ' of hours'),
  };
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

function parseMilliseconds(name: string, value: string | undefined, fallback: number): number {
  return parseCount(name, value, fallback, 100, 3_600_000, ' of milliseconds');
}

function parseTimeouts(env: NodeJS.ProcessEnv): Timeouts {
  return {
    statementMs: parseMilliseconds('KIJI_DB_STATEMENT_TIMEOUT_MS', env.KIJI_DB_STATEMENT_TIMEOUT_MS, DEFAULT_TIMEOUTS.statementMs),
    acquireMs: parseMilliseconds('KIJI_DB_ACQUIRE_TIMEOUT_MS', env.KIJI_DB_ACQUIRE_TIMEOUT_MS, DEFAULT_TIMEOUTS.acquireMs),
    requestMs: parseMilliseconds('KIJI_REQUEST_TIMEOUT_MS', env.KIJI_REQUEST_TIMEOUT_MS, DEFAULT_TIMEOUTS.requestMs),
    receiveMs: parseMilliseconds('KIJI_RECEIVE_TIMEOUT_MS', env.KIJI_RECEIVE_TIMEOUT_MS, DEFAULT_TIMEOUTS.receiveMs),
    shutdownGraceMs: parseMilliseconds('KIJI_SHUTDOWN_GRACE_MS', env.KIJI_SHUTDOWN_GRACE_MS, DEFAULT_TIMEOUTS.shutdownGraceMs),
  };
}

function parseObservability(env: NodeJS.ProcessEnv): Observability {
  const port = env.KIJI_METRICS_PORT;
  if (port && (!/^\d+$/.test(port) || Number(port) > 65535)) throw new ConfigError('KIJI_METRICS_PORT', port, 'an integer from 0 to 65535');
  const host = env.KIJI_METRICS_HOST || DEFAULT_OBSERVABILITY.metricsHost;
  if (!/^[A-Za-z0-9.:-]{1,253}$/.test(host)) throw new ConfigError('KIJI_METRICS_HOST', host, 'an IP address or host name, e.g. 127.0.0.1 or 0.0.0.0');
  return {
    metricsPort: port ? Number(port) : null,
    metricsHost: host,
    slowMs: parseMilliseconds('KIJI_SLOW_MS', env.KIJI_SLOW_MS, DEFAULT_OBSERVABILITY.slowMs),
    sqlTally: parseSwitch('KIJI_SQL_TALLY', env.KIJI_SQL_TALLY || (env.NODE_ENV === 'production' && !port ? 'off' : 'on')),
  };
}

function parseTimeZone(value: string | undefined): string | undefined {
  if (!value) return undefined;
  if (!isTimeZone(value)) throw new ConfigError('KIJI_TIMEZONE', value, 'an IANA time zone name, e.g. Asia/Tokyo or UTC');
  return value;
}

function parseNamespace(value: string): string {
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(value)) throw new ConfigError('KIJI_CACHE_NAMESPACE', value, '1 to 64 letters, digits, _ . -');
  return value;
}

function parseCount(name: string, value: string | undefined, fallback: number, min: number, max: number, unit = ''): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) throw new ConfigError(name, value, `a whole number${unit} from ${min} to ${max}`);
  return n;
}

function parseTrustProxy(value: string | undefined): Limits['trustProxy'] {
  const accepted = 'off, a number of proxies in front of Kiji (1 to 10), or a comma-separated list of proxy addresses and subnets (loopback, uniquelocal, 10.0.0.0/8, …)';
  if (!value || value.toLowerCase() === 'off') return false;
  if (/^\d+$/.test(value)) {
    if (Number(value) < 1 || Number(value) > 10) throw new ConfigError('KIJI_TRUST_PROXY', value, accepted);
    return Number(value);
  }
  const list = value.split(',').map((entry) => entry.trim());
  try {
    proxyAddr.compile(list);
  } catch {
    throw new ConfigError('KIJI_TRUST_PROXY', value, accepted);
  }
  return list;
}

function parseLimits(env: NodeJS.ProcessEnv): Limits {
  const perTier = (prefix: string, defaults: Record<LimitTier, number>, min: number) =>
    Object.fromEntries(
      LIMIT_TIERS.map((tier) => [tier, parseCount(`${prefix}_${tier.toUpperCase()}`, env[`${prefix}_${tier.toUpperCase()}`], defaults[tier], min, 1_000_000_000)]),
    ) as Record<LimitTier, number>;
  const cost = perTier('KIJI_COST_LIMIT', DEFAULT_LIMITS.cost, 1);
  const budget = perTier('KIJI_RATE_LIMIT', DEFAULT_LIMITS.budget, 0);
  for (const tier of LIMIT_TIERS) {
    // A budget smaller than one allowed operation would refuse that operation forever.
    if (budget[tier] !== 0 && budget[tier] < cost[tier]) {
      const name = `KIJI_RATE_LIMIT_${tier.toUpperCase()}`;
      throw new ConfigError(name, String(budget[tier]), `0 (no rate limit) or at least KIJI_COST_LIMIT_${tier.toUpperCase()} (${cost[tier]})`);
    }
  }
  return {
    cost,
    budget,
    windowSeconds: parseCount('KIJI_RATE_LIMIT_WINDOW_S', env.KIJI_RATE_LIMIT_WINDOW_S, DEFAULT_LIMITS.windowSeconds, 1, 86_400),
    maxAliases: parseCount('KIJI_MAX_ALIASES', env.KIJI_MAX_ALIASES, DEFAULT_LIMITS.maxAliases, 0, 10_000),
    maxTokens: parseCount('KIJI_MAX_TOKENS', env.KIJI_MAX_TOKENS, DEFAULT_LIMITS.maxTokens, 1_000, 1_000_000),
    maxPostListNesting: parseCount('KIJI_MAX_POST_NESTING', env.KIJI_MAX_POST_NESTING, DEFAULT_LIMITS.maxPostListNesting, 1, 10),
    trustProxy: parseTrustProxy(env.KIJI_TRUST_PROXY),
  };
}

/** `Post.url` for a slug (slugs are only letters, digits and `-`, safe as they are in a URL path). */
export function postUrlFor(template: string): (slug: string) => string {
  return (slug) => template.replace('{slug}', slug);
}

/** Operations one batched request may carry unless KIJI_MAX_BATCH says otherwise. */
export const DEFAULT_MAX_BATCH = 10;

const ORIGIN = /^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/;

/** `*`, `off`, or origins separated by commas (`https://app.example.com,http://localhost:3000`). */
function parseCorsOrigins(value: string | undefined): '*' | string[] | null {
  const accepted = '*, off, or origins separated by commas, e.g. https://app.example.com,http://localhost:3000';
  const text = (value ?? '*').trim();
  if (text === '*') return '*';
  if (text.toLowerCase() === 'off') return null;
  const origins = text.split(',').map((origin) => origin.trim().replace(/\/$/, ''));
  const bad = origins.find((origin) => !ORIGIN.test(origin));
  if (bad !== undefined) throw new ConfigError('KIJI_CORS_ORIGINS', value!, `${accepted} (not an origin: "${bad}")`);
  return origins;
}

/** Reads the configuration from an environment (process.env by default). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const redisUrl = parseRedisUrl(env.REDIS_URL);
  return {
    redisUrl,
    responseCache: parseResponseCache(env.KIJI_RESPONSE_CACHE, redisUrl),
    cacheNamespace: parseNamespace(env.KIJI_CACHE_NAMESPACE || 'kiji'),
    graphqlJit: parseSwitch('KIJI_GRAPHQL_JIT', env.KIJI_GRAPHQL_JIT || 'on'),
    explorer: parseSwitch('KIJI_EXPLORER', env.KIJI_EXPLORER || 'on'),
    introspection: parseSwitch('KIJI_INTROSPECTION', env.KIJI_INTROSPECTION || 'on'),
    corsOrigins: parseCorsOrigins(env.KIJI_CORS_ORIGINS),
    maxBatch: parseCount('KIJI_MAX_BATCH', env.KIJI_MAX_BATCH, DEFAULT_MAX_BATCH, 0, 100),
    responseCacheBytes: parseMegabytes('KIJI_RESPONSE_CACHE_MB', env.KIJI_RESPONSE_CACHE_MB || '32') * 1024 * 1024,
    database: parseDatabaseUrl(env.DATABASE_URL || 'sqlite:data/kiji.sqlite'),
    port: parsePort(env.PORT || '4000'),
    logLevel: parseLogLevel(env.LOG_LEVEL || 'info'),
    postUrlTemplate: parseUrlTemplate('KIJI_POST_URL', env.KIJI_POST_URL || '/posts/{slug}', '/posts/{slug}'),
    timeZone: parseTimeZone(env.KIJI_TIMEZONE),
    timeouts: parseTimeouts(env),
    observability: parseObservability(env),
    limits: parseLimits(env),
    webhooks: parseWebhooks(env),
    siteUrl: parseSiteUrl(env.KIJI_SITE_URL),
    siteTitle: env.KIJI_SITE_TITLE?.trim() || null,
    termUrlTemplates: parseTermUrlTemplates(env),
    presentation: parsePresentation(env),
    workers: parseCount('KIJI_WORKERS', env.KIJI_WORKERS, 1, 1, 64),
  };
}
