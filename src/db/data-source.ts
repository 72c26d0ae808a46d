import fs from 'node:fs';
import path from 'node:path';
import { DataSource } from 'typeorm';
import type { DatabaseConfig, LogLevel } from '../config';
import { ENTITIES } from '../entities';
import { MIGRATIONS } from '../../migrations';
import { answerWithin } from './pg-pool';
import { kijiPgTypes } from './pg-types';
import { SessionLock } from './session-lock';
import { CountingLogger } from './sql-counter';
import { tuneSqliteConnection } from './sqlite-pragmas';

/**
 * Time bounds on PostgreSQL. The server passes its own (a public request must never wait long);
 * the CLI's batch work (imports, migrations, related rebuilds over a whole archive) runs statements
 * that may rightly take minutes, so it sets no statement timeout.
 */
export interface DatabaseLimits {
  /** `statement_timeout`; 0 for none. */
  statementTimeoutMs: number;
  /** Longest wait for a pool slot, and for a new connection to be established. */
  acquireTimeoutMs: number;
}

export const BATCH_LIMITS: DatabaseLimits = { statementTimeoutMs: 0, acquireTimeoutMs: 5000 };

/** Builds the one DataSource Kiji uses: an SQLite file (the default) or PostgreSQL. */
export function createDataSource(database: DatabaseConfig, logLevel: LogLevel = 'warn', limits: DatabaseLimits = BATCH_LIMITS): DataSource {
  const common = {
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsRun: false,
    synchronize: false,
    logger: new CountingLogger(logLevel),
    maxQueryExecutionTime: 1000,
  };
  if (database.type === 'sqlite') {
    if (database.path !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(database.path)), { recursive: true });
    return new DataSource({
      ...common,
      type: 'better-sqlite3',
      database: database.path,
      // WAL lets readers go on while an import writes.
      enableWAL: true,
      prepareDatabase: tuneSqliteConnection,
    });
  }
  const statementTimeout = limits.statementTimeoutMs;
  return new DataSource({
    ...common,
    type: 'postgres',
    url: database.url,
    // pg waits forever for a pool slot, a connection and a statement unless told otherwise.
    extra: {
      max: 20,
      connectionTimeoutMillis: limits.acquireTimeoutMs,
      keepAlive: true,
      types: kijiPgTypes,
      ...(statementTimeout > 0
        ? {
            statement_timeout: statementTimeout,
            // A server that does not answer at all (frozen, partitioned) cannot enforce its own timeout.
            onConnect: answerWithin(statementTimeout + 1000),
          }
        : {}),
    },
  });
}

/**
 * Opens the connection and brings the schema up to date. Migrations run without a statement
 * timeout (building an index over a large archive takes what it takes), through a connection of
 * their own when the serving one is bounded.
 */
export async function openDatabase(database: DatabaseConfig, logLevel?: LogLevel, limits: DatabaseLimits = BATCH_LIMITS): Promise<DataSource> {
  const bounded = database.type === 'postgres' && limits.statementTimeoutMs > 0;
  const dataSource = createDataSource(database, logLevel, limits);
  if (bounded) {
    const migrator = createDataSource(database, logLevel, BATCH_LIMITS);
    await migrator.initialize();
    try {
      await migrateInTurn(migrator);
    } finally {
      await migrator.destroy();
    }
    await dataSource.initialize();
  } else {
    await dataSource.initialize();
    await migrateInTurn(dataSource);
  }
  return dataSource;
}

/**
 * Runs the pending migrations, one process at a time: two processes starting on a fresh database
 * (two `kiji import`s, a server and an import) would otherwise both create the same tables.
 */
async function migrateInTurn(dataSource: DataSource): Promise<void> {
  const release = await new SessionLock(dataSource, 'migrations').acquire({ wait: true });
  try {
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await release();
  }
}

/** The limits the HTTP server runs under, from its configured timeouts. */
export function servingLimits(timeouts: { statementMs: number; acquireMs: number }): DatabaseLimits {
  return { statementTimeoutMs: timeouts.statementMs, acquireTimeoutMs: timeouts.acquireMs };
}
