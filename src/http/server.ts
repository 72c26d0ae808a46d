import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { GraphQLError } from 'graphql';
import { currentSqlTally, withSqlTally } from '../db/sql-counter';
import { Context, createContext } from '../graphql/context';
import { formatError } from '../graphql/errors';
import { depthLimit } from '../graphql/plugins/depth-limit';
import { kijiSchema } from '../graphql/schema';
import { createCacheSetup } from './cache';
import { responseCacheMiddleware } from './response-cache';
import { compiledExecution } from './jit-executor';
import type { Services } from '../services/registry';
import { KijiError } from '../services/errors';
import type { Viewer } from '../services/viewer';

export interface RunningServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** Reports how many SQL statements the request cost, for tests, benchmarks and operators. */
const sqlStatementsHeader: ApolloServerPlugin<Context> = {
  async requestDidStart() {
    return {
      async willSendResponse({ response }) {
        const tally = currentSqlTally();
        if (tally) response.http.headers.set('x-kiji-sql-statements', String(tally.statements));
      },
    };
  },
};

/** The viewer behind a request; a bad key stops the request with 401 UNAUTHENTICATED. */
async function authenticate(services: Services, authorization: string | undefined): Promise<Viewer> {
  try {
    return await services.keys.authenticate(authorization);
  } catch (error) {
    if (error instanceof KijiError) {
      throw new GraphQLError(error.message, { extensions: { code: error.code, http: { status: 401 } } });
    }
    throw error;
  }
}

/** Starts Kiji's HTTP server: POST/GET `/graphql` and `GET /health`. Port 0 picks a free port. */
export async function startHttpServer(services: Services, port: number, host = '0.0.0.0'): Promise<RunningServer> {
  const app = express();
  app.disable('x-powered-by');
  const httpServer = http.createServer(app);
  const caching = createCacheSetup(services.config);
  const schema = await kijiSchema();
  const apollo = new ApolloServer<Context>({
    ...(services.config.graphqlJit ? { gateway: compiledExecution(schema) } : { schema }),
    formatError,
    includeStacktraceInErrorResponses: false,
    // The schema is public (committed, and clients generate types from it), NODE_ENV or not.
    introspection: true,
    cache: caching.cache,
    validationRules: [depthLimit()],
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer }), sqlStatementsHeader, ...caching.plugins],
  });
  await apollo.start();

  app.get('/health', async (_req, res) => {
    try {
      await services.dataSource.query('SELECT 1');
      res.json({ status: 'ok' });
    } catch {
      res.status(503).json({ status: 'unavailable' });
    }
  });
  app.use('/graphql', (_req, _res, next) => withSqlTally(() => next()));
  app.use('/graphql', express.json({ limit: '2mb' }));
  if (caching.responses) {
    const fresh = () => services.contentState.fresh(() => services.clock.now());
    app.use('/graphql', responseCacheMiddleware(caching.responses, fresh, services.config.cacheNamespace));
  }
  app.use(
    '/graphql',
    expressMiddleware(apollo, {
      context: async ({ req, res }) => createContext(services, await authenticate(services, req.headers.authorization), res.locals.cacheState),
    }),
  );

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(port, host, () => resolve());
  });
  const actual = (httpServer.address() as AddressInfo).port;
  return {
    url: `http://localhost:${actual}/graphql`,
    port: actual,
    stop: async () => {
      await apollo.stop();
      await caching.close();
    },
  };
}
