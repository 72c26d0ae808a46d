/**
 * `npm run bench -- [--db sqlite|postgres|both] [--duration 15] [--connections 32]
 *   [--cases feed,article,tag,author,search] [--cached | --cached-only] [--workers 1,2]
 *   [--sizes 1000,10000,100000 | --sizes none] [--warmup 5] [--rounds 1] [--growth-duration 10]
 *   [--postgraphile DIR] [--cpu-prof CASE] [--profile-only] [--sqlite PATH] [--postgres URL] [--no-build]`
 *
 * Starts Kiji as a real server process (`kiji serve`, or `kiji serve --workers N`) on the archive
 * bench:data built, drives it with autocannon, and in the same run, interleaved with it, a raw one-SQL baseline
 * (baseline.ts) and optionally PostGraphile 5 (postgraphile.ts) on PostgreSQL, each with as many
 * workers, so every Kiji figure comes with its ratios to them. Then measures how every case grows
 * with the archive, and optionally profiles the server during one case. Prints tables and writes
 * the same as JSON under bench-results/.
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
  REPO_ROOT,
  RESULTS_DIR,
  startNode,
  treeMemory,
  treeTicks,
  waitForHttp,
} from './common';
import { DEFAULT_POSTGRES, DEFAULT_POSTS, DEFAULT_SQLITE } from './data';
import { SEARCH_WORDS } from './text';
import { archiveFor, archiveSize, Db, ensureArchive } from './archives';
import { ALL_CASES, CaseName, QUERIES } from './queries';
import { compareAnswers, essence, Shape } from './answers';
import { PGL_QUERIES, startClustered, startPostGraphile } from './postgraphile';
import { PGL_SYSTEM, printGrowth, printMain, printSummary, RAW_SYSTEM, ratio, Result } from './report';
import { monotonicUs, summarizeProfile } from './profile-top';

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
  /** The system as the results name it: `kiji postgres`, `raw baseline`, `postgraphile 5`. */
  system: string;
  /** How the log lines name it: with the mode and worker count. */
  label: string;
  workers: number;
  /** How its answers are shaped, for the comparison with Kiji's. */
  shape: Shape;
  url: string;
  child: Child;
}

/** Resolves once `child` has printed `pattern` `count` times (every worker of a cluster serving). */
async function waitForOutput(child: Child, pattern: RegExp, count: number, what: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((child.output().match(new RegExp(pattern.source, 'g')) ?? []).length < count) {
    if (child.process.exitCode !== null || Date.now() > deadline) {
      await child.stop();
      throw new Error(`${what} did not start ${count} workers:\n${child.output().slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function startKiji(db: Db, databaseUrl: string, cached: boolean, workers: number, nodeArgs: string[] = []): Promise<Server> {
  const port = await freePort();
  const child = startNode(
    KIJI_MAIN,
    workers > 1 ? ['serve', '--workers', String(workers)] : ['serve'],
    // Every request comes from 127.0.0.1: a budget it cannot spend keeps the limiter's work in the figures.
    kijiServeEnv(databaseUrl, port, cached, { KIJI_RATE_LIMIT_ANONYMOUS: '1000000000' }),
    nodeArgs,
  );
  try {
    await waitForHttp(`http://127.0.0.1:${port}/health`, child, 120_000);
    // /health answers once one worker serves; the primary says when all of them do.
    if (workers > 1) await waitForOutput(child, new RegExp(`\\(${workers} workers\\)`), 1, `kiji serve --workers ${workers}`);
  } catch (error) {
    await child.stop();
    throw error;
  }
  const system = `kiji ${db}`;
  return { system, label: `${system}${cached ? ' cached' : ''} ×${workers}`, workers, shape: 'kiji', url: `http://127.0.0.1:${port}/graphql`, child };
}

async function startBaseline(databaseUrl: string, workers: number): Promise<Server> {
  const port = await freePort();
  const child = startClustered(path.join(__dirname, 'baseline.js'), workers, { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port) }, []);
  try {
    await waitForHttp(`http://127.0.0.1:${port}/health`, child, 30_000);
    await waitForOutput(child, /baseline listening/, workers, 'the raw baseline');
  } catch (error) {
    await child.stop();
    throw error;
  }
  return { system: RAW_SYSTEM, label: `raw baseline ×${workers}`, workers, shape: 'kiji', url: `http://127.0.0.1:${port}/graphql`, child };
}

async function startPeer(dir: string, databaseUrl: string, workers: number): Promise<Server> {
  const { url, child } = await startPostGraphile(dir, databaseUrl, workers);
  await waitForOutput(child, /postgraphile v5 \(kiji bench\)/, workers, 'PostGraphile 5');
  return { system: PGL_SYSTEM, label: `postgraphile 5 ×${workers}`, workers, shape: 'postgraphile', url, child };
}

function bodyOf(kind: CaseName, inputs: Inputs, i: number, query: string): string {
  const variables = variablesFor(kind, inputs, i);
  return JSON.stringify(variables ? { query, variables } : { query });
}

interface Sample {
  sql: number[];
  error: string | null;
  bytes: number;
  /** What a reader sees of each answer (answers.ts), to compare servers on the same requests. */
  answers: (string | null)[];
}

/** A few requests one at a time: statements per request (header), a check of the answers, and the answers. */
async function sample(server: Server, kind: CaseName, inputs: Inputs, query: string, n = 20): Promise<Sample> {
  const sql: number[] = [];
  const answers: (string | null)[] = [];
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
    try {
      const json = JSON.parse(text) as { data?: Record<string, unknown>; errors?: { message: string }[] };
      answers.push(essence(server.shape, kind, json));
      if (error) continue;
      if (!res.ok || json.errors?.length) error = `HTTP ${res.status}: ${json.errors?.[0]?.message ?? text.slice(0, 200)}`;
      else if (!json.data || Object.values(json.data).some((v) => v === null) || answers[i] === null)
        error = `null data for ${JSON.stringify(variablesFor(kind, inputs, i * 7))}`;
    } catch {
      answers.push(null);
      error ??= `HTTP ${res.status}: not JSON: ${text.slice(0, 200)}`;
    }
  }
  return { sql, error, bytes: Math.round(bytes / n), answers };
}

/**
 * Waits until the server answers /health quickly again. autocannon stops sending when a run ends,
 * but a server can still hold a queue of requests it has not answered (SQLite runs every
 * statement on Node's one thread, and a slow search leaves seconds of work behind); the next case
 * must not inherit it. Bounded: gives up after `maxMs`. (grafserv has no /health; its 404 is as quick.)
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
  // The server's CPU is its whole process tree: a cluster primary and every worker.
  const s0 = treeTicks(server.child.pid);
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
  const serverPct = pct(treeTicks(server.child.pid) - s0);
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
 * Kiji's sampled answers per set of requests and case (from its first session), which the other
 * servers' are compared with. Keyed by the Inputs themselves: only sessions that sent the same
 * requests to the same archive are compared.
 */
type References = Map<Inputs, Map<CaseName, (string | null)[]>>;

/**
 * How long a server with `workers` processes is warmed up before a case is measured. Every process
 * compiles its own code (V8 optimizes on helper threads, after enough calls) and prepares its own
 * statements, from its share of the warm-up traffic: two workers warmed up as long as one process
 * were measured half warm (Node CPU per request +28% on the feed and +51% on the article over one
 * process at --warmup 3, +4% and +10% once both were warm). So each process is warmed up as long as
 * one would be, whichever server it is.
 */
function warmupSeconds(warmup: number, workers: number): number {
  return warmup * workers;
}

/** A server to measure: the results' mode, the cases it serves and how it spells them. */
interface Session {
  server: Server;
  mode: Result['mode'];
  cases: CaseName[];
  queryOf: (kind: CaseName) => string;
}

/**
 * Measures servers side by side, interleaved: per round, per case, each server in turn (warmed up
 * first, warmupSeconds: in round 0, and a cached server in every round, since the other servers'
 * runs outlast its answers' max-age), so the servers compared with each other are measured seconds
 * apart. This machine's speed drifts by ±15% and more over a run (the raw baseline's feed once
 * measured 1,822 and 431 req/s half an hour apart): servers measured one after the other, each
 * through every case, got ratios that moved with the drift. Each server is sampled (statements per
 * request, answers) after its first run of a case; search comes last, and every server is let
 * finish what a run left queued (settle) before the next is driven. `--rounds 2` measures a second
 * time in reverse order, cases and servers; medians. The sampled answers are compared with Kiji's
 * first session's (a difference is a CHECK note).
 */
async function measureServers(sessions: Session[], db: Db, size: number, inputs: Inputs, o: RunOptions, references: References): Promise<Result[]> {
  const runs = sessions.map(() => new Map<CaseName, Awaited<ReturnType<typeof drive>>[]>());
  const samples = sessions.map(() => new Map<CaseName, Sample>());
  const ordered = [...new Set(sessions.flatMap((s) => s.cases))].sort((a, b) => Number(a === 'search') - Number(b === 'search'));
  const order = sessions.map((_, k) => k);
  for (let round = 0; round < o.rounds; round++) {
    for (const kind of round % 2 ? [...ordered].reverse() : ordered) {
      for (const k of round % 2 ? [...order].reverse() : order) {
        const { server, mode, cases, queryOf } = sessions[k];
        if (!cases.includes(kind)) continue;
        for (const other of sessions) if (other !== sessions[k]) await settle(other.server);
        if ((round === 0 || mode === 'cached') && o.warmup > 0)
          await drive(server, kind, inputs, { connections: o.connections, duration: warmupSeconds(o.warmup, server.workers), query: queryOf(kind) });
        const run = await drive(server, kind, inputs, { connections: o.connections, duration: o.duration, query: queryOf(kind) });
        runs[k].set(kind, [...(runs[k].get(kind) ?? []), run]);
        o.log(
          `    ${server.label.padEnd(26)} ${kind.padEnd(8)} ${fmt(run.result.requests.average)} req/s  p99 ${run.result.latency.p99} ms  (foreign CPU ${run.cpu.foreignPct}%)`,
        );
        if (!samples[k].has(kind)) {
          const waited = await settle(server);
          const busy = waited >= 180_000;
          samples[k].set(
            kind,
            busy ? { sql: [], error: 'server still busy 180 s after the run; not sampled', bytes: 0, answers: [] } : await sample(server, kind, inputs, queryOf(kind)),
          );
        }
      }
    }
  }
  if (!references.has(inputs)) references.set(inputs, new Map());
  return sessions.flatMap((session, k) => resultsOf(session, db, size, runs[k], samples[k], o, references.get(inputs)!));
}

/** A session's rows of the results: medians of its runs, its sample, and the check of its answers against the reference. */
function resultsOf(
  { server, mode, cases }: Session,
  db: Db,
  size: number,
  runs: Map<CaseName, Awaited<ReturnType<typeof drive>>[]>,
  samples: Map<CaseName, Sample>,
  o: RunOptions,
  referenceAnswers: Map<CaseName, (string | null)[]>,
): Result[] {
  const out: Result[] = [];
  const mem = treeMemory(server.child.pid);
  for (const kind of cases) {
    const list = runs.get(kind)!;
    const s = samples.get(kind)!;
    const reference = referenceAnswers.get(kind);
    let check = s.error;
    if (!reference && server.system.startsWith('kiji') && !check) referenceAnswers.set(kind, s.answers);
    else if (!check && reference) check = compareAnswers(kind, reference, s.answers, server.label);
    const m = (f: (r: (typeof list)[number]) => number) => median(list.map(f));
    out.push({
      size,
      db,
      system: server.system,
      mode,
      workers: server.workers,
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
      check,
      rounds: list.length,
    });
  }
  return out;
}

/** A server to start for a session, and how the log names it should it not start. */
interface SessionStart {
  what: string;
  start: () => Promise<Server>;
  mode: Result['mode'];
  cases: CaseName[];
  queryOf?: (kind: CaseName) => string;
}

/**
 * Starts the sessions' servers one after the other, measures them together (measureServers) and
 * stops them all. A server that cannot start is tried once more (the free port it was given can
 * be taken by someone else before it binds), then logged and skipped: the others are measured.
 */
async function withServers(starts: SessionStart[], measure: (sessions: Session[]) => Promise<Result[]>, log: (l: string) => void): Promise<Result[]> {
  const sessions: Session[] = [];
  try {
    for (const { what, start, mode, cases, queryOf = (c: CaseName) => QUERIES[c] } of starts) {
      for (let attempt = 1; ; attempt++) {
        try {
          sessions.push({ server: await start(), mode, cases, queryOf });
          break;
        } catch (error) {
          const why = (error as Error).message.split('\n').slice(0, 3).join(' | ');
          if (attempt === 2) {
            log(`  ${what} could not be started, its rows are missing: ${why}`);
            break;
          }
          log(`  ${what} could not be started (trying once more): ${why.slice(0, 300)}`);
        }
      }
    }
    return sessions.length ? await measure(sessions) : [];
  } finally {
    await Promise.all(sessions.map((s) => s.server.child.stop()));
  }
}

/**
 * `--cpu-prof CASE`: Kiji (one process) under `node --cpu-prof`, warmed up and driven through one
 * case as in the table; the profile is written when it stops, and its top self-time functions
 * during the measured run (not start-up or warm-up) are printed.
 */
async function profileCase(db: Db, url: string, kind: CaseName, cached: boolean, inputs: Inputs, o: RunOptions): Promise<string | null> {
  const dir = path.join(RESULTS_DIR, 'profiles', `${new Date().toISOString().replace(/[:.]/g, '-')}-${db}-${kind}${cached ? '-cached' : ''}`);
  fs.mkdirSync(dir, { recursive: true });
  const server = await startKiji(db, url, cached, 1, ['--cpu-prof', '--cpu-prof-dir', dir]);
  const window = { fromUs: 0, toUs: 0 };
  try {
    if (o.warmup > 0) await drive(server, kind, inputs, { connections: o.connections, duration: o.warmup, query: QUERIES[kind] });
    window.fromUs = monotonicUs();
    const run = await drive(server, kind, inputs, { connections: o.connections, duration: o.duration, query: QUERIES[kind] });
    window.toUs = monotonicUs();
    o.log(`    profiled ${server.label} ${kind}: ${fmt(run.result.requests.average)} req/s, p99 ${run.result.latency.p99} ms (the profiler slows it)`);
    await settle(server);
  } finally {
    await server.child.stop();
  }
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  if (!files.length) {
    o.log(`    no profile was written to ${path.relative(REPO_ROOT, dir)} (the server must exit normally on SIGTERM)`);
    return null;
  }
  const biggest = files.map((f) => path.join(dir, f)).sort((a, b) => fs.statSync(b).size - fs.statSync(a).size)[0];
  o.log(`    ${path.relative(REPO_ROOT, biggest)}\n`);
  o.log(summarizeProfile(biggest, 25, window));
  return path.relative(REPO_ROOT, biggest);
}

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2), {
    db: 'string',
    duration: 'string',
    connections: 'string',
    cases: 'string',
    cached: 'boolean',
    'cached-only': 'boolean',
    workers: 'string',
    sizes: 'string',
    warmup: 'string',
    rounds: 'string',
    'growth-duration': 'string',
    postgraphile: 'string',
    'cpu-prof': 'string',
    'profile-only': 'boolean',
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
  const workerCounts = [...new Set(((o.workers as string) ?? '1').split(',').map((s) => intOption(s.trim(), 1, 'workers')))].sort((a, b) => a - b);
  const sizes = o.sizes === 'none' ? [] : ((o.sizes as string) ?? '1000,10000,100000').split(',').map((s) => intOption(s.trim(), 0, 'sizes'));
  sizes.sort((a, b) => a - b);
  const profiled = o['cpu-prof'] as CaseName | undefined;
  if (profiled !== undefined && !ALL_CASES.includes(profiled)) throw new Error(`--cpu-prof takes a case (${ALL_CASES.join(', ')}), not ${String(profiled)}`);
  const profileOnly = Boolean(o['profile-only']);
  if (profileOnly && !profiled) throw new Error('--profile-only needs --cpu-prof CASE');
  const pglDir = o.postgraphile ? path.resolve(o.postgraphile as string) : null;
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
  const baseCases = cases.filter((c) => c !== 'search');
  const pglCases = cases.filter((c) => PGL_QUERIES[c] !== undefined);
  const growing = sizes.length > 0 && !noBuild && !profileOnly;

  // A rough estimate: each server session starts in ~8 s, then every case warms up (a cached server's in every round) and runs.
  const perCase = (workers: number, warmups: number) => warmupSeconds(run.warmup, workers) * warmups + run.duration * run.rounds + 2;
  const sessions = (count: number, warmups = 1) => (profileOnly ? 0 : workerCounts.reduce((sum, workers) => sum + 8 + count * perCase(workers, warmups), 0));
  const seconds =
    dbs.length * modes.reduce((sum, mode) => sum + sessions(cases.length, mode === 'cached' ? run.rounds : 1), 0) +
    (dbs.includes('postgres') ? sessions(baseCases.length) + (pglDir ? sessions(pglCases.length) : 0) : 0) +
    (growing ? dbs.length * sizes.length * (8 + cases.length * (growthRun.warmup + growthRun.duration + 2)) : 0) +
    (profiled ? dbs.length * (15 + run.warmup + run.duration) : 0);
  const started = Date.now();
  log(
    `kiji bench: ${dbs.join(' + ')}, ${run.connections} connections, ${run.duration} s per case after ${run.warmup} s warm-up, ${run.rounds} round(s), ` +
      `workers ${workerCounts.join(', ')}; ${os.cpus().length} cores, node ${process.version}`,
  );
  log(`estimated time: about ${fmt(seconds / 60, 1)} min (more when an archive must be built or a slow case leaves work to wait for)`);

  const results: Result[] = [];
  const growth: Result[] = [];
  const references: References = new Map();
  const mainInputs = new Map<Db, Inputs>();
  const profiles: string[] = [];
  for (const db of dbs) {
    let size = await archiveSize(db, mainUrl[db]);
    if (size === null && !noBuild) {
      await ensureArchive(db, mainUrl[db], DEFAULT_POSTS, log);
      size = DEFAULT_POSTS;
    }
    const inputs = await readInputs(db, mainUrl[db]);
    mainInputs.set(db, inputs);
    log(`\n${db}: ${fmt(inputs.posts)} posts (${db === 'sqlite' ? path.relative(REPO_ROOT, mainUrl[db].slice(7)) : databaseName(mainUrl[db])})`);
    // Per worker count, Kiji in every mode and the peers with as many workers, measured interleaved.
    for (const workers of profileOnly ? [] : workerCounts) {
      const starts: SessionStart[] = modes.map((mode) => ({
        what: `kiji serve${workers > 1 ? ` --workers ${workers}` : ''} (${mode})`,
        start: () => startKiji(db, mainUrl[db], mode === 'cached', workers),
        mode,
        cases,
      }));
      if (db === 'postgres' && pglDir && pglCases.length)
        starts.push({
          what: `PostGraphile 5 ×${workers}`,
          start: () => startPeer(pglDir, mainUrl[db], workers),
          mode: 'uncached',
          cases: pglCases,
          queryOf: (c) => PGL_QUERIES[c]!,
        });
      if (db === 'postgres' && baseCases.length)
        starts.push({ what: `the raw baseline ×${workers}`, start: () => startBaseline(mainUrl[db], workers), mode: 'raw', cases: baseCases });
      results.push(...(await withServers(starts, (sessions) => measureServers(sessions, db, inputs.posts, inputs, run, references), log)));
    }
    if (profiled) {
      log(`\n${db}: CPU profile of Kiji (one process, ${modes.includes('uncached') ? 'uncached' : 'cached'}) during ${profiled}`);
      const file = await profileCase(db, mainUrl[db], profiled, !modes.includes('uncached'), inputs, run).catch((error: Error) => {
        log(`    profiling failed: ${error.message.split('\n')[0]}`);
        return null;
      });
      if (file) profiles.push(file);
    }
  }
  if (results.length) {
    log(
      `\nEvery run (raw baseline: node:http + pg, one json_agg statement per request; rps/base against it with as many workers); ${run.connections} connections, ${run.duration} s, medians`,
    );
    printMain(results, log);
    for (const db of dbs) {
      log(`\n${db}: req/s, p99, and Kiji's req/s over PostGraphile 5's (/PG5) and the raw baseline's (/raw) with the same number of workers`);
      printSummary(results, db, cases, log);
    }
    const pg = (kind: CaseName, system: string, workers: number) =>
      results.find((r) => r.db === 'postgres' && r.system === system && r.mode !== 'cached' && r.case === kind && r.workers === workers);
    for (const workers of workerCounts) {
      const line = pglCases.map((c) => `${c} ${ratio(pg(c, 'kiji postgres', workers)?.rps, pg(c, PGL_SYSTEM, workers)?.rps)}`).join(', ');
      if (pglDir && pg(pglCases[0], PGL_SYSTEM, workers)) log(`uncached, Kiji ×${workers} / PostGraphile 5 ×${workers}: ${line}`);
    }
  }

  const growthCases = cases;
  if (noBuild && sizes.length && !profileOnly) log('\ngrowth skipped: --no-build measures only the databases given');
  if (growing) {
    log(`\ngrowth: ${growthCases.join(', ')} at ${sizes.map((n) => fmt(n)).join(', ')} posts (${growthRun.duration} s each, uncached, one process)`);
    for (const db of dbs) {
      for (const n of sizes) {
        const url = await archiveFor(db, n, mainUrl[db], log);
        // The main archive again: the same requests as its sessions, so the answers can be compared.
        const inputs = url === mainUrl[db] ? mainInputs.get(db)! : await readInputs(db, url);
        const start = { what: `kiji serve on ${fmt(n)} posts`, start: () => startKiji(db, url, false, 1), mode: 'uncached' as const, cases: growthCases };
        growth.push(...(await withServers([start], (sessions) => measureServers(sessions, db, n, inputs, growthRun, references), log)));
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
        options: { dbs, cases, modes, workers: workerCounts, sizes, ...run, log: undefined, growthDuration: growthRun.duration, cpuProf: profiled ?? null },
        queries: QUERIES,
        postgraphileQueries: pglDir ? PGL_QUERIES : undefined,
        results,
        growth,
        profiles,
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
