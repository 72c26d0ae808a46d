import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import type { DatabaseConfig } from '../../src/config';

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

const pgUrl = process.env.TEST_DATABASE_URL;

export function databaseKinds(): DatabaseKind[] {
  if (pgUrl) return ['sqlite', 'postgres'];
  if (process.env.CI === 'true') {
    throw new Error('CI=true but TEST_DATABASE_URL is not set: the PostgreSQL half of the API tests must run in CI');
  }
  return ['sqlite'];
}

let warned = false;
/** Says once per test file, loudly, that the PostgreSQL half was skipped. */
export function warnIfPostgresSkipped(): void {
  if (pgUrl || warned) return;
  warned = true;
  process.stderr.write(
    '\n[kiji] TEST_DATABASE_URL is not set: the PostgreSQL half of the API tests is SKIPPED (SQLite only).\n' +
      '       Set TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test to run it.\n\n',
  );
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

/**
 * Redis for the shared response cache: TEST_REDIS_URL, or the local default. Null (with a note)
 * when none answers; under CI=true its absence is a failure.
 */
export async function testRedisUrl(): Promise<string | null> {
  const url = process.env.TEST_REDIS_URL || 'redis://127.0.0.1:6379';
  const { default: Redis } = await import('ioredis');
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 2000 });
  try {
    await redis.connect();
    await redis.ping();
    return url;
  } catch {
    if (process.env.CI === 'true') throw new Error(`CI=true but no Redis answers at ${url}: the Redis cache tests must run in CI`);
    process.stderr.write(`[kiji] no Redis at ${url}: the Redis cache tests are SKIPPED\n`);
    return null;
  } finally {
    redis.disconnect();
  }
}

/** `describe` once per database kind, with the kind in the title. */
export function describeEachDatabase(title: string, body: (kind: DatabaseKind) => void): void {
  warnIfPostgresSkipped();
  for (const kind of databaseKinds()) describe(`${title} [${kind}]`, () => body(kind));
}
