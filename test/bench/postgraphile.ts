/**
 * PostGraphile 5 beside Kiji, over Kiji's own PostgreSQL tables: its spelling of each case, the
 * SQL functions it needs for the lists it cannot order from the tables alone, and starting it
 * (one process, or N `node:cluster` workers the `../shared/peers/cluster.mjs` way).
 *
 * PostGraphile (Amber preset) orders and filters only on indexed columns of the table a list comes
 * from. A tag's or author's newest posts are ordered by a column of `posts`, not of the link table,
 * and related articles by the unindexed `score`; its documented way to serve such a list is a
 * STABLE SQL function taking the row ("computed column"). Those live in their own schema,
 * `kiji_pg5`, created (or replaced) in the archive before PostGraphile starts, so Kiji's schema is
 * untouched. The planner inlines them into PostGraphile's one statement.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { Child, freePort, REPO_ROOT, startNode } from './common';
import type { CaseName } from './queries';

/** The schema that holds PostGraphile's computed columns over Kiji's tables. */
export const PGL_SCHEMA = 'kiji_pg5';

const VISIBLE = `p.status = 'published' AND p."deletedAt" IS NULL AND p."publishedAt" <= (now() AT TIME ZONE 'UTC')`;

/** A term's visible posts, newest first (what Kiji's tag and author pages list and count). */
function newestPostsFunction(terms: 'tags' | 'authors', links: string, column: string): string {
  return `CREATE OR REPLACE FUNCTION ${PGL_SCHEMA}.${terms}_newest_posts(t public.${terms}) RETURNS SETOF public.posts
  LANGUAGE sql STABLE AS $$
    SELECT p.* FROM public.${links} l JOIN public.posts p ON p.id = l."postId"
     WHERE l."${column}" = t.id AND ${VISIBLE}
     ORDER BY p."publishedAt" DESC, p.id DESC $$`;
}

const FUNCTIONS = [
  `CREATE SCHEMA IF NOT EXISTS ${PGL_SCHEMA}`,
  newestPostsFunction('tags', 'post_tags', 'tagId'),
  newestPostsFunction('authors', 'post_authors', 'authorId'),
  // Related articles by score, visible ones only, as Kiji's `related` lists them.
  `CREATE OR REPLACE FUNCTION ${PGL_SCHEMA}.posts_related_by_score(q public.posts) RETURNS SETOF public.related_posts
  LANGUAGE sql STABLE AS $$
    SELECT r.* FROM public.related_posts r JOIN public.posts p ON p.id = r."relatedId"
     WHERE r."postId" = q.id AND ${VISIBLE}
     ORDER BY r.score DESC, p.id $$`,
];

/** Creates (or replaces) PostGraphile's functions in the archive at `databaseUrl`. */
export async function installPostGraphileFunctions(databaseUrl: string): Promise<void> {
  const c = new Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5000 });
  await c.connect();
  try {
    for (const sql of FUNCTIONS) await c.query(sql);
  } finally {
    await c.end();
  }
}

const PGL_POST = `slug title excerpt publishedAt postAuthors(first: 1) { nodes { author { name slug } } } postTags { nodes { tag { name slug } } }`;

/**
 * PostGraphile 5's spelling of each case (simplify-inflection naming). The feed filters on the
 * indexed `status` only (not deletedAt or publishedAt <= now; the synthetic archive has neither
 * deleted nor scheduled posts, so the answer is the same). Tags come in primary-key order, not by
 * `position` (unindexed), so the check compares them as sets. Kiji's slugs are unique indexes,
 * not constraints, so there is no `postBySlug`: a one-row list with `condition: { slug }` stands in.
 * It has no full-text search over Kiji's index, so no search.
 */
export const PGL_QUERIES: Partial<Record<CaseName, string>> = {
  feed: `query Feed { posts(first: 20, orderBy: PUBLISHED_AT_DESC, condition: { status: "published" }) { nodes { ${PGL_POST} } } }`,
  article: `query Article($slug: String!) { posts(first: 1, condition: { slug: $slug, status: "published" }) { nodes { slug title bodyHtml publishedAt readingTimeMinutes postAuthors(first: 1) { nodes { author { name slug bio } } } postTags { nodes { tag { name slug } } } relatedByScore(first: 5) { nodes { score related { slug title } } } } } }`,
  tag: `query TagPage($slug: String!) { tags(first: 1, condition: { slug: $slug }) { nodes { name slug newestPosts(first: 20) { totalCount nodes { ${PGL_POST} } } } } }`,
  author: `query AuthorPage($slug: String!) { authors(first: 1, condition: { slug: $slug }) { nodes { name slug bio newestPosts(first: 20) { totalCount nodes { ${PGL_POST} } } } } }`,
};

/**
 * A server script written into the PostGraphile folder: its own preset with Kiji's schema and
 * `kiji_pg5` exposed (the folder's graphile.config.mjs exposes `public` only).
 */
const SERVER_FILE = 'kiji-bench-server.mjs';
const SERVER_SOURCE = `// Written by Kiji's test/bench/postgraphile.ts: PostGraphile 5 over Kiji's tables plus ${PGL_SCHEMA}.
import { createServer } from "node:http";
import { postgraphile } from "postgraphile";
import { grafserv } from "postgraphile/grafserv/node";
import { makePgService } from "postgraphile/adaptors/pg";
import base from "./graphile.config.mjs";

const preset = {
  ...base,
  pgServices: [
    makePgService({
      connectionString: process.env.DATABASE_URL,
      schemas: ["public", "${PGL_SCHEMA}"],
      poolConfig: { max: Number(process.env.POOL_MAX ?? 10) },
    }),
  ],
};
const serv = postgraphile(preset).createServ(grafserv);
const server = createServer();
server.keepAliveTimeout = 65000;
serv.addTo(server).catch((e) => { console.error(e); process.exit(1); });
server.listen(Number(process.env.PORT), "127.0.0.1", () => console.log("postgraphile v5 (kiji bench) pid " + process.pid));
`;

/** Where `../shared/peers/cluster.mjs` is (N workers sharing one port, node:cluster round-robin). */
export const PEERS_CLUSTER = path.resolve(REPO_ROOT, '..', 'shared', 'peers', 'cluster.mjs');

/** A node script as one process, or as `workers` node:cluster workers under the peers' cluster.mjs. */
export function startClustered(script: string, workers: number, env: NodeJS.ProcessEnv, nodeArgs: string[], cwd?: string): Child {
  if (workers === 1) return startNode(script, [], env, nodeArgs, cwd);
  if (!fs.existsSync(PEERS_CLUSTER)) throw new Error(`${PEERS_CLUSTER} is missing: ${workers} workers of a peer need ../shared/peers/cluster.mjs`);
  return startNode(PEERS_CLUSTER, [script], { ...env, WORKERS: String(workers) }, nodeArgs, cwd);
}

/** Starts PostGraphile 5 from an installed copy of ../shared/peers/pg5 (see the README); resolves once it answers. */
export async function startPostGraphile(dir: string, databaseUrl: string, workers: number): Promise<{ url: string; child: Child }> {
  if (!fs.existsSync(path.join(dir, 'node_modules', 'postgraphile')))
    throw new Error(`${dir} has no node_modules/postgraphile: copy ../shared/peers/pg5 there and npm install`);
  await installPostGraphileFunctions(databaseUrl);
  fs.writeFileSync(path.join(dir, SERVER_FILE), SERVER_SOURCE);
  const port = await freePort();
  const env = { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), NODE_ENV: 'production' };
  // PostGraphile 5.1.5 needs Promise.withResolvers, which Node 20 lacks; cluster workers inherit --import.
  const child = startClustered(path.join(dir, SERVER_FILE), workers, env, ['--import', path.join(dir, 'polyfill-node20.mjs')], dir);
  const url = `http://127.0.0.1:${port}/graphql`;
  // grafserv has no /health: wait until a query answers (each worker builds its schema; give them time).
  const deadline = Date.now() + 90_000;
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
  return { url, child };
}
