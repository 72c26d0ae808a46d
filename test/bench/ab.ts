/**
 * `npm run bench:ab -- --before DIR [--after DIR] [--postgres URL | --sqlite PATH] [--cases feed,article]
 *   [--rounds 3] [--duration 10] [--rate 150] [--connections 32] [--log-level warn] [--cached] [--cpu-only]
 *   [--accept-encoding 'gzip, br'] [--before-node-args '…'] [--after-node-args '…']`
 *
 * Compares this checkout with another one (DIR: a checkout of an earlier commit, built, with its
 * node_modules) on one archive, where sequential runs on a shared machine drift by ±15%:
 * - CPU per request: both servers run at once, each driven at the same fixed rate, and their CPU
 *   time (from /proc) is divided by the requests they answered; both see the same machine noise.
 * - Throughput: both driven flat out, one after the other, in alternating rounds (A B B A …).
 * Medians of each; the ratio is after / before. Both servers run with the settings `npm run bench`
 * gives Kiji (uncached unless --cached). `--accept-encoding` sends that header, as browsers do, to
 * measure what compression costs (a checkout from before compression answers uncompressed).
 */
process.env.TZ = 'UTC';
import autocannon from 'autocannon';
import path from 'node:path';
import { Child, fmt, freePort, intOption, KIJI_MAIN, kijiServeEnv, median, parseOptions, processTicks, startNode, table, waitForHttp } from './common';
import { DEFAULT_POSTGRES } from './data';
import { CaseName, QUERIES } from './queries';

interface Side {
  label: string;
  url: string;
  child: Child;
}

async function startSide(label: string, main: string, databaseUrl: string, cached: boolean, logLevel: string, nodeArgs: string[] = []): Promise<Side> {
  const port = await freePort();
  const child = startNode(
    main,
    ['serve'],
    kijiServeEnv(databaseUrl, port, cached, { LOG_LEVEL: logLevel, KIJI_RATE_LIMIT_ANONYMOUS: '1000000000' }),
    nodeArgs,
    path.dirname(path.dirname(path.dirname(main))),
  );
  await waitForHttp(`http://127.0.0.1:${port}/health`, child, 120_000);
  return { label, url: `http://127.0.0.1:${port}/graphql`, child };
}

/** What each case's requests rotate through (slugs of posts, tags or authors), read through the server itself. */
const LISTS: Partial<Record<CaseName, string>> = { article: 'posts', tag: 'tags', author: 'authors' };

async function slugsFor(side: Side, kind: CaseName): Promise<string[]> {
  const list = LISTS[kind];
  if (!list) return [];
  const res = await fetch(side.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: `{ ${list}(first: 100) { edges { node { slug } } } }` }),
  });
  const body = (await res.json()) as { data: Record<string, { edges: { node: { slug: string } }[] }> };
  return body.data[list].edges.map((e) => e.node.slug);
}

function requestsFor(kind: CaseName, slugs: string[], acceptEncoding: string | undefined) {
  return Array.from({ length: Math.max(1, slugs.length) }, (_, i) => ({
    method: 'POST' as const,
    headers: { 'content-type': 'application/json', ...(acceptEncoding ? { 'accept-encoding': acceptEncoding } : {}) },
    body: JSON.stringify({ query: QUERIES[kind], ...(slugs.length ? { variables: { slug: slugs[i] } } : {}) }),
  }));
}

let acceptEncoding: string | undefined;

async function drive(side: Side, kind: CaseName, slugs: string[], seconds: number, connections: number, rate?: number) {
  const before = processTicks(side.child.pid);
  const result = await autocannon({
    url: side.url,
    connections: rate ? 8 : connections,
    duration: seconds,
    ...(rate ? { overallRate: rate } : {}),
    requests: requestsFor(kind, slugs, acceptEncoding),
  });
  const ticks = processTicks(side.child.pid) - before;
  const answered = result.requests.total;
  return { rps: answered / seconds, cpuMsPerRequest: answered ? (ticks * 10) / answered : NaN, errors: result.errors + result.non2xx };
}

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2), {
    before: 'string',
    after: 'string',
    postgres: 'string',
    sqlite: 'string',
    cases: 'string',
    rounds: 'string',
    duration: 'string',
    rate: 'string',
    connections: 'string',
    cached: 'boolean',
    'log-level': 'string',
    'cpu-only': 'boolean',
    'accept-encoding': 'string',
    'before-node-args': 'string',
    'after-node-args': 'string',
  });
  const nodeArgs = (option: unknown) => (typeof option === 'string' ? option.split(' ').filter(Boolean) : []);
  acceptEncoding = o['accept-encoding'] as string | undefined;
  if (typeof o.before !== 'string') throw new Error('--before DIR: a built checkout of the commit to compare with');
  const databaseUrl = typeof o.sqlite === 'string' ? `sqlite:${path.resolve(o.sqlite)}` : ((o.postgres as string) ?? DEFAULT_POSTGRES);
  const cases = ((o.cases as string) ?? 'feed,article').split(',') as CaseName[];
  const rounds = intOption(o.rounds, 3, '--rounds');
  const seconds = intOption(o.duration, 10, '--duration');
  const rate = intOption(o.rate, 150, '--rate');
  const connections = intOption(o.connections, 32, '--connections');
  const cached = o.cached === true;
  // `npm run bench` runs Kiji at `warn`; `info` adds a log line per request.
  const logLevel = (o['log-level'] as string) ?? 'warn';
  const beforeMain = path.join(path.resolve(o.before), 'dist', 'src', 'main.js');

  const before = await startSide('before', beforeMain, databaseUrl, cached, logLevel, nodeArgs(o['before-node-args']));
  const afterMain = typeof o.after === 'string' ? path.join(path.resolve(o.after), 'dist', 'src', 'main.js') : KIJI_MAIN;
  const after = await startSide('after', afterMain, databaseUrl, cached, logLevel, nodeArgs(o['after-node-args']));
  const rows: string[][] = [];
  try {
    for (const kind of cases) {
      const slugs = await slugsFor(after, kind);
      // Both warmed up first: the first seconds of a process are spent compiling, not serving.
      await Promise.all([drive(before, kind, slugs, 5, connections), drive(after, kind, slugs, 5, connections)]);
      const cpu: Record<'before' | 'after', number[]> = { before: [], after: [] };
      const rps: Record<'before' | 'after', number[]> = { before: [], after: [] };
      for (let round = 0; round < rounds; round += 1) {
        const [b, a] = await Promise.all([drive(before, kind, slugs, seconds, connections, rate), drive(after, kind, slugs, seconds, connections, rate)]);
        cpu.before.push(b.cpuMsPerRequest);
        cpu.after.push(a.cpuMsPerRequest);
        const order = round % 2 === 0 ? [before, after] : [after, before];
        for (const side of o['cpu-only'] ? [] : order) {
          const r = await drive(side, kind, slugs, seconds, connections);
          if (r.errors) process.stdout.write(`  ${side.label} ${kind}: ${r.errors} errors\n`);
          rps[side.label as 'before' | 'after'].push(r.rps);
        }
        process.stdout.write(
          `  ${kind} round ${round + 1}: cpu ${fmt(b.cpuMsPerRequest, 3)} → ${fmt(a.cpuMsPerRequest, 3)} ms/req, ` +
            `flat out ${fmt(rps.before[round])} → ${fmt(rps.after[round])} req/s\n`,
        );
      }
      const [cb, ca, rb, ra] = [median(cpu.before), median(cpu.after), median(rps.before), median(rps.after)];
      rows.push([kind, fmt(cb, 3), fmt(ca, 3), fmt(ca / cb, 3), fmt(rb), fmt(ra), fmt(ra / rb, 3)]);
      process.stdout.write(`  ${kind}: CPU per request after/before ${fmt(ca / cb, 3)}\n`);
    }
  } finally {
    await Promise.all([before.child.stop(), after.child.stop()]);
  }
  process.stdout.write(
    `\n${cached ? 'cached' : 'uncached'}, LOG_LEVEL=${logLevel}, Accept-Encoding: ${acceptEncoding ?? 'none'}, ${databaseUrl.replace(/\/\/[^@]*@/, '//')}, medians of ${rounds} rounds\n` +
      table(['case', 'CPU ms/req before', 'after', 'ratio', 'req/s before', 'after', 'ratio'], rows) +
      '\n',
  );
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
