/**
 * `npm run bench:hostile -- [--db sqlite|postgres|both] [--posts 10000] [--duration 30]
 *   [--connections 32] [--attackers 4] [--no-build]`
 *
 * What hostile clients cost everyone else. Kiji runs as a real server (`kiji serve`, uncached, as
 * deployed with NODE_ENV=production) on a bench:data archive. Normal clients (autocannon, from
 * 127.0.0.1, with a reader key) read the feed for `--duration` seconds while nobody attacks (quiet), then again while
 * `--attackers` clients (from 127.0.0.2, .3, …: other addresses, as attackers are) send the shapes
 * of attacks.ts in a loop, plus one slow body each. Prints the normal clients' latency in both runs
 * side by side, what the attacks got back, and the server's peak memory; writes the same as JSON.
 * Targets: under attack, p99 at most 3× quiet p99, no normal request over 2 s, peak under 400 MB.
 */
process.env.TZ = 'UTC';
import autocannon from 'autocannon';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { GraphQLBody } from '../support/raw-http';
import { archiveFor, Db } from './archives';
import { ATTACKS } from './attacks';
import { fmt, freePort, intOption, KIJI_MAIN, kijiServeEnv, median, parseOptions, processMemory, REPO_ROOT, RESULTS_DIR, startNode, table, waitForHttp } from './common';
import { DEFAULT_POSTGRES, DEFAULT_SQLITE } from './data';
import { QUERIES } from './queries';

interface AttackTally {
  sent: number;
  statuses: Map<string, number>;
  ms: number[];
}

/** One raw request from a given local address; resolves with status and code (or the error). */
function send(url: URL, localAddress: string, body: string | Buffer, contentType = 'application/json'): Promise<string> {
  return new Promise((resolve) => {
    const req = http.request(
      url,
      { method: 'POST', localAddress, headers: { 'content-type': contentType, 'content-length': Buffer.byteLength(body) }, timeout: 15_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          let code = '';
          try {
            const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as GraphQLBody | GraphQLBody[];
            const errorCode = (Array.isArray(parsed) ? parsed[0] : parsed)?.errors?.[0]?.extensions?.code;
            code = typeof errorCode === 'string' ? errorCode : 'data';
          } catch {
            code = 'NOT JSON';
          }
          resolve(`${res.statusCode} ${code}`);
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e: NodeJS.ErrnoException) => resolve(`error ${e.code ?? e.message}`));
    req.end(body);
  });
}

/** A client that sends its body one byte every 500 ms: how long until the server cuts it off. */
function slowBody(url: URL, localAddress: string, stopAt: number): Promise<string> {
  return new Promise((resolve) => {
    const started = Date.now();
    const req = http.request(url, { method: 'POST', localAddress, headers: { 'content-type': 'application/json', 'content-length': 100_000 } });
    const timer = setInterval(() => {
      if (Date.now() > stopAt) {
        clearInterval(timer);
        req.destroy();
        resolve(`still open after ${fmt((Date.now() - started) / 1000)} s`);
      } else req.write('{');
    }, 500);
    const done = (how: string) => {
      clearInterval(timer);
      resolve(`${how} after ${fmt((Date.now() - started) / 1000, 1)} s`);
    };
    req.on('response', (res) => {
      res.resume();
      done(`answered ${res.statusCode}`);
    });
    req.on('error', () => done('closed'));
    req.on('close', () => done('closed'));
  });
}

async function attack(url: URL, localAddress: string, until: number, tally: Map<string, AttackTally>): Promise<string> {
  // Given longer than the run, so that the server's receive timeout (30 s by default) can show.
  const slow = slowBody(url, localAddress, until + 60_000);
  for (let i = 0; Date.now() < until; i++) {
    const shape = ATTACKS[i % ATTACKS.length];
    const t0 = Date.now();
    const outcome = await send(url, localAddress, shape.body, shape.contentType);
    const entry: AttackTally = tally.get(shape.name) ?? { sent: 0, statuses: new Map(), ms: [] };
    entry.sent++;
    entry.ms.push(Date.now() - t0);
    entry.statuses.set(outcome, (entry.statuses.get(outcome) ?? 0) + 1);
    tally.set(shape.name, entry);
  }
  return slow;
}

function normalLoad(url: string, connections: number, duration: number, key: string) {
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${key}` };
  return autocannon({ url, connections, duration, method: 'POST', headers, body: JSON.stringify({ query: QUERIES.feed }) });
}

/**
 * The normal clients stand for many readers behind one address (an app's backend, a CDN): they
 * read with a reader key whose budget they cannot exhaust, while the attackers are anonymous
 * addresses with the default budget, as on the public internet.
 */
function readerKey(databaseUrl: string): string {
  const out = execFileSync(process.execPath, [KIJI_MAIN, 'keys', 'create', '--role', 'reader', '--name', 'bench:hostile normal clients', '--json'], {
    env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'error' },
    encoding: 'utf8',
  });
  return (JSON.parse(out) as { key: string }).key;
}

type Latency = { rps: number; p50: number; p99: number; max: number; non2xx: number; errors: number; timeouts: number };
const latencyOf = (r: autocannon.Result): Latency => ({
  rps: r.requests.average,
  p50: r.latency.p50,
  p99: r.latency.p99,
  max: r.latency.max,
  non2xx: r.non2xx,
  errors: r.errors,
  timeouts: r.timeouts,
});

async function measure(db: Db, databaseUrl: string, o: { duration: number; connections: number; attackers: number }, log: (l: string) => void) {
  const port = await freePort();
  const key = readerKey(databaseUrl);
  const child = startNode(KIJI_MAIN, ['serve'], kijiServeEnv(databaseUrl, port, false, { KIJI_RATE_LIMIT_READER: '1000000000' }));
  try {
    await waitForHttp(`http://127.0.0.1:${port}/health`, child, 120_000);
    const url = `http://127.0.0.1:${port}/graphql`;
    await normalLoad(url, o.connections, 5, key);
    const quiet = latencyOf(await normalLoad(url, o.connections, o.duration, key));
    const quietPeak = processMemory(child.pid)?.hwmMb ?? null;
    const tally = new Map<string, AttackTally>();
    const until = Date.now() + o.duration * 1000;
    const attackers = Array.from({ length: o.attackers }, (_, i) => attack(new URL(url), `127.0.0.${i + 2}`, until, tally));
    const [underAttack, slow] = await Promise.all([normalLoad(url, o.connections, o.duration, key), Promise.all(attackers)]);
    const attacked = latencyOf(underAttack);
    const peak = processMemory(child.pid)?.hwmMb ?? null;
    const row = (name: string, v: Latency) => [name, fmt(v.rps), fmt(v.p50), fmt(v.p99), fmt(v.max), fmt(v.non2xx), fmt(v.errors), fmt(v.timeouts)];
    log(
      `\n${db}: normal clients (${o.connections} connections reading the feed, ${o.duration} s each), server peak memory ${fmt(quietPeak)} MB quiet, ${fmt(peak)} MB after the attack`,
    );
    log(table(['run', 'req/s', 'p50 ms', 'p99 ms', 'max ms', 'non-2xx', 'errors', 'timeouts'], [row('quiet', quiet), row('under attack', attacked)]));
    log(`p99 under attack / quiet: ${fmt(attacked.p99 / Math.max(1, quiet.p99), 2)}×; slowest normal request ${fmt(attacked.max)} ms`);
    log(`\n${db}: what the ${o.attackers} attackers got (${[...tally.values()].reduce((a, t) => a + t.sent, 0)} requests)`);
    log(
      table(
        ['shape', 'sent', 'median ms', 'max ms', 'answers'],
        [...tally].map(([name, t]) => [name, fmt(t.sent), fmt(median(t.ms)), fmt(Math.max(...t.ms)), [...t.statuses].map(([s, n]) => `${s} ×${n}`).join(', ')]),
      ),
    );
    log(`slow bodies: ${slow.join('; ')}`);
    return {
      db,
      quiet,
      underAttack: attacked,
      quietPeakMb: quietPeak,
      peakMb: peak,
      attacks: Object.fromEntries(
        [...tally].map(([k, t]) => [k, { sent: t.sent, medianMs: median(t.ms), maxMs: Math.max(...t.ms), answers: Object.fromEntries(t.statuses) }]),
      ),
      slow,
    };
  } finally {
    await child.stop();
  }
}

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2), { db: 'string', posts: 'string', duration: 'string', connections: 'string', attackers: 'string', 'no-build': 'boolean' });
  const dbChoice = (o.db as string) ?? 'both';
  if (!['sqlite', 'postgres', 'both'].includes(dbChoice)) throw new Error('--db must be sqlite, postgres or both');
  const dbs: Db[] = dbChoice === 'both' ? ['sqlite', 'postgres'] : [dbChoice as Db];
  const posts = intOption(o.posts, 10_000, 'posts');
  const run = { duration: intOption(o.duration, 30, 'duration'), connections: intOption(o.connections, 32, 'connections'), attackers: intOption(o.attackers, 4, 'attackers') };
  const log = (line: string) => process.stdout.write(line + '\n');
  if (!fs.existsSync(KIJI_MAIN)) throw new Error(`${KIJI_MAIN} is missing: run npm run build`);
  log(`kiji bench:hostile: ${dbs.join(' + ')}, ${fmt(posts)} posts, ${run.connections} normal connections, ${run.attackers} attackers, ${run.duration} s per run`);
  const results = [];
  for (const db of dbs) {
    const main = db === 'sqlite' ? `sqlite:${DEFAULT_SQLITE}` : (process.env.BENCH_POSTGRES_URL ?? DEFAULT_POSTGRES);
    const url = o['no-build'] ? main : await archiveFor(db, posts, main, log);
    results.push(await measure(db, url, run, log));
  }
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const out = path.join(RESULTS_DIR, `hostile-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(out, JSON.stringify({ node: process.version, posts, ...run, results }, null, 2));
  log(`\nwritten to ${path.relative(REPO_ROOT, out)}`);
}

main().catch((error) => {
  process.stderr.write(`bench:hostile: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
