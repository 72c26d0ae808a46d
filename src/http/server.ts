import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { EXPLORER_ASSETS_PATH, explorerAssets, explorerLandingPage } from './explorer';
import express from 'express';
import { GraphQLError } from 'graphql';
import { DEFAULT_LIMITS, DEFAULT_OBSERVABILITY, DEFAULT_TIMEOUTS } from '../config';
import { DatabaseAvailability, isDatabaseUnavailable, withinMs } from '../db/availability';
import type { Context } from '../graphql/context';
import { formatError } from '../graphql/errors';
import { kijiSchema } from '../graphql/schema';
import { createCacheSetup, openRedisLink } from './cache';
import { Deadlines } from './deadline';
import { mountHealthRoutes, readinessCheck, READINESS_TIMEOUT_MS } from './health';
import { answerClientError, httpServerOptions } from './http-limits';
import { Drain, DrainOutcome } from './shutdown';
import { databaseUnavailableError, unavailablePlugin } from './unavailable';
import { graphqlEndpoint } from './graphql-endpoint';
import { feedRoutes, UNCACHED_DOCUMENTS_WARNING } from './feeds';
import { EncodedBodies } from './compression';
import type { CacheFreshness } from './response-cache';
import { clientAddressResolver } from './client-address';
import { costLimits, createCostBudgets } from './rate-limit';
import { documentCosts } from './document-cost';
import { refusedShape } from '../graphql/plugins/cost-limit';
import { compiledExecution } from './jit-executor';
import { jsonErrors, notFound } from './errors-middleware';
import { startMetricsListener, watchDatabasePool } from './metrics';
import { requestLogPlugin } from './request-log';
import { requestFrame } from './request-frame';
import { createLogger, Logger } from '../log';
import type { Services } from '../services/registry';
import { KijiError } from '../services/shared';
import type { Viewer } from '../services/access';

export interface RunningServer {
  url: string;
  port: number;
  /** Where `/metrics` is served (KIJI_METRICS_PORT), when it is. */
  metricsUrl?: string;
  /** Closes at once (tests). */
  stop(): Promise<void>;
  /** Stops taking connections, lets requests in flight finish within `graceMs`, then closes. */
  shutdown(graceMs: number): Promise<DrainOutcome>;
}

/** The viewer behind a request; a bad key stops the request with 401 UNAUTHENTICATED. */
async function authenticate(services: Services, authorization: string | undefined): Promise<Viewer> {
  try {
    return await services.keys.authenticate(authorization);
  } catch (error) {
    if (error instanceof KijiError) {
      throw new GraphQLError(error.message, { extensions: { code: error.code, http: { status: 401 } } });
    }
    if (isDatabaseUnavailable(error)) throw databaseUnavailableError(error);
    throw error;
  }
}

/** Starts Kiji's HTTP server: POST/GET `/graphql` and `GET /health`. Port 0 picks a free port. */
export async function startHttpServer(
  services: Services,
  port: number,
  host = '0.0.0.0',
  options: { /** Where log lines go instead of stderr (tests). */ logger?: Logger } = {},
): Promise<RunningServer> {
  const app = express();
  app.disable('x-powered-by');
  const observability = services.config.observability ?? DEFAULT_OBSERVABILITY;
  const timeouts = services.config.timeouts ?? DEFAULT_TIMEOUTS;
  const logger = options.logger ?? createLogger(services.config.logLevel);
  const limits = services.config.limits ?? DEFAULT_LIMITS;
  const drain = new Drain();
  const deadlines = new Deadlines(timeouts.requestMs);
  // First, so that even the answers of a draining server have a request id and a log line.
  app.use(requestFrame({ logger, slowMs: observability.slowMs, drain, deadlines, clientAddress: clientAddressResolver(limits.trustProxy), sqlTally: observability.sqlTally }));
  const httpServer = http.createServer(httpServerOptions(timeouts.receiveMs), app);
  httpServer.on('clientError', answerClientError);
  // Outages and recoveries of the database and of Redis: one line each, whatever the traffic.
  const dependencyLog = (message: string, error?: unknown) => (error === undefined ? logger.info(message) : logger.warn({ err: error }, message));
  const readState = () => services.contentState.read(services.clock.now());
  const availability = new DatabaseAvailability(() => withinMs(readState(), READINESS_TIMEOUT_MS), dependencyLog);
  // Where the response cache and the documents' cache read the content generation a lookup is for.
  const freshness: CacheFreshness = {
    fresh: () => services.contentState.freshWithin(() => services.clock.now(), READINESS_TIMEOUT_MS),
    lastKnown: () => services.contentState.lastKnown(),
    databaseAvailable: () => availability.available,
    report: (error: unknown) => availability.report(error),
    quietFromNow: () => services.writeLock.quietFromNow(),
  };
  const redisLink = openRedisLink(services.config, dependencyLog);
  const caching = createCacheSetup(services.config, redisLink);
  const schema = await kijiSchema();
  // One set of budgets: a client's GraphQL reads and its uncached feeds spend the same points.
  const budgets = createCostBudgets(services.config, redisLink, dependencyLog);
  const apollo = new ApolloServer<Context>({
    ...(services.config.graphqlJit ? { gateway: compiledExecution(schema) } : { schema }),
    formatError,
    includeStacktraceInErrorResponses: false,
    // The schema is public (committed, and clients generate types from it), NODE_ENV or not; KIJI_INTROSPECTION=off hides it.
    introspection: services.config.introspection !== false,
    // Shutdown is Kiji's (http/shutdown.ts): Apollo's own handler stops it mid-drain and re-raises the signal.
    stopOnTerminationSignals: false,
    cache: caching.cache,
    // Browsers' cross-site requests cannot carry Kiji's only credential (README "Clients"), and mutations over GET stay refused.
    csrfPrevention: false,
    // How many operations a batch may hold, none included, is decided before Apollo (graphql-endpoint.ts batchLimit).
    allowBatchedHttpRequests: true,
    // Cost, shape and budget limits: README "Limits" (plugins/cost-limit.ts).
    parseOptions: { maxTokens: limits.maxTokens },
    validationRules: [refusedShape(limits)],
    plugins: [
      unavailablePlugin(availability),
      requestLogPlugin,
      services.config.explorer === false ? ApolloServerPluginLandingPageDisabled() : explorerLandingPage({ endpoint: '/graphql' }),
      ...caching.plugins,
      // Federation traces, which Apollo installs for subgraphs only, but asks about on every request.
      ApolloServerPluginInlineTraceDisabled(),
      costLimits(services.config, budgets),
    ],
  });
  await apollo.start();
  // Compressed copies of cached answers, GraphQL's and documents' alike: one memory budget, not two.
  const encoded = new EncodedBodies(Math.floor(services.config.responseCacheBytes / 4));

  // The endpoint first: it is what nearly every request is for, and Express tries routes in order.
  app.use(
    '/graphql',
    graphqlEndpoint({
      services,
      apollo,
      authenticate: (authorization) => authenticate(services, authorization),
      availability,
      freshness,
      deadlines,
      responses: caching.responses,
      encoded,
    }),
  );
  if (services.config.explorer !== false) app.use(EXPLORER_ASSETS_PATH, explorerAssets());
  mountHealthRoutes(
    app,
    services.dataSource,
    readinessCheck({ dataSource: services.dataSource, probe: readState, availability, redisState: caching.redisState, draining: () => drain.isDraining }),
  );
  // Feeds and the sitemap: public documents, cached like anonymous reads (document-cache.ts).
  if (!services.config.siteUrl) logger.warn(UNCACHED_DOCUMENTS_WARNING);
  app.use(
    feedRoutes({
      services,
      responses: caching.responses,
      freshness,
      availability,
      encoded,
      deadlines,
      budgets,
      costs: documentCosts(schema, limits),
    }),
  );
  // Keep these two last: whatever nothing above answered is a JSON 404, whatever failed a JSON error.
  app.use(notFound);
  app.use(jsonErrors);

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(port, host, () => resolve());
  });
  const actual = (httpServer.address() as AddressInfo).port;
  const unwatchPool = watchDatabasePool(services.dataSource);
  const metricsListener = observability.metricsPort === null ? undefined : await startMetricsListener(observability.metricsPort, observability.metricsHost);
  // Webhook deliveries go out while the server runs (KIJI_WEBHOOK_WORKER; a config built by hand, as in tests, runs none unless it says so).
  if (services.config.webhooks?.worker) services.webhookWorker.start(logger);
  return {
    url: `http://localhost:${actual}/graphql`,
    port: actual,
    metricsUrl: metricsListener?.url,
    stop: async () => {
      await services.webhookWorker.stop();
      availability.stop();
      const closed = new Promise((resolve) => httpServer.close(resolve));
      httpServer.closeAllConnections();
      await closed;
      await metricsListener?.close();
      unwatchPool();
      await apollo.stop();
      await redisLink?.close();
    },
    shutdown: async (graceMs) => {
      // First, while the database is there: requests to receivers are aborted and their leases given back for another instance.
      // Within the grace period: leases not given back by then run out, and another instance sends those.
      const started = Date.now();
      await services.webhookWorker.stop(graceMs);
      const outcome = await drain.drain(httpServer, Math.max(0, graceMs - (Date.now() - started)));
      availability.stop();
      await metricsListener?.close();
      unwatchPool();
      await apollo.stop();
      await redisLink?.close();
      return outcome;
    },
  };
}
