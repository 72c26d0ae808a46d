/**
 * `npm run bench -- [--db sqlite|postgres|both] [--duration 15] [--connections 32]
 *   [--cases feed,article,tag,author,search] [--cached] [--sizes 1000,10000,100000]
 *   [--warmup 5] [--rounds 1] [--growth-duration 10] [--postgraphile DIR] [--sqlite PATH] [--postgres URL] [--no-build]`
 *
 * Starts Kiji as a real server process (`kiji serve`) on the archive bench:data built, drives it
 * with autocannon, and in the same run drives a raw one-SQL baseline (baseline.ts) on PostgreSQL,
 * so every Kiji figure comes with its ratio to the baseline. Then measures how feed, article and
 * search grow with the archive. Prints tables and writes the same as JSON under bench-results/.
 */
process.env.TZ = 'UTC';
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import {
  Child,
  databaseName,
  fmt,
  freePort,
  intOption,
  KIJI_MAIN,
  kijiServeEnv,
  machineTicks,
  median,
  parseOptions,
  postgresTicks,
  processMemory,
  processTicks,
  REPO_ROOT,
  RESULTS_DIR,
  startNode,
  table,
  waitForHttp,
} from './common';
import { DEFAULT_POSTGRES, DEFAULT_POSTS, DEFAULT_SQLITE } from './data';
import { SEARCH_WORDS } from './text';
import { archiveFor, archiveSize, Db, ensureArchive } from './archives';
import { ALL_CASES, CaseName, QUERIES } from './queries';

/**
 * PostGraphile 5's spelling of the feed over Kiji's tables (simplify-inflection naming). It can
 * only filter on indexed columns, so not on deletedAt or publishedAt <= now (the synthetic
 * archive has neither deleted nor scheduled posts, so the answer is the same).
 */
const PGL_FEED = `query Feed { posts(first: 20, orderBy: PUBLISHED_AT_DESC, condition: { status: "published" }) { nodes { slug title excerpt publishedAt postAuthors(first: 1) { nodes { author { name slug } } } postTags { nodes { tag { name slug } } } } } }`;

interface Inputs {
  posts: number;
  slugs: string[];
  tags: string[];
  authors: string[];
  searches: string[];
}

/** Variables for the i-th request of a case, rotating through the inputs. */
function variablesFor(kind: CaseName, inputs: Inputs, i: number): Record<string, unknown> | undefined {
  const at = <T>(list: T[]) => list[i % list.length];
  switch (kind) {
    case 'feed':
      return undefined;
    case 'article':
      return { slug: at(inputs.slugs) };
    case 'tag':
      return { slug: at(inputs.tags) };
    case 'author':
      return { slug: at(inputs.authors) };
    case 'search':
      return { q: at(inputs.searches) };
  }
}

/** Slugs to rotate through, read from the database itself (random, visible posts). */
async function readInputs(db: Db, url: string): Promise<Inputs> {
  const visible = `status = 'published' AND "deletedAt" IS NULL`;
  const sql = {
    posts: `SELECT COUNT(*) AS n FROM posts`,
    slugs: `SELECT slug FROM posts WHERE ${visible} ORDER BY random() LIMIT 2000`,
    // Tags weighted as readers meet them: a random post's tags, so popular tags come up more.
    tags: `SELECT t.slug FROM post_tags pt JOIN tags t ON t.id = pt."tagId" WHERE pt."postId" IN (SELECT id FROM posts WHERE ${visible} ORDER BY random() LIMIT 300)`,
    authors: `SELECT DISTINCT a.slug FROM post_authors pa JOIN authors a ON a.id = pa."authorId"`,
  };
  let rows: Record<keyof typeof sql, { [k: string]: unknown }[]>;
  if (db === 'sqlite') {
    const file = url.slice('sqlite:'.length);
    const d = new Database(file, { readonly: true, fileMustExist: true });
    try {
      rows = Object.fromEntries(Object.entries(sql).map(([k, q]) => [k, d.prepare(q).all()])) as typeof rows;
    } finally {
      d.close();
    }
  } else {
    const c = new Client({ connectionString: url, connectionTimeoutMillis: 5000 });
    await c.connect();
    try {
      rows = {} as typeof rows;
      for (const [k, q] of Object.entries(sql)) rows[k as keyof typeof sql] = (await c.query<Record<string, unknown>>(q)).rows;
    } finally {
      await c.end();
    }
  }
  // A deterministic order, so both databases get the same mix within a run.
  const slugsOf = (list: { [k: string]: unknown }[]) => list.map((r) => String(r.slug));
  const searches: string[] = [];
  for (let i = 0; i < Math.max(SEARCH_WORDS.ja.length, SEARCH_WORDS.en.length); i++)
    searches.push(SEARCH_WORDS.ja[i % SEARCH_WORDS.ja.length], SEARCH_WORDS.en[i % SEARCH_WORDS.en.length]);
  return { posts: Number(rows.posts[0].n), slugs: slugsOf(rows.slugs), tags: slugsOf(rows.tags), authors: slugsOf(rows.authors), searches };
}

interface Server {
  label: string;
  url: string;
  child: Child;
}

async function startKiji(db: Db, databaseUrl: string, cached: boolean): Promise<Server> {
  const port = await freePort();
  const child = startNode(
    KIJI_MAIN,
    ['serve'],
    // Every request comes from 127.0.0.1: a budget it cannot spend keeps the limiter's work in the figures.
    kijiServeEnv(databaseUrl, port, cached, { KIJI_RATE_LIMIT_ANONYMOUS: '1000000000' }),
  );
  try {
    await waitForHttp(`http://127.0.0.1:${port}/health`, child, 120_000);
  } catch (error) {
    await child.stop();
    throw error;
  }
  return { label: `kiji ${db}${cached ? ' cached' : ''}`, url: `http://127.0.0.1:${port}/graphql`, child };
}

async function startBaseline(databaseUrl: string): Promise<Server> {
  const port = await freePort();
  const child = startNode(path.join(__dirname, 'baseline.js'), [], { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port) });
  await waitForHttp(`http://127.0.0.1:${port}/health`, child, 30_000).catch(async (e) => {
    await child.stop();
    throw e;
  });
  return { label: 'raw baseline', url: `http://127.0.0.1:${port}/graphql`, child };
}

/** PostGraphile 5 from an installed copy of ../shared/peers/pg5 (see the README). */
async function startPostGraphile(dir: string, databaseUrl: string): Promise<Server> {
  const port = await freePort();
  const child = startNode(
    path.join(dir, 'server.mjs'),
    [],
    { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), NODE_ENV: 'production' },
    ['--import', path.join(dir, 'polyfill-node20.mjs')],
    dir,
  );
  const url = `http://127.0.0.1:${port}/graphql`;
  // grafserv has no /health: wait until the feed answers.
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) });
      if (r.ok) break;
    } catch {
      // not yet
    }
    if (Date.now() > deadline || child.process.exitCode !== null) {
      await child.stop();
      throw new Error(`PostGraphile did not start:\n${child.output()}`);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  return { label: 'postgraphile 5', url, child };
}

function bodyOf(kind: CaseName, inputs: Inputs, i: number, query: string): string {
  const variables = variablesFor(kind, inputs, i);
  return JSON.stringify(variables ? { query, variables } : { query });
}

/** A few requests one at a time: statements per request (header) and a check of the answers. */
async function sample(server: Server, kind: CaseName, inputs: Inputs, query: string, n = 20): Promise<{ sql: number[]; error: string | null; bytes: number }> {
  const sql: number[] = [];
  let error: string | null = null;
  let bytes = 0;
  for (let i = 0; i < n; i++) {
    let res: Response;
    let text: string;
    try {
      res = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: bodyOf(kind, inputs, i * 7, query),
        signal: AbortSignal.timeout(30_000),
      });
      text = await res.text();
    } catch (e) {
      error ??= `request failed: ${(e as Error).message}${server.child.process.exitCode !== null ? ` (server exited: ${server.child.output().slice(-300)})` : ''}`;
      break;
    }
    bytes += Buffer.byteLength(text);
    const header = res.headers.get('x-kiji-sql-statements');
    if (header !== null) sql.push(Number(header));
    if (!error) {
      try {
        const json = JSON.parse(text) as { data?: Record<string, unknown>; errors?: { message: string }[] };
        if (!res.ok || json.errors?.length) error = `HTTP ${res.status}: ${json.errors?.[0]?.message ?? text.slice(0, 200)}`;
        else if (!json.data || Object.values(json.data).some((v) => v === null)) error = `null data for ${JSON.stringify(variablesFor(kind, inputs, i * 7))}`;
      } catch {
        error = `HTTP ${res.status}: not JSON: ${text.slice(0, 200)}`;
      }
    }
  }
  return { sql, error, bytes: Math.round(bytes / n) };
}

export interface Result {
  size: number;
  db: Db;
  system: string;
  mode: 'uncached' | 'cached' | 'raw';
  case: CaseName;
  connections: number;
  duration: number;
  rps: number;
  p50: number;
  p99: number;
  sqlPerRequest: number | null;
  sqlMax: number | null;
  bytesPerResponse: number;
  serverPeakMb: number | null;
  cpu: { serverPct: number; postgresPct: number; loadgenPct: number; foreignPct: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  check: string | null;
  rounds: number;
}

/**
 * Waits until the server answers /health quickly again. autocannon stops sending when a run ends,
 * but a server can still hold a queue of requests it has not answered (SQLite runs every
 * statement on Node's one thread, and a slow search leaves seconds of work behind); the next case
 * must not inherit it. Bounded: gives up after `maxMs`.
 */
async function settle(server: Server, maxMs = 180_000): Promise<number> {
  const started = Date.now();
  const health = server.url.replace(/\/graphql$/, '/health');
  while (Date.now() - started < maxMs) {
    const t0 = Date.now();
    try {
      const res = await fetch(health, { signal: AbortSignal.timeout(maxMs) });
      await res.text();
      if (Date.now() - t0 < 200) return Date.now() - started;
    } catch {
      // still busy, or gone (then the next run reports it)
      if (server.child.process.exitCode !== null) return Date.now() - started;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return Date.now() - started;
}

async function drive(server: Server, kind: CaseName, inputs: Inputs, opts: { connections: number; duration: number; query: string }) {
  const waited = await settle(server);
  if (waited > 2000) process.stdout.write(`    (waited ${fmt(waited / 1000, 1)} s for ${server.label} to finish requests left from the previous run)\n`);
  let counter = 0;
  const t0 = machineTicks();
  const s0 = processTicks(server.child.pid);
  const p0 = postgresTicks();
  const a0 = process.cpuUsage();
  const result = await autocannon({
    url: server.url,
    connections: opts.connections,
    duration: opts.duration,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: bodyOf(kind, inputs, 0, opts.query),
    requests: [{ method: 'POST', setupRequest: (req) => ({ ...req, body: bodyOf(kind, inputs, counter++, opts.query) }) }],
  });
  const t1 = machineTicks();
  const a1 = process.cpuUsage(a0);
  const wall = t1.total - t0.total;
  // Percent of one core (the machine is cores × 100%).
  const pct = (ticks: number) => Math.round((100 * os.cpus().length * ticks) / Math.max(1, wall));
  const busy = wall - (t1.idle - t0.idle);
  const serverPct = pct(processTicks(server.child.pid) - s0);
  const postgresPct = pct(postgresTicks() - p0);
  const loadgenPct = pct((a1.user + a1.system) / 1e4);
  return { result, cpu: { serverPct, postgresPct, loadgenPct, foreignPct: pct(busy) - serverPct - postgresPct - loadgenPct } };
}

interface RunOptions {
  connections: number;
  duration: number;
  warmup: number;
  rounds: number;
  log: (line: string) => void;
}

/**
 * Per case: warm up, measure, then sample statements per request, so a slow case (search on
 * SQLite leaves minutes of queued work behind) cannot spoil the cases after it; search comes last.
 * `--rounds 2` measures a second time in reverse order; medians.
 */
async function measureServer(
  server: Server,
  db: Db,
  mode: Result['mode'],
  size: number,
  cases: CaseName[],
  inputs: Inputs,
  o: RunOptions,
  queryOf: (c: CaseName) => string = (c) => QUERIES[c],
): Promise<Result[]> {
  const runs = new Map<CaseName, Awaited<ReturnType<typeof drive>>[]>();
  const samples = new Map<CaseName, Awaited<ReturnType<typeof sample>>>();
  const ordered = [...cases].sort((a, b) => Number(a === 'search') - Number(b === 'search'));
  for (let round = 0; round < o.rounds; round++) {
    for (const kind of round % 2 ? [...ordered].reverse() : ordered) {
      if (round === 0 && o.warmup > 0) await drive(server, kind, inputs, { connections: o.connections, duration: o.warmup, query: queryOf(kind) });
      const run = await drive(server, kind, inputs, { connections: o.connections, duration: o.duration, query: queryOf(kind) });
      runs.set(kind, [...(runs.get(kind) ?? []), run]);
      o.log(
        `    ${server.label.padEnd(20)} ${kind.padEnd(8)} ${fmt(run.result.requests.average)} req/s  p99 ${run.result.latency.p99} ms  (foreign CPU ${run.cpu.foreignPct}%)`,
      );
      if (!samples.has(kind)) {
        const waited = await settle(server);
        const busy = waited >= 180_000;
        samples.set(kind, busy ? { sql: [], error: 'server still busy 180 s after the run; not sampled', bytes: 0 } : await sample(server, kind, inputs, queryOf(kind)));
      }
    }
  }
  const out: Result[] = [];
  for (const kind of cases) {
    const list = runs.get(kind)!;
    const s = samples.get(kind)!;
    const mem = processMemory(server.child.pid);
    const m = (f: (r: (typeof list)[number]) => number) => median(list.map(f));
    out.push({
      size,
      db,
      system: server.label.replace(/ cached$/, ''),
      mode,
      case: kind,
      connections: o.connections,
      duration: o.duration,
      rps: m((r) => r.result.requests.average),
      p50: m((r) => r.result.latency.p50),
      p99: m((r) => r.result.latency.p99),
      sqlPerRequest: s.sql.length ? median(s.sql) : null,
      sqlMax: s.sql.length ? Math.max(...s.sql) : null,
      bytesPerResponse: s.bytes,
      serverPeakMb: mem ? Math.round(mem.hwmMb) : null,
      cpu: {
        serverPct: m((r) => r.cpu.serverPct),
        postgresPct: m((r) => r.cpu.postgresPct),
        loadgenPct: m((r) => r.cpu.loadgenPct),
        foreignPct: m((r) => r.cpu.foreignPct),
      },
      non2xx: list.reduce((a, r) => a + r.result.non2xx, 0),
      errors: list.reduce((a, r) => a + r.result.errors, 0),
      timeouts: list.reduce((a, r) => a + r.result.timeouts, 0),
      check: s.error,
      rounds: list.length,
    });
  }
  return out;
}

async function withServer<T>(start: () => Promise<Server>, work: (s: Server) => Promise<T>): Promise<T> {
  const server = await start();
  try {
    return await work(server);
  } finally {
    await server.child.stop();
  }
}

function ratio(a: number | null | undefined, b: number | null | undefined): string {
  if (a == null || b == null || b === 0) return '–';
  return `${(a / b).toFixed(2)}×`;
}

function printMain(results: Result[], log: (l: string) => void): void {
  const base = (c: CaseName, size: number) => results.find((r) => r.mode === 'raw' && r.case === c && r.size === size);
  const rows = results.map((r) => {
    const b = r.mode === 'raw' ? undefined : base(r.case, r.size);
    const flags = [
      r.check ? `CHECK: ${r.check}` : '',
      r.non2xx ? `${r.non2xx} non-2xx` : '',
      r.errors ? `${r.errors} errors` : '',
      r.timeouts ? `${r.timeouts} timeouts (>10 s)` : '',
      r.cpu.foreignPct > 25 ? 'noisy' : '',
    ]
      .filter(Boolean)
      .join('; ');
    return [
      r.system,
      r.mode,
      r.case,
      fmt(r.rps),
      b ? ratio(r.rps, b.rps) : r.mode === 'raw' ? '1.00×' : '–',
      fmt(r.p50),
      fmt(r.p99),
      b ? ratio(r.p99, b.p99) : '–',
      r.sqlPerRequest === null ? '–' : `${fmt(r.sqlPerRequest)}${r.sqlMax !== r.sqlPerRequest ? `–${r.sqlMax}` : ''}`,
      r.serverPeakMb === null ? '–' : fmt(r.serverPeakMb),
      `${r.cpu.serverPct}/${r.cpu.postgresPct}/${r.cpu.loadgenPct}/${r.cpu.foreignPct}`,
      flags,
    ];
  });
  log(table(['system', 'mode', 'case', 'req/s', 'rps/base', 'p50 ms', 'p99 ms', 'p99/base', 'SQL/req', 'peak MB', 'CPU% srv/pg/gen/other', 'notes'], rows));
}

function printGrowth(results: Result[], sizes: number[], log: (l: string) => void): void {
  const keys = [...new Set(results.map((r) => `${r.system}|${r.case}`))];
  const rows = keys.map((k) => {
    const [system, kind] = k.split('|');
    const at = (n: number) => results.find((r) => r.system === system && r.case === kind && r.size === n);
    const first = at(sizes[0]);
    const last = at(sizes[sizes.length - 1]);
    return [
      system,
      kind,
      ...sizes.map((n) => (at(n) ? `${fmt(at(n)!.rps)} / ${fmt(at(n)!.p99)}` : '–')),
      ...sizes.map((n) => (at(n)?.sqlPerRequest ?? '–').toString()),
      first && last ? ratio(last.rps, first.rps) : '–',
    ];
  });
  log(
    table(
      ['system', 'case', ...sizes.map((n) => `${fmt(n)}: req/s / p99`), ...sizes.map((n) => `SQL@${fmt(n)}`), `rps ${fmt(sizes[sizes.length - 1])} vs ${fmt(sizes[0])}`],
      rows,
    ),
  );
}

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2), {
    db: 'string',
    duration: 'string',
    connections: 'string',
    cases: 'string',
    cached: 'boolean',
    'cached-only': 'boolean',
    sizes: 'string',
    warmup: 'string',
    rounds: 'string',
    'growth-duration': 'string',
    postgraphile: 'string',
    sqlite: 'string',
    postgres: 'string',
    'no-build': 'boolean',
  });
  const noBuild = Boolean(o['no-build']);
  const dbChoice = (o.db as string) ?? 'both';
  if (!['sqlite', 'postgres', 'both'].includes(dbChoice)) throw new Error('--db must be sqlite, postgres or both');
  const dbs: Db[] = dbChoice === 'both' ? ['postgres', 'sqlite'] : [dbChoice as Db];
  const cases = ((o.cases as string) ?? ALL_CASES.join(',')).split(',').map((c) => c.trim()) as CaseName[];
  for (const c of cases) if (!ALL_CASES.includes(c)) throw new Error(`unknown case ${c} (known: ${ALL_CASES.join(', ')})`);
  const modes: ('uncached' | 'cached')[] = o['cached-only'] ? ['cached'] : o.cached ? ['uncached', 'cached'] : ['uncached'];
  const sizes = o.sizes === 'none' ? [] : ((o.sizes as string) ?? '1000,10000,100000').split(',').map((s) => intOption(s.trim(), 0, 'sizes'));
  sizes.sort((a, b) => a - b);
  const run: RunOptions = {
    connections: intOption(o.connections, 32, 'connections'),
    duration: intOption(o.duration, 15, 'duration'),
    warmup: o.warmup === '0' ? 0 : intOption(o.warmup, 5, 'warmup'),
    rounds: intOption(o.rounds, 1, 'rounds'),
    log: (line) => process.stdout.write(line + '\n'),
  };
  const growthRun = { ...run, duration: intOption(o['growth-duration'], Math.min(10, run.duration), 'growth-duration'), warmup: Math.min(run.warmup, 3) };
  const log = run.log;
  if (!fs.existsSync(KIJI_MAIN)) throw new Error(`${KIJI_MAIN} is missing: run npm run build`);
  const mainUrl: Record<Db, string> = {
    sqlite: `sqlite:${path.resolve(REPO_ROOT, (o.sqlite as string) ?? DEFAULT_SQLITE)}`,
    postgres: (o.postgres as string) ?? process.env.BENCH_POSTGRES_URL ?? DEFAULT_POSTGRES,
  };
  const started = Date.now();
  log(
    `kiji bench: ${dbs.join(' + ')}, ${run.connections} connections, ${run.duration} s per case after ${run.warmup} s warm-up, ${run.rounds} round(s); ${os.cpus().length} cores, node ${process.version}`,
  );

  const results: Result[] = [];
  const growth: Result[] = [];
  for (const db of dbs) {
    let size = await archiveSize(db, mainUrl[db]);
    if (size === null && !noBuild) {
      await ensureArchive(db, mainUrl[db], DEFAULT_POSTS, log);
      size = DEFAULT_POSTS;
    }
    const inputs = await readInputs(db, mainUrl[db]);
    log(`\n${db}: ${fmt(inputs.posts)} posts (${db === 'sqlite' ? path.relative(REPO_ROOT, mainUrl[db].slice(7)) : databaseName(mainUrl[db])})`);
    for (const mode of modes) {
      results.push(
        ...(await withServer(
          () => startKiji(db, mainUrl[db], mode === 'cached'),
          (s) => measureServer(s, db, mode, inputs.posts, cases, inputs, run),
        )),
      );
    }
    if (db === 'postgres') {
      const baseCases = cases.filter((c) => c !== 'search');
      results.push(
        ...(await withServer(
          () => startBaseline(mainUrl[db]),
          (s) => measureServer(s, db, 'raw', inputs.posts, baseCases, inputs, run),
        )),
      );
      if (o.postgraphile && cases.includes('feed')) {
        try {
          results.push(
            ...(await withServer(
              () => startPostGraphile(path.resolve(o.postgraphile as string), mainUrl[db]),
              (s) => measureServer(s, db, 'uncached', inputs.posts, ['feed'], inputs, run, () => PGL_FEED),
            )),
          );
        } catch (error) {
          log(`  PostGraphile 5 could not be measured: ${(error as Error).message.split('\n')[0]}`);
        }
      }
    }
  }
  log(`\nKiji against the raw baseline (PostgreSQL, node:http + pg, one json_agg statement per request); ${run.connections} connections, ${run.duration} s, medians`);
  printMain(results, log);
  const kijiFeed = results.find((r) => r.system === 'kiji postgres' && r.mode === 'uncached' && r.case === 'feed');
  const pglFeed = results.find((r) => r.system === 'postgraphile 5' && r.case === 'feed');
  if (kijiFeed && pglFeed) log(`uncached feed, Kiji / PostGraphile 5: ${ratio(kijiFeed.rps, pglFeed.rps)} req/s, p99 ${fmt(kijiFeed.p99)} vs ${fmt(pglFeed.p99)} ms`);

  const growthCases = (['feed', 'article', 'search'] as CaseName[]).filter((c) => cases.includes(c));
  if (noBuild && sizes.length) log('\ngrowth skipped: --no-build measures only the databases given');
  if (sizes.length && growthCases.length && !noBuild) {
    log(`\ngrowth: ${growthCases.join(', ')} at ${sizes.map((n) => fmt(n)).join(', ')} posts (${growthRun.duration} s each, uncached)`);
    for (const db of dbs) {
      for (const n of sizes) {
        const url = noBuild ? mainUrl[db] : await archiveFor(db, n, mainUrl[db], log);
        const inputs = await readInputs(db, url);
        growth.push(
          ...(await withServer(
            () => startKiji(db, url, false),
            (s) => measureServer(s, db, 'uncached', n, growthCases, inputs, growthRun),
          )),
        );
      }
    }
    printGrowth(growth, sizes, log);
  }

  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const out = path.join(RESULTS_DIR, `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(
    out,
    JSON.stringify(
      {
        startedAt: new Date(started).toISOString(),
        minutes: (Date.now() - started) / 60000,
        node: process.version,
        cores: os.cpus().length,
        options: { dbs, cases, modes, sizes, ...run, log: undefined, growthDuration: growthRun.duration },
        queries: QUERIES,
        results,
        growth,
      },
      null,
      2,
    ),
  );
  log(`\nwritten to ${path.relative(REPO_ROOT, out)} (${fmt((Date.now() - started) / 60000, 1)} min)`);
}

main().catch((error) => {
  process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
