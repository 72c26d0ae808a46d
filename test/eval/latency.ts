/**
 * `npm run bench:latency [-- --postgres URL] [--postgres-only] [--calls 200] [--cache]`
 *
 * Imports ../shared/corpora and the seed into a fresh database, starts the real HTTP server on a
 * free port, and times GraphQL requests over HTTP one after another (latency, not throughput):
 * a search (varied queries), the same search asking for totalCount and snippets, and
 * `post(slug) { related(first: 5) { post { slug title } } }` (varied slugs). Prints the median
 * and p95 of each. The response cache is off unless --cache, so every call reaches the database.
 */
import { startHttpServer } from '../../src/http/server';
import { fmt, importArchive, parseOptions, percentile, prng, table } from './common';
import { SEARCH_EXPECTATIONS } from './search-queries';

const SEARCH = `query LatencySearch($q: String!) {
  posts(filter: { query: $q }, first: 10) { edges { node { slug title } } }
}`;
const SEARCH_FULL = `query LatencySearchFull($q: String!) {
  posts(filter: { query: $q }, first: 10) { totalCount edges { node { slug title searchSnippet } } }
}`;
const RELATED = `query LatencyRelated($slug: String!) {
  post(slug: $slug) { related(first: 5) { post { slug title } } }
}`;

interface Row {
  db: string;
  operation: string;
  calls: number;
  median: number;
  p95: number;
  max: number;
  sql: number;
}

async function time(url: string, query: string, variables: Record<string, unknown>[], calls: number, warmup: number) {
  const samples: number[] = [];
  let sql = 0;
  for (let i = 0; i < warmup + calls; i++) {
    const started = process.hrtime.bigint();
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables: variables[i % variables.length] }),
    });
    const body = (await response.json()) as { errors?: unknown[]; data?: unknown };
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (body.errors || !response.ok) throw new Error(`request failed: ${response.status} ${JSON.stringify(body.errors)}`);
    if (i >= warmup) {
      samples.push(ms);
      sql = Math.max(sql, Number(response.headers.get('x-kiji-sql-statements') ?? 0));
    }
  }
  samples.sort((a, b) => a - b);
  return { median: percentile(samples, 50), p95: percentile(samples, 95), max: samples[samples.length - 1], sql };
}

async function run(postgresUrl: string | undefined, calls: number, cache: boolean): Promise<Row[]> {
  const archive = await importArchive({ postgresUrl, seed: true });
  archive.services.config.responseCache = cache ? 'memory' : 'off';
  const server = await startHttpServer(archive.services, 0, '127.0.0.1');
  try {
    const slugs: { slug: string }[] = await archive.dataSource.query(`SELECT slug FROM posts WHERE status = 'published' AND "deletedAt" IS NULL ORDER BY id`);
    const random = prng(42);
    const shuffled = slugs
      .map((s) => ({ s: s.slug, k: random() }))
      .sort((a, b) => a.k - b.k)
      .map((x) => x.s);
    const relatedVars = shuffled.slice(0, calls).map((slug) => ({ slug }));
    const searchVars = SEARCH_EXPECTATIONS.map((q) => ({ q: q.query }));
    const db = archive.database.kind;
    const rows: Row[] = [];
    const warmup = 20;
    for (const [operation, query, vars] of [
      ['search (10 hits: slug, title)', SEARCH, searchVars],
      ['search + totalCount + snippet', SEARCH_FULL, searchVars],
      ['post.related(first: 5)', RELATED, relatedVars],
    ] as const) {
      const t = await time(server.url, query, [...vars], calls, warmup);
      rows.push({ db, operation, calls, ...t });
    }
    return rows;
  } finally {
    await server.stop();
    await archive.close();
  }
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2), { postgres: 'string', 'postgres-only': 'boolean', calls: 'string', cache: 'boolean' });
  const calls = options.calls === undefined ? 200 : Number(options.calls);
  if (!Number.isInteger(calls) || calls <= 0) throw new Error(`--calls must be a positive integer, got ${options.calls}`);
  const rows: Row[] = [];
  if (!options['postgres-only']) rows.push(...(await run(undefined, calls, Boolean(options.cache))));
  if (typeof options.postgres === 'string') rows.push(...(await run(options.postgres, calls, Boolean(options.cache))));
  console.log(`\nLatency over HTTP, sequential calls, response cache ${options.cache ? 'on' : 'off'} (ms)`);
  console.log(
    table(
      ['database', 'operation', 'calls', 'median', 'p95', 'max', 'SQL/req'],
      rows.map((r) => [r.db, r.operation, r.calls, fmt(r.median, 1), fmt(r.p95, 1), fmt(r.max, 1), r.sql]),
    ),
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
