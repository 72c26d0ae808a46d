/**
 * Shared plumbing for the benchmark scripts: option parsing, seeded randomness, database names,
 * child processes and /proc sampling. Nothing here is imported by Kiji itself.
 */
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';

/** The repository root (this file runs from dist/test/bench). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const RESULTS_DIR = path.join(REPO_ROOT, 'bench-results');
export const KIJI_MAIN = path.join(REPO_ROOT, 'dist', 'src', 'main.js');
export const DEFAULT_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/** `--name value` and `--flag` options; `--name=value` too. Unknown names are an error. */
export function parseOptions(argv: string[], spec: Record<string, 'string' | 'boolean'>): Record<string, string | boolean | undefined> {
  const out: Record<string, string | boolean | undefined> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new Error(`unexpected argument ${arg}`);
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2);
    const kind = spec[name];
    if (!kind) {
      const known = Object.keys(spec).map((k) => '--' + k);
      throw new Error(`unknown option --${name} (known: ${known.join(' ')})`);
    }
    if (kind === 'boolean') out[name] = inline === undefined ? true : inline !== 'false';
    else {
      const value = inline ?? argv[++i];
      if (value === undefined) throw new Error(`--${name} needs a value`);
      out[name] = value;
    }
  }
  return out;
}

export function intOption(value: string | boolean | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive integer, got ${value}`);
  return n;
}

/** mulberry32: small, fast, and the same sequence for the same seed on every machine. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Draws indexes 0..n-1 with probability ∝ 1/(rank+1)^s (Zipf). */
export function zipf(n: number, s: number, random: () => number): () => number {
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) cdf[i] = sum += 1 / Math.pow(i + 1, s);
  return () => {
    const x = random() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** A database URL with another database name. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = '/' + database;
  return u.toString();
}

export function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
}

function quoteIdent(name: string): string {
  return '"' + name.replace(/"/g, '""') + '"';
}

/** Runs `work` with a client on the admin database (the one in `adminUrl`). */
async function withAdmin<T>(adminUrl: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function withAdminQuery(adminUrl: string, sql: string): Promise<void> {
  await withAdmin(adminUrl, (c) => c.query(sql));
}

export async function databaseExists(adminUrl: string, name: string): Promise<boolean> {
  return withAdmin(adminUrl, async (c) => (await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1);
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  await withAdmin(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`));
}

export async function createDatabase(adminUrl: string, name: string): Promise<void> {
  await withAdmin(adminUrl, (c) => c.query(`CREATE DATABASE ${quoteIdent(name)}`));
}

/** The admin URL for a target URL: the same server, database `postgres` (or BENCH_DATABASE_URL). */
export function adminUrlFor(target: string): string {
  return process.env.BENCH_DATABASE_URL ? process.env.BENCH_DATABASE_URL : withDatabase(target, 'postgres');
}

/** Peak (VmHWM) and current (VmRSS) resident memory of a process, in MB; null once it has gone. */
export function processMemory(pid: number): { hwmMb: number; rssMb: number } | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
    return { hwmMb: kb('VmHWM') / 1024, rssMb: kb('VmRSS') / 1024 };
  } catch {
    return null;
  }
}

/** CPU ticks (user + system, 1/100 s) a process has used so far. */
export function processTicks(pid: number): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

/** A process and all its descendants (a cluster primary and its workers), by walking /proc's parent ids. */
export function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const ppid = Number(fs.readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1].split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone meanwhile
    }
  }
  const out = [pid];
  for (let i = 0; i < out.length; i++) out.push(...(children.get(out[i]) ?? []));
  return out;
}

/** CPU ticks used so far by a process and its descendants (all workers of a cluster). */
export function treeTicks(pid: number): number {
  return processTree(pid).reduce((sum, p) => sum + processTicks(p), 0);
}

/** processMemory summed over a process and its descendants; null once the process has gone. */
export function treeMemory(pid: number): { hwmMb: number; rssMb: number } | null {
  const own = processMemory(pid);
  if (!own) return null;
  return processTree(pid)
    .slice(1)
    .map(processMemory)
    .reduce<{ hwmMb: number; rssMb: number }>((a, m) => (m ? { hwmMb: a.hwmMb + m.hwmMb, rssMb: a.rssMb + m.rssMb } : a), own);
}

/** Whole-machine CPU ticks: total and idle (summed over all cores). */
export function machineTicks(): { total: number; idle: number } {
  const cells = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  return { total: cells.reduce((a, b) => a + b, 0), idle: cells[3] + cells[4] };
}

/** CPU ticks a process's exited and reaped children used (cutime + cstime). */
function reapedChildTicks(pid: number): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return Number(fields[13]) + Number(fields[14]);
  } catch {
    return 0;
  }
}

/**
 * CPU ticks used by every `postgres` process, including backends that have exited meanwhile (the
 * postmaster reaps them, and their ticks become its children's ticks): without those, a busy
 * connection of someone else that closes during a run made PostgreSQL's share negative.
 */
export function postgresTicks(): number {
  let sum = 0;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === 'postgres') sum += processTicks(Number(entry)) + reapedChildTicks(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return sum;
}

export interface Child {
  process: ChildProcess;
  pid: number;
  /** Everything the child wrote so far (stdout and stderr), for error messages. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * The environment a benchmark runs `kiji serve` in: production mode, request lines off (`warn`),
 * the response cache as asked; `extra` adds or overrides settings.
 */
export function kijiServeEnv(databaseUrl: string, port: number, cached: boolean, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DATABASE_URL: databaseUrl,
    PORT: String(port),
    LOG_LEVEL: 'warn',
    NODE_ENV: 'production',
    KIJI_RESPONSE_CACHE: cached ? 'memory' : 'off',
    ...extra,
  };
}

/** Starts a node script; its output is kept (the last 64 KB), not shown. */
export function startNode(script: string, args: string[], env: NodeJS.ProcessEnv, nodeArgs: string[] = [], cwd = REPO_ROOT): Child {
  const child = spawn(process.execPath, [...nodeArgs, script, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const keep = (chunk: Buffer) => {
    out = (out + chunk.toString('utf8')).slice(-65536);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    process: child,
    pid: child.pid!,
    output: () => out,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      // A cluster primary's workers normally leave with it; any still there 5 s later are killed.
      const descendants = processTree(child.pid!).slice(1);
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
      const alive = (pid: number) => {
        try {
          return fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1][0] !== 'Z';
        } catch {
          return false;
        }
      };
      for (let waited = 0; waited < 5000 && descendants.some(alive); waited += 100) await new Promise((r) => setTimeout(r, 100));
      for (const pid of descendants.filter(alive)) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    },
  };
}

/** Polls `url` until it answers 200, the child exits, or `timeoutMs` passes. */
export async function waitForHttp(url: string, child: Child, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.process.exitCode !== null) throw new Error(`server exited (code ${child.process.exitCode}) before ${url} answered:\n${child.output()}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s:\n${child.output()}`);
}

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const net = await import('node:net');
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

export function fmt(n: number | null | undefined, digits = 0): string {
  if (n === null || n === undefined || Number.isNaN(n)) return '–';
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** A plain-text table with right-aligned numbers. */
export function table(header: string[], rows: string[][]): string {
  const width = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(width[i]) : c.padStart(width[i]))).join('  ');
  return [line(header), width.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
