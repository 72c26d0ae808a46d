/**
 * `npm run bench:webhooks -- [--db sqlite|postgres|both] [--edits 1000] [--posts 50] [--concurrency 8]
 *   [--poll-ms 1000] [--postgres URL]`
 *
 * A burst of `--edits` post edits (`updatePost`, `--concurrency` at a time, over `--posts` published
 * posts) through the one write path of a real `kiji serve` process on a fresh database, twice: with
 * no webhook endpoint, then with one endpoint subscribed to `post.updated` whose receiver is a real
 * HTTP server on loopback (in this process). Prints the edits per second of both bursts and, for the
 * second, each event's delivery latency, p50/p99/max: from its write (the event's `timestamp`,
 * Kiji's clock read inside the write's transaction, just before it commits: an upper bound of
 * commit-to-receiver) to the receiver having the verified request; and, beside it, from the
 * edit's mutation answer reaching this process to the receiver having it, matched by post id and
 * version (negative when the receiver was first). A warm-up burst runs first, unmeasured. The worker runs with the production settings but `--poll-ms`
 * (KIJI_WEBHOOK_POLL_MS; a write in the same process wakes it sooner). Numbers, not a timed test.
 */
process.env.TZ = 'UTC';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Webhook } from 'standardwebhooks';
import {
  adminUrlFor,
  createDatabase,
  dropDatabase,
  fmt,
  freePort,
  intOption,
  KIJI_MAIN,
  kijiServeEnv,
  parseOptions,
  REPO_ROOT,
  RESULTS_DIR,
  startNode,
  table,
  waitForHttp,
  withDatabase,
} from './common';

const DEFAULT_POSTGRES = 'postgres://postgres@127.0.0.1:5432/kiji_bench_webhooks';

interface Result {
  database: string;
  edits: number;
  editsPerSecondWithout: number;
  editsPerSecondWith: number;
  delivered: number;
  /** From the write (its event's timestamp, taken in its transaction) to the receiver having it. */
  latencyMs: { p50: number; p99: number; max: number };
  /** From the mutation's answer reaching the client to the receiver having it (negative: the receiver was first). */
  afterAnswerMs: { p50: number; p99: number };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function cli(args: string[], databaseUrl: string): string {
  const result = spawnSync(process.execPath, [KIJI_MAIN, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' },
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`kiji ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return result.stdout;
}

function keyFor(role: string, databaseUrl: string): string {
  return (JSON.parse(cli(['keys', 'create', '--role', role, '--name', `bench ${role}`, '--json'], databaseUrl)) as { key: string }).key;
}

async function graphql<T>(url: string, key: string, query: string, variables: object): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: { message: string }[] };
  if (body.errors) throw new Error(`${query.slice(0, 40)}…: ${body.errors[0].message}`);
  return body.data!;
}

interface PostRef {
  id: string;
  version: number;
}

/** `edits` edits, `concurrency` at a time; each post's edits go one after another (each names the version it read). */
async function burst(url: string, key: string, posts: PostRef[], edits: number, concurrency: number, answered: Map<string, number>): Promise<number> {
  let next = 0;
  const started = performance.now();
  const lanes = Array.from({ length: Math.min(concurrency, posts.length) }, async (_, lane) => {
    for (;;) {
      const n = next++;
      if (n >= edits) return;
      // Lane `lane` owns posts lane, lane + concurrency, …: no two lanes edit one post at once.
      const mine = posts.filter((_, i) => i % concurrency === lane);
      const post = mine[n % mine.length];
      const data = await graphql<{ updatePost: PostRef }>(
        url,
        key,
        'mutation E($id: ID!, $v: Int!, $t: String!) { updatePost(id: $id, expectedVersion: $v, input: { title: $t }) { id version } }',
        {
          id: post.id,
          v: post.version,
          t: `Edit ${n}`,
        },
      );
      post.version = data.updatePost.version;
      answered.set(`${post.id}@${post.version}`, performance.now());
    }
  });
  await Promise.all(lanes);
  return edits / ((performance.now() - started) / 1000);
}

async function run(database: 'sqlite' | 'postgres', options: { edits: number; posts: number; concurrency: number; pollMs: number; postgres: string }): Promise<Result> {
  let databaseUrl: string;
  let drop = async () => undefined as void;
  if (database === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiji-bench-webhooks-'));
    databaseUrl = `sqlite:${path.join(dir, 'bench.sqlite')}`;
    drop = async () => fs.rmSync(dir, { recursive: true, force: true });
  } else {
    const admin = adminUrlFor(options.postgres);
    const name = new URL(options.postgres).pathname.slice(1);
    await dropDatabase(admin, name);
    await createDatabase(admin, name);
    databaseUrl = withDatabase(options.postgres, name);
    drop = () => dropDatabase(admin, name);
  }
  const received = new Map<string, number>();
  const sinceWrite: number[] = [];
  let secret = '';
  let badSignatures = 0;
  const receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = performance.now();
      const body = Buffer.concat(chunks).toString('utf8');
      try {
        const payload = new Webhook(secret).verify(body, req.headers as Record<string, string>) as { timestamp: string; data: PostRef };
        received.set(`${payload.data.id}@${payload.data.version}`, at);
        // The event's time is the write's own, taken in its transaction just before commit (same machine, same clock).
        sinceWrite.push(Date.now() - Date.parse(payload.timestamp));
      } catch {
        badSignatures++;
      }
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const hookUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;
  let server: ReturnType<typeof startNode> | undefined;
  try {
    cli(['migrate'], databaseUrl);
    const editor = keyFor('editor', databaseUrl);
    const admin = keyFor('admin', databaseUrl);
    const port = await freePort();
    server = startNode(KIJI_MAIN, ['serve'], kijiServeEnv(databaseUrl, port, false, { KIJI_WEBHOOK_ALLOW_PRIVATE: 'on', KIJI_WEBHOOK_POLL_MS: String(options.pollMs) }));
    const base = `http://127.0.0.1:${port}`;
    await waitForHttp(`${base}/health/live`, server);
    const url = `${base}/graphql`;
    const posts: PostRef[] = [];
    for (let i = 0; i < options.posts; i++) {
      const created = await graphql<{ createPost: PostRef }>(
        url,
        editor,
        'mutation C($t: String!) { createPost(input: { title: $t, bodyMarkdown: "Body.", author: "bench" }) { id version } }',
        { t: `Post ${i}` },
      );
      const published = await graphql<{ publishPost: PostRef }>(url, editor, 'mutation P($id: ID!) { publishPost(id: $id) { id version } }', { id: created.createPost.id });
      posts.push({ ...published.publishPost });
    }
    // A first burst warms the server up (JIT, prepared statements, caches), so that neither measured one pays for it.
    await burst(url, editor, posts, Math.min(200, options.edits), options.concurrency, new Map());
    const without = await burst(url, editor, posts, options.edits, options.concurrency, new Map());
    const created = await graphql<{ createWebhookEndpoint: { secret: string } }>(
      url,
      admin,
      'mutation W($u: String!) { createWebhookEndpoint(url: $u, events: [POST_UPDATED]) { secret } }',
      { u: hookUrl },
    );
    secret = created.createWebhookEndpoint.secret;
    const answered = new Map<string, number>();
    const withEndpoint = await burst(url, editor, posts, options.edits, options.concurrency, answered);
    const deadline = Date.now() + 120_000;
    while (received.size < options.edits && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const latencies = [...sinceWrite].sort((a, b) => a - b);
    const afterAnswer = [...answered].filter(([k]) => received.has(k)).map(([k, t]) => received.get(k)! - t);
    afterAnswer.sort((a, b) => a - b);
    if (badSignatures) throw new Error(`${badSignatures} deliveries failed signature verification`);
    return {
      database,
      edits: options.edits,
      editsPerSecondWithout: without,
      editsPerSecondWith: withEndpoint,
      delivered: received.size,
      latencyMs: { p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: latencies.at(-1) ?? NaN },
      afterAnswerMs: { p50: percentile(afterAnswer, 50), p99: percentile(afterAnswer, 99) },
    };
  } finally {
    await server?.stop();
    await new Promise((resolve) => receiver.close(resolve));
    await drop();
  }
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2), { db: 'string', edits: 'string', posts: 'string', concurrency: 'string', 'poll-ms': 'string', postgres: 'string' });
  const db = String(options.db ?? 'both');
  const settings = {
    edits: intOption(options.edits, 1000, 'edits'),
    posts: intOption(options.posts, 50, 'posts'),
    concurrency: intOption(options.concurrency, 8, 'concurrency'),
    pollMs: intOption(options['poll-ms'], 1000, 'poll-ms'),
    postgres: String(options.postgres ?? DEFAULT_POSTGRES),
  };
  const results: Result[] = [];
  for (const database of ['sqlite', 'postgres'] as const) {
    if (db !== 'both' && db !== database) continue;
    results.push(await run(database, settings));
  }
  const rows = results.map((r) => [
    r.database,
    fmt(r.edits),
    fmt(r.editsPerSecondWithout, 1),
    fmt(r.editsPerSecondWith, 1),
    `${fmt(r.delivered)}/${fmt(r.edits)}`,
    fmt(r.latencyMs.p50),
    fmt(r.latencyMs.p99),
    fmt(r.latencyMs.max),
    `${fmt(r.afterAnswerMs.p50)} / ${fmt(r.afterAnswerMs.p99)}`,
  ]);
  process.stdout.write(
    `Webhook delivery under a burst of ${settings.edits} edits (concurrency ${settings.concurrency}, ${settings.posts} posts, poll ${settings.pollMs} ms)\n\n` +
      table(['database', 'edits', 'edits/s no endpoint', 'edits/s 1 endpoint', 'delivered', 'write→receiver p50 ms', 'p99 ms', 'max ms', 'answer→receiver p50/p99 ms'], rows) +
      '\n',
  );
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  fs.writeFileSync(path.join(RESULTS_DIR, 'webhooks.json'), JSON.stringify({ settings, results }, null, 2) + '\n');
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
