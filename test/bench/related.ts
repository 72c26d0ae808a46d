/**
 * `node [--cpu-prof] dist/test/bench/related.js --sqlite PATH | --postgres URL`
 *
 * Times RelatedIndex.rebuild() on an existing archive (it rewrites related_posts and post_terms
 * there), for profiling the related-articles build alone.
 */
process.env.TZ = 'UTC';
import 'reflect-metadata';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { openDatabase } from '../../src/db/data-source';
import { systemClock } from '../../src/services/shared/clock';
import { createServices } from '../../src/services/registry';
import { fmt, parseOptions, REPO_ROOT } from './common';

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2), { sqlite: 'string', postgres: 'string' });
  const url = o.postgres ? String(o.postgres) : o.sqlite ? `sqlite:${path.resolve(REPO_ROOT, String(o.sqlite))}` : null;
  if (!url) throw new Error('give --sqlite PATH or --postgres URL');
  const dataSource = await openDatabase(loadConfig({ DATABASE_URL: url }).database, 'warn');
  try {
    const [{ n }] = await dataSource.query<{ n: number | string }[]>(`SELECT COUNT(*) AS n FROM posts`);
    const services = createServices(dataSource, loadConfig({ DATABASE_URL: 'sqlite::memory:', KIJI_RESPONSE_CACHE: 'off' }), systemClock);
    const started = performance.now();
    await services.related.rebuild();
    const ms = performance.now() - started;
    const mem = process.memoryUsage();
    process.stdout.write(`RelatedIndex.rebuild on ${fmt(Number(n))} posts: ${fmt(ms / 1000, 1)} s; rss ${fmt(mem.rss / 1e6)} MB\n`);
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
