/**
 * `npm run bench:sync -- [--db sqlite|postgres] [--sqlite PATH] [--postgres URL] [--edits 1000] [--first 100]`
 *
 * The partners' delta sync over HTTP, on an existing archive (npm run bench:data; by default
 * bench-results/bench.sqlite or the kiji_bench database): entries per second for an initial
 * sync (every public post, with body, author, tags and categories, pages of `--first`), then for
 * an incremental sync of `--edits` logged changes, and the time of a sync with nothing new.
 *
 * The changes are log rows appended directly for random public posts, as N edits would append
 * them, and removed afterwards: the archive's posts are left as they were, and what is measured is
 * the sync's reading, not the editors' write path. The partner key made for the run is removed too.
 */
process.env.TZ = 'UTC';
import 'reflect-metadata';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { openDatabase } from '../../src/db/data-source';
import { ApiKey, SyncLogEntry } from '../../src/entities';
import { startHttpServer } from '../../src/http/server';
import { systemClock } from '../../src/services/shared/clock';
import { createServices } from '../../src/services/registry';
import { appendLogRow } from '../../src/services/sync';
import { fmt, intOption, parseOptions, prng, RESULTS_DIR, REPO_ROOT } from './common';

const DEFAULT_SQLITE = path.join(RESULTS_DIR, 'bench.sqlite');
const DEFAULT_POSTGRES = 'postgres://postgres@127.0.0.1:5432/kiji_bench';

const CHANGES = `query Changes($after: String, $first: Int) {
  changes(after: $after, first: $first) {
    cursor hasMore
    entries { kind postId version at post { id slug url title excerpt bodyHtml publishedAt updatedAt author { name } tags { name } categories { name } } }
  }
}`;

interface Feed {
  cursor: string;
  hasMore: boolean;
  entries: unknown[];
}

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2), { db: 'string', sqlite: 'string', postgres: 'string', edits: 'string', first: 'string' });
  const db = o.postgres ? 'postgres' : o.sqlite ? 'sqlite' : String(o.db ?? 'sqlite');
  if (db !== 'sqlite' && db !== 'postgres') throw new Error('--db is sqlite or postgres');
  const url = db === 'postgres' ? String(o.postgres ?? DEFAULT_POSTGRES) : `sqlite:${path.resolve(REPO_ROOT, String(o.sqlite ?? DEFAULT_SQLITE))}`;
  const edits = intOption(o.edits, 1000, 'edits');
  const first = intOption(o.first, 100, 'first');
  // No response cache (partners' keyed requests are not cached anyway) and no rate limit for the one client.
  const config = loadConfig({ DATABASE_URL: url, KIJI_RESPONSE_CACHE: 'off', KIJI_RATE_LIMIT_READER: '0', LOG_LEVEL: 'warn' });
  const dataSource = await openDatabase(config.database, 'warn');
  const services = createServices(dataSource, config, systemClock);
  const server = await startHttpServer(services, 0, '127.0.0.1');
  const { key, secret } = await services.keys.create('partner', 'bench:sync');
  const [{ top }] = await dataSource.query<{ top: number | string | null }[]>('SELECT MAX(seq) AS top FROM sync_log');
  try {
    const page = async (after: string | null): Promise<Feed> => {
      const response = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
        body: JSON.stringify({ query: CHANGES, variables: { after, first } }),
      });
      const body = (await response.json()) as { data?: { changes: Feed }; errors?: unknown[] };
      if (!body.data) throw new Error(`changes failed: ${JSON.stringify(body.errors)}`);
      return body.data.changes;
    };
    const sync = async (after: string | null) => {
      const started = performance.now();
      let cursor = after;
      let entries = 0;
      let pages = 0;
      for (;;) {
        const feed = await page(cursor);
        entries += feed.entries.length;
        pages++;
        cursor = feed.cursor;
        if (!feed.hasMore) break;
      }
      const seconds = (performance.now() - started) / 1000;
      return { cursor, entries, pages, seconds };
    };
    const report = (name: string, r: { entries: number; pages: number; seconds: number }) =>
      process.stdout.write(
        `${name.padEnd(34)} ${fmt(r.entries).padStart(9)} entries  ${fmt(r.pages).padStart(6)} pages  ${fmt(r.seconds, 2).padStart(8)} s  ` +
          `${fmt(r.entries / r.seconds).padStart(8)} entries/s  ${fmt((r.seconds * 1000) / r.pages, 1).padStart(7)} ms/page\n`,
      );

    process.stdout.write(`delta sync on ${db} (${db === 'sqlite' ? path.relative(REPO_ROOT, url.slice(7)) : url}), pages of ${first}\n`);
    const initial = await sync(null);
    report('initial sync', initial);

    const ids = (await dataSource.query<{ id: number }[]>(`SELECT id FROM posts WHERE status = 'published' AND "deletedAt" IS NULL ORDER BY id`)).map((r) => Number(r.id));
    const random = prng(42);
    const now = systemClock.now();
    await dataSource.transaction(async (manager) => {
      for (let i = 0; i < edits; i++) await appendLogRow(manager, ids[Math.floor(random() * ids.length)], now);
    });
    const incremental = await sync(initial.cursor);
    report(`incremental, ${fmt(edits)} logged changes`, incremental);
    const quiet = await sync(incremental.cursor);
    report('incremental, nothing new', quiet);
  } finally {
    await dataSource
      .createQueryBuilder()
      .delete()
      .from(SyncLogEntry)
      .where('seq > :top', { top: Number(top ?? 0) })
      .execute();
    await dataSource.getRepository(ApiKey).delete(key.id);
    await server.stop();
    await dataSource.destroy();
  }
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
