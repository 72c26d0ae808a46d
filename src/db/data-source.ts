import fs from 'node:fs';
import path from 'node:path';
import { DataSource } from 'typeorm';
import type { DatabaseConfig, LogLevel } from '../config';
import { ENTITIES } from '../entities';
import { MIGRATIONS } from '../../migrations';
import { kijiPgTypes } from './pg-types';
import { CountingLogger } from './sql-counter';

/** Builds the one DataSource Kiji uses: an SQLite file (the default) or PostgreSQL. */
export function createDataSource(database: DatabaseConfig, logLevel: LogLevel = 'warn'): DataSource {
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
      prepareDatabase: (db: { pragma(sql: string): unknown }) => {
        db.pragma('busy_timeout = 5000');
        db.pragma('synchronous = NORMAL');
      },
    });
  }
  return new DataSource({
    ...common,
    type: 'postgres',
    url: database.url,
    // pg waits forever for a pool slot and runs statements unbounded unless told otherwise.
    extra: { max: 20, connectionTimeoutMillis: 5000, statement_timeout: 10000, types: kijiPgTypes },
  });
}

/** Opens the connection and brings the schema up to date. */
export async function openDatabase(database: DatabaseConfig, logLevel?: LogLevel): Promise<DataSource> {
  const dataSource = createDataSource(database, logLevel);
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  return dataSource;
}
