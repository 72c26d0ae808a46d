import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import type { DatabaseConfig } from '../../src/config';
import { missingDependency } from './dependencies';

/**
 * The databases every API test runs on: SQLite always, PostgreSQL when TEST_DATABASE_URL names a
 * server. Each test file gets a database of its own (a temp file, or a fresh PostgreSQL database
 * created from TEST_DATABASE_URL and dropped afterwards), so files can run in parallel.
 */

export type DatabaseKind = 'sqlite' | 'postgres';

export interface TestDatabase {
  config: DatabaseConfig;
  drop(): Promise<void>;
}

/** The DATABASE_URL that makes a `kiji` process (serve, import, keys…) use this database. */
export function databaseUrlOf(database: TestDatabase): string {
  return database.config.type === 'sqlite' ? `sqlite:${database.config.path}` : database.config.url;
}

const pgUrl = process.env.TEST_DATABASE_URL;

let postgresChecked = false;
/** SQLite, and PostgreSQL when TEST_DATABASE_URL is set (its absence is said once per test file). */
export function databaseKinds(): DatabaseKind[] {
  if (pgUrl) return ['sqlite', 'postgres'];
  if (!postgresChecked) {
    missingDependency('TEST_DATABASE_URL is not set', 'the PostgreSQL halves of the API tests', 'Set TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test to run them.');
    postgresChecked = true;
  }
  return ['sqlite'];
}

export async function createTestDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  const name = `kiji_t_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
  if (kind === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiji-test-'));
    return {
      config: { type: 'sqlite', path: path.join(dir, `${name}.sqlite`) },
      drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  }
  const admin = new Client({ connectionString: pgUrl, connectionTimeoutMillis: 5000 });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(pgUrl!);
  url.pathname = `/${name}`;
  return {
    config: { type: 'postgres', url: url.toString() },
    drop: async () => {
      const client = new Client({ connectionString: pgUrl, connectionTimeoutMillis: 5000 });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** Exits 0 when the Redis at argv[2] answers PING (ioredis is at argv[1]). */
const PING_REDIS = `
const Redis = require(process.argv[1]);
const redis = new Redis(process.argv[2], { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 2000 });
redis.connect().then(() => redis.ping()).then(() => process.exit(0), () => process.exit(1));
`;

/**
 * Redis for the shared response cache: TEST_REDIS_URL, or the local default; null when none
 * answers (see missingDependency). Asked synchronously, in a child process, because which tests
 * run is decided while the file is collected, before any async hook.
 */
export function testRedisUrl(): string | null {
  const url = process.env.TEST_REDIS_URL || 'redis://127.0.0.1:6379';
  const ping = spawnSync(process.execPath, ['-e', PING_REDIS, require.resolve('ioredis'), url], { stdio: 'ignore', timeout: 10_000 });
  if (ping.status === 0) return url;
  missingDependency(`no Redis answers at ${url}`, 'the Redis cache tests', 'Set TEST_REDIS_URL=redis://host:port to run them.');
  return null;
}

/** `describe` once per database kind, with the kind in the title. */
export function describeEachDatabase(title: string, body: (kind: DatabaseKind) => void): void {
  for (const kind of databaseKinds()) describe(`${title} [${kind}]`, () => body(kind));
}

/**
 * `describeEachDatabase` when `available` (what the tests need is there), else `describe.skip`,
 * which still collects the tests so that each shows as skipped.
 */
export function describeEachDatabaseIf(available: boolean, title: string, body: (kind: DatabaseKind) => void): void {
  if (available) describeEachDatabase(title, body);
  else describe.skip(title, () => body('sqlite'));
}
