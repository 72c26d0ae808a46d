/**
 * `npm run bench:feeds -- [--db sqlite|postgres] [--posts 10000] [--duration 10] [--connections 16]
 *   [--rounds 3] [--sqlite PATH] [--postgres URL]`
 *
 * Feed requests per second, uncached (KIJI_RESPONSE_CACHE=off: every request reads the posts and
 * writes the document) and cached (memory: answered from the response cache), each beside a
 * baseline measured in the same run on the same server: the GraphQL query that reads what a feed
 * shows (20 newest posts with bodies, authors, tags and categories). Kiji runs as a real process
 * (`kiji serve`) on a bench:data archive (built when missing), driven by autocannon. Each case runs
 * `--rounds` times (in alternating order) and the median is reported. Prints a table and writes
 * the same as JSON under bench-results/. Numbers, not a timed test.
 */
process.env.TZ = 'UTC';
import autocannon from 'autocannon';
import fs from 'node:fs';
import path from 'node:path';
import { archiveFor, Db } from './archives';
import { fmt, freePort, intOption, KIJI_MAIN, kijiServeEnv, median, parseOptions, RESULTS_DIR, startNode, table, waitForHttp } from './common';
import { DEFAULT_POSTGRES, DEFAULT_SQLITE } from './data';

/** What a feed holds, asked over GraphQL: the baseline each feed figure is set beside. */
const GRAPHQL_FEED = JSON.stringify({
  query:
    'query FeedBaseline { posts(first: 20) { edges { node { slug url title excerpt bodyHtml publishedAt updatedAt language authors { name slug } tags { name slug } categories { name slug } } } } }',
});

interface Case {
  name: string;
  /** Path and method; the feed cases are GETs. */
  path: string;
  post?: string;
}

/** The newest post's first tag and its author: terms whose feeds certainly hold posts. */
async function termsWithPosts(base: string): Promise<{ tag: string; author: string }> {
  const response = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ posts(first: 1) { edges { node { author { slug } tags { slug } } } } }' }),
  });
  const node = ((await response.json()) as { data: { posts: { edges: { node: { author: { slug: string }; tags: { slug: string }[] } }[] } } }).data.posts.edges[0].node;
  return { tag: node.tags[0].slug, author: node.author.slug };
}

async function drive(url: string, post: string | undefined, connections: number, duration: number): Promise<{ rps: number; errors: number; p99: number }> {
  const result = await autocannon({
    url,
    connections,
    duration,
    method: post ? 'POST' : 'GET',
    headers: post ? { 'content-type': 'application/json' } : {},
    body: post,
  });
  return { rps: result.requests.average, errors: result.errors + result.non2xx, p99: result.latency.p99 };
}

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2), {
    db: 'string',
    posts: 'string',
    duration: 'string',
    connections: 'string',
    rounds: 'string',
    sqlite: 'string',
    postgres: 'string',
  });
  const db = (opts.db ?? 'sqlite') as Db;
  if (db !== 'sqlite' && db !== 'postgres') throw new Error('--db must be sqlite or postgres');
  const posts = intOption(opts.posts, 10_000, 'posts');
  const duration = intOption(opts.duration, 10, 'duration');
  const connections = intOption(opts.connections, 16, 'connections');
  const rounds = intOption(opts.rounds, 3, 'rounds');
  const main = db === 'sqlite' ? `sqlite:${(opts.sqlite as string | undefined) ?? DEFAULT_SQLITE}` : ((opts.postgres as string | undefined) ?? DEFAULT_POSTGRES);
  const log = (line: string) => console.log(line);
  const databaseUrl = await archiveFor(db, posts, main, log);
  log(`feeds on ${db}, ${fmt(posts)} posts: ${rounds} round(s) of ${duration} s per case, ${connections} connections`);

  const rows: string[][] = [];
  const results: Record<string, unknown>[] = [];
  for (const cached of [false, true]) {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const server = startNode(KIJI_MAIN, ['serve'], kijiServeEnv(databaseUrl, port, cached, { KIJI_SITE_URL: 'https://example.com', KIJI_RATE_LIMIT_ANONYMOUS: '0' }));
    try {
      await waitForHttp(`${base}/health`, server);
      const { tag, author } = await termsWithPosts(base);
      const cases: Case[] = [
        { name: 'GraphQL feed query (baseline)', path: '/graphql', post: GRAPHQL_FEED },
        { name: 'RSS /feeds/posts.rss', path: '/feeds/posts.rss' },
        { name: 'Atom /feeds/posts.atom', path: '/feeds/posts.atom' },
        { name: 'JSON Feed /feeds/posts.json', path: '/feeds/posts.json' },
        { name: 'RSS of a tag', path: `/feeds/tags/${encodeURIComponent(tag)}.rss` },
        { name: 'Atom of an author', path: `/feeds/authors/${encodeURIComponent(author)}.atom` },
      ];
      const measured = new Map<string, { rps: number[]; errors: number; p99: number[] }>(cases.map((c) => [c.name, { rps: [], errors: 0, p99: [] }]));
      // A short warm-up of each case (JIT, statement caches, the response cache's first entry).
      for (const c of cases) await drive(base + c.path, c.post, connections, 1);
      for (let round = 0; round < rounds; round++) {
        for (const c of round % 2 === 0 ? cases : [...cases].reverse()) {
          const r = await drive(base + c.path, c.post, connections, duration);
          const m = measured.get(c.name)!;
          m.rps.push(r.rps);
          m.p99.push(r.p99);
          m.errors += r.errors;
        }
      }
      const baseline = median(measured.get(cases[0].name)!.rps);
      for (const c of cases) {
        const m = measured.get(c.name)!;
        const rps = median(m.rps);
        rows.push([cached ? 'cached' : 'uncached', c.name, fmt(rps), fmt(median(m.p99)), `${fmt(rps / baseline, 2)}×`, fmt(m.errors)]);
        results.push({ cached, case: c.name, path: c.path, requestsPerSecond: rps, rounds: m.rps, p99Ms: median(m.p99), vsBaseline: rps / baseline, errors: m.errors });
      }
    } finally {
      await server.stop();
    }
  }
  log('');
  log(table(['cache', 'case', 'req/s (median)', 'p99 ms', 'vs baseline', 'errors'], rows));
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const out = path.join(RESULTS_DIR, `feeds-${db}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(out, JSON.stringify({ db, posts, duration, connections, rounds, results }, null, 2));
  log(`\nwritten to ${path.relative(process.cwd(), out)}`);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
