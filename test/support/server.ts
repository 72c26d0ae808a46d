import { Client as UrqlClient, fetchExchange } from '@urql/core';
import type { DataSource } from 'typeorm';
import type { DestinationStream } from 'pino';
import { DEFAULT_LIMITS, DEFAULT_WEBHOOKS, type Config, type Limits, type WebhookSettings } from '../../src/config';
import { createLogger } from '../../src/log';
import { openDatabase } from '../../src/db/data-source';
import { startHttpServer } from '../../src/http/server';
import { ManualClock } from '../../src/services/shared/clock';
import type { Importer, ImportSummary } from '../../src/services/import/importer';
import { createServices, Services } from '../../src/services/registry';
import { createTestDatabase, DatabaseKind, TestDatabase } from './databases';

export interface TestServer {
  url: string;
  /** Where `/metrics` is served, when `observability.metricsPort` was given. */
  metricsUrl?: string;
  client: UrqlClient;
  services: Services;
  dataSource: DataSource;
  databaseConfig: Config['database'];
  clock: ManualClock;
  importer: Importer;
  /** Response headers of the last GraphQL request this client made. */
  lastHeaders(): Headers;
  /** A client that sends `Authorization: Bearer <key>` (or the raw header given). */
  clientWith(authorization: string): UrqlClient;
  importPaths(paths: string[]): Promise<ImportSummary>;
  stop(): Promise<void>;
}

/** The production limits without rate limits: a test file sends many requests from one address. */
export const TEST_LIMITS: Limits = { ...DEFAULT_LIMITS, budget: { anonymous: 0, reader: 0, editor: 0 } };

/** Webhook delivery for tests: receivers on loopback, polls and retries in milliseconds. */
export const TEST_WEBHOOKS: WebhookSettings = {
  ...DEFAULT_WEBHOOKS,
  worker: true,
  allowPrivate: true,
  pollMs: 20,
  retryDelaysMs: [30, 60, 120, 240, 480, 960, 1920],
  timeoutMs: 2000,
};

/** A date safely after every sample post, so "now" is fixed and scheduled posts are testable. */
export const TEST_NOW = new Date('2026-06-01T00:00:00Z');

/** A real Kiji HTTP server on a free port, on a fresh database of the given kind. */
export async function startTestServer(
  kind: DatabaseKind,
  options: {
    now?: Date;
    responseCache?: Config['responseCache'];
    /** Execute with graphql-jit (the default, as in production) or graphql-js. */
    graphqlJit?: boolean;
    redisUrl?: string;
    cacheNamespace?: string;
    /** Serve the database of another test server (which keeps owning it). */
    shareDatabaseWith?: TestServer;
    /** KIJI_TIMEZONE: the zone of imported dates written without an offset. */
    timeZone?: string;
    /** Server log lines at `info` and up go here (otherwise only errors, to stderr). */
    logDestination?: DestinationStream;
    observability?: Config['observability'];
    /** Cost limits and budgets; by default TEST_LIMITS. */
    limits?: Config['limits'];
    /** The request deadline and other time bounds; by default DEFAULT_TIMEOUTS. */
    timeouts?: Config['timeouts'];
    /** What the endpoint offers browsers and clients: CORS origins, batching, introspection, the explorer (defaults as in production). */
    endpoint?: Pick<Config, 'corsOrigins' | 'maxBatch' | 'introspection' | 'explorer'>;
    /** Runs the webhook worker, with TEST_WEBHOOKS (loopback allowed, short polls and retries) and these changes; absent: no worker. */
    webhooks?: Partial<WebhookSettings>;
    /** Where feeds and the sitemap link to: KIJI_SITE_URL, its title, the post and term page templates; images, pages and previews (KIJI_ASSET_URL, KIJI_IMAGE_URL, …). */
    site?: Partial<Pick<Config, 'siteUrl' | 'siteTitle' | 'postUrlTemplate' | 'termUrlTemplates' | 'presentation'>>;
  } = {},
): Promise<TestServer> {
  const shared = options.shareDatabaseWith;
  const database: TestDatabase = shared ? { config: shared.databaseConfig, drop: async () => undefined } : await createTestDatabase(kind);
  const config: Config = {
    database: database.config,
    port: 0,
    logLevel: 'error',
    postUrlTemplate: '/posts/{slug}',
    responseCache: options.responseCache ?? 'memory',
    redisUrl: options.redisUrl ?? null,
    cacheNamespace: options.cacheNamespace ?? 'kiji-test',
    responseCacheBytes: 16 * 1024 * 1024,
    graphqlJit: options.graphqlJit ?? true,
    timeZone: options.timeZone,
    observability: options.observability,
    limits: options.limits ?? TEST_LIMITS,
    timeouts: options.timeouts,
    webhooks: options.webhooks && { ...TEST_WEBHOOKS, ...options.webhooks },
    ...options.endpoint,
    ...options.site,
  };
  const dataSource = await openDatabase(config.database, config.logLevel);
  const clock = new ManualClock(options.now ?? TEST_NOW);
  const services = createServices(dataSource, config, clock);
  const importer = services.importer;
  const logger = options.logDestination ? createLogger('info', options.logDestination) : undefined;
  const http = await startHttpServer(services, 0, '127.0.0.1', { logger });
  let headers = new Headers();
  const makeClient = (authorization?: string) =>
    new UrqlClient({
      url: http.url,
      exchanges: [fetchExchange],
      requestPolicy: 'network-only',
      preferGetMethod: false,
      fetchOptions: authorization ? { headers: { authorization } } : undefined,
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        headers = response.headers;
        return response;
      },
    });
  const client = makeClient();
  return {
    url: http.url,
    metricsUrl: http.metricsUrl,
    client,
    services,
    dataSource,
    databaseConfig: database.config,
    clock,
    importer,
    lastHeaders: () => headers,
    clientWith: (authorization) => makeClient(authorization.includes(' ') ? authorization : `Bearer ${authorization}`),
    importPaths: (paths) => importer.importPaths(paths),
    stop: async () => {
      await http.stop();
      await dataSource.destroy();
      await database.drop();
    },
  };
}
