/**
 * Plumbing shared by the evaluation and latency scripts: options, fresh databases (a temp SQLite
 * file, or a database created on a PostgreSQL server and dropped afterwards), importing the
 * corpora with the real importer, and telling which corpus a post came from.
 */
process.env.TZ = 'UTC';
import 'reflect-metadata';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import type { Config, DatabaseConfig } from '../../src/config';
import { openDatabase } from '../../src/db/data-source';
import { PROJECT_ROOT } from '../../src/paths';
import { ManualClock } from '../../src/services/shared/clock';
import type { ImportSummary } from '../../src/services/import/importer';
import { createServices, Services } from '../../src/services/registry';

export const SHARED_DIR = path.resolve(PROJECT_ROOT, '..', 'shared');
export const SEED_FILE = path.join(SHARED_DIR, 'samples', '000_20020096e96e7224.txt');

export type CorpusName = 'vim-jp' | 'jekyll' | '18F';
export const CORPUS_NAMES: CorpusName[] = ['vim-jp', 'jekyll', '18F'];
export const CORPUS_DIRS: Record<CorpusName, string> = {
  'vim-jp': path.join(SHARED_DIR, 'corpora', 'vim-jp.github.io', '_posts'),
  jekyll: path.join(SHARED_DIR, 'corpora', 'jekyll', 'docs', '_posts'),
  '18F': path.join(SHARED_DIR, 'corpora', '18f.gsa.gov', 'content', 'posts'),
};

/** The corpus a post was imported from, by its source path (null for the seed and anything else). */
export function corpusOf(sourcePath: string | null): CorpusName | null {
  if (!sourcePath) return null;
  if (sourcePath.includes('vim-jp.github.io/')) return 'vim-jp';
  if (sourcePath.includes('jekyll/docs/_posts/')) return 'jekyll';
  if (sourcePath.includes('18f.gsa.gov/')) return '18F';
  return null;
}

/** A fixed "now", so recency (and so every figure) is the same from run to run. */
export const EVAL_NOW = new Date('2026-06-01T00:00:00Z');

/** The benchmarks' option parser: `--name value`, `--name=value`, `--flag`; unknown names are an error. */
export { parseOptions } from '../bench/common';

export interface EvalDatabase {
  kind: 'sqlite' | 'postgres';
  config: DatabaseConfig;
  drop(): Promise<void>;
}

/** A fresh SQLite file, or (given a server URL) a fresh database on that PostgreSQL server. */
export async function freshDatabase(postgresUrl?: string): Promise<EvalDatabase> {
  const name = `kiji_eval_${process.pid}_${crypto.randomBytes(3).toString('hex')}`;
  if (!postgresUrl) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiji-eval-'));
    return {
      kind: 'sqlite',
      config: { type: 'sqlite', path: path.join(dir, `${name}.sqlite`) },
      drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  }
  const admin = async (sql: string) => {
    const client = new Client({ connectionString: postgresUrl, connectionTimeoutMillis: 5000 });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(postgresUrl);
  url.pathname = `/${name}`;
  return {
    kind: 'postgres',
    config: { type: 'postgres', url: url.toString() },
    drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

export interface Archive {
  database: EvalDatabase;
  dataSource: DataSource;
  services: Services;
  summary: ImportSummary;
  importSeconds: number;
  close(): Promise<void>;
}

/** Opens a fresh database and imports the three corpora (and the seed, when asked) with the real importer. */
export async function importArchive(options: { postgresUrl?: string; seed?: boolean; quiet?: boolean } = {}): Promise<Archive> {
  for (const dir of Object.values(CORPUS_DIRS)) {
    if (!fs.existsSync(dir)) throw new Error(`${dir} is missing: the evaluation needs ../shared/corpora beside the repository`);
  }
  const database = await freshDatabase(options.postgresUrl);
  const config: Config = {
    database: database.config,
    port: 0,
    logLevel: 'error',
    postUrlTemplate: '/posts/{slug}',
    responseCache: 'off',
    redisUrl: null,
    cacheNamespace: 'kiji-eval',
    responseCacheBytes: 0,
    graphqlJit: true,
  };
  try {
    const dataSource = await openDatabase(config.database, config.logLevel);
    const services = createServices(dataSource, config, new ManualClock(EVAL_NOW));
    const paths = [...Object.values(CORPUS_DIRS), ...(options.seed ? [SEED_FILE] : [])];
    const started = process.hrtime.bigint();
    if (!options.quiet) process.stderr.write(`importing ${paths.length} sources into ${database.kind} …\n`);
    const summary = await services.importer.importPaths(paths);
    const importSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (!options.quiet) {
      process.stderr.write(`imported ${summary.imported} posts in ${importSeconds.toFixed(1)} s (${summary.failed.length} failed, ${summary.warnings.length} warnings)\n`);
    }
    return {
      database,
      dataSource,
      services,
      summary,
      importSeconds,
      close: async () => {
        await dataSource.destroy();
        await database.drop();
      },
    };
  } catch (error) {
    await database.drop();
    throw error;
  }
}

/** The benchmarks' seeded generator (mulberry32): the same sequence on every machine. */
export { prng } from '../bench/common';

export function mean(values: number[]): number {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : NaN;
}

/** Nearest-rank percentile of already-sorted numbers. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** A plain-text table with columns padded to their widest cell. */
export function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, c) => Math.max(...cells.map((r) => [...(r[c] ?? '')].length)));
  const line = (r: string[]) =>
    r
      .map((cell, c) => cell + ' '.repeat(widths[c] - [...cell].length))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...cells.slice(1).map(line)].join('\n');
}

export const fmt = (n: number, digits = 3) => (Number.isFinite(n) ? n.toFixed(digits) : '—');
