/**
 * `npm run fuzz`: sends generated malformed and random requests (see generate.ts) to a real Kiji
 * server it starts, and reports answers by status, 5xx, non-JSON bodies, INTERNAL_SERVER_ERROR
 * codes and leaks (all targets: 0), and the server's memory at the start and the end.
 *
 *   npm run fuzz -- [--requests 10000] [--seed 1] [--concurrency 8] [--time-limit 600]
 *                   [--database-url postgres://postgres@127.0.0.1:5432/postgres] [--production]
 *
 * SQLite by default (a temporary file); with --database-url, a throwaway PostgreSQL database is
 * created beside the one named and dropped afterwards. Exit 1 when any target is missed.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  adminUrlFor,
  createDatabase,
  dropDatabase,
  freePort,
  intOption,
  KIJI_MAIN,
  parseOptions,
  processMemory,
  REPO_ROOT,
  startNode,
  waitForHttp,
  withDatabase,
} from '../bench/common';
import { fuzzRequests, loadOperations } from './generate';
import { runFuzz } from './send';

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2), {
    requests: 'string',
    seed: 'string',
    concurrency: 'string',
    'time-limit': 'string',
    'database-url': 'string',
    production: 'boolean',
  });
  const count = intOption(options.requests, 10_000, 'requests');
  const seed = intOption(options.seed, 1, 'seed');
  const concurrency = intOption(options.concurrency, 8, 'concurrency');
  const timeLimitMs = intOption(options['time-limit'], 600, 'time-limit') * 1000;

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kiji-fuzz-'));
  const pgTarget = options['database-url'] as string | undefined;
  const pgName = `kiji_fuzz_${process.pid}`;
  const databaseUrl = pgTarget ? withDatabase(pgTarget, pgName) : `sqlite:${path.join(tmp, 'fuzz.sqlite')}`;
  if (pgTarget) await createDatabase(adminUrlFor(pgTarget), pgName);

  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' };
  delete env.NODE_ENV;
  if (options.production) env.NODE_ENV = 'production';
  let child: ReturnType<typeof startNode> | undefined;
  try {
    // `keys create` migrates the fresh database too; `start` then imports the sample content.
    const output = execFileSync(process.execPath, [KIJI_MAIN, 'keys', 'create', '--role', 'editor', '--name', 'fuzz', '--json'], { env, cwd: REPO_ROOT });
    const created = JSON.parse(output.toString()) as { key: string };
    const port = await freePort();
    const metricsPort = await freePort();
    child = startNode(KIJI_MAIN, ['start'], { ...env, PORT: String(port), KIJI_METRICS_PORT: String(metricsPort) });
    // Internal errors the server logged (their details are only in its log).
    const internal: string[] = [];
    let internalCount = 0;
    child.process.stderr!.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) {
        if (!line.includes('"internal error"')) continue;
        internalCount += 1;
        if (internal.length < 5) internal.push(line.slice(0, 600));
      }
    });
    await waitForHttp(`http://127.0.0.1:${port}/health`, child, 120_000);
    const url = `http://127.0.0.1:${port}/graphql`;

    const operations = loadOperations(REPO_ROOT);
    const requests = fuzzRequests(seed, operations, created.key);
    // RSS from /proc; the JavaScript heap in use from the server's own metrics (what a leak would grow).
    const rss: Array<[number, number, number]> = [];
    const sampleMemory = async (sent: number) => {
      const memory = processMemory(child!.pid);
      const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
      const heapMb = Number(/^nodejs_heap_size_used_bytes (\S+)/m.exec(metrics)?.[1]) / 2 ** 20;
      if (memory) rss.push([sent, memory.rssMb, heapMb]);
    };
    // A warm-up first, so that "start" is the memory of a server that has compiled and cached its usual work.
    const warmUp = Math.min(500, Math.floor(count / 10));
    const started = Date.now();
    const tally = await runFuzz(url, { requests, count: warmUp, concurrency, timeLimitMs, requestTimeoutMs: 30_000 });
    await sampleMemory(tally.sent);
    await runFuzz(
      url,
      {
        requests,
        count: count - warmUp,
        concurrency,
        timeLimitMs: timeLimitMs - (Date.now() - started),
        requestTimeoutMs: 30_000,
        progress: (sent) => {
          if ((warmUp + sent) % 1000 === 0) return sampleMemory(warmUp + sent);
        },
      },
      tally,
    );
    await sampleMemory(tally.sent);
    const seconds = (Date.now() - started) / 1000;

    const line = (label: string, value: string | number) => process.stdout.write(`${label.padEnd(28)} ${value}\n`);
    process.stdout.write(`\nKiji fuzz: ${pgTarget ? 'PostgreSQL' : 'SQLite'}, NODE_ENV=${env.NODE_ENV ?? '(unset)'}, seed ${seed}, concurrency ${concurrency}\n\n`);
    line('requests sent', `${tally.sent} in ${seconds.toFixed(1)} s`);
    line('by kind', JSON.stringify(tally.byKind));
    line('by status', JSON.stringify(tally.byStatus));
    line('5xx answers', tally.serverErrors);
    line('non-JSON answers', tally.nonJson);
    line('INTERNAL_SERVER_ERROR codes', tally.internalErrors);
    line('leaks in errors', tally.leaks);
    line('no answer (reset, timeout)', tally.noAnswer);
    line('not sendable by node:http', tally.unsendable);
    line('internal errors logged', internalCount);
    line('RSS/heap MB @ requests', rss.map(([sent, mb, heap]) => `${mb.toFixed(0)}/${heap.toFixed(0)}@${sent}`).join(' '));
    const [first, last] = [rss[0], rss[rss.length - 1]];
    line('RSS start → end', `${first?.[1].toFixed(0)} MB → ${last?.[1].toFixed(0)} MB (heap used ${first?.[2].toFixed(0)} → ${last?.[2].toFixed(0)} MB)`);
    // Heap in use saws up and down with garbage collection; its lowest point in each quarter of the run is the live set.
    const quarters = [0, 1, 2, 3].map((q) => rss.filter(([sent]) => sent > (q * tally.sent) / 4 && sent <= ((q + 1) * tally.sent) / 4));
    line('lowest heap used by quarter', quarters.map((samples) => (samples.length ? `${Math.min(...samples.map((x) => x[2])).toFixed(0)} MB` : '–')).join(', '));
    for (const example of tally.examples) process.stdout.write(`  ! ${example}\n`);
    for (const logged of internal) process.stdout.write(`  log: ${logged}\n`);
    const missed = tally.serverErrors + tally.nonJson + tally.internalErrors + tally.leaks + tally.noAnswer;
    return missed === 0 ? 0 : 1;
  } finally {
    await child?.stop();
    if (pgTarget) await dropDatabase(adminUrlFor(pgTarget), pgName);
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`fuzz: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(2);
  },
);
