/**
 * The synthetic archives the benchmarks run on: whether one is complete, and building one of a
 * given size with bench:data when it is missing. Shared by `npm run bench` and `npm run bench:hostile`.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { adminUrlFor, databaseExists, databaseName, fmt, REPO_ROOT, RESULTS_DIR, startNode, withDatabase } from './common';

export type Db = 'sqlite' | 'postgres';

/** Is there a complete archive there (posts and related lists), and how many posts? */
export async function archiveSize(db: Db, url: string): Promise<number | null> {
  try {
    if (db === 'sqlite') {
      const file = url.slice('sqlite:'.length);
      if (!fs.existsSync(file)) return null;
      const d = new Database(file, { readonly: true, fileMustExist: true });
      try {
        const done = d.prepare('SELECT COUNT(*) AS n FROM related_posts').get() as { n: number };
        if (!done.n) return null;
        return (d.prepare('SELECT COUNT(*) AS n FROM posts').get() as { n: number }).n;
      } finally {
        d.close();
      }
    }
    if (!(await databaseExists(adminUrlFor(url), databaseName(url)))) return null;
    const c = new Client({ connectionString: url, connectionTimeoutMillis: 5000 });
    await c.connect();
    try {
      const done = Number((await c.query<{ n: string }>('SELECT COUNT(*) AS n FROM related_posts')).rows[0].n);
      if (!done) return null;
      return Number((await c.query<{ n: string }>('SELECT COUNT(*) AS n FROM posts')).rows[0].n);
    } finally {
      await c.end();
    }
  } catch {
    return null;
  }
}

export async function ensureArchive(db: Db, url: string, posts: number, log: (l: string) => void): Promise<void> {
  const size = await archiveSize(db, url);
  if (size === posts) return;
  log(`  building a ${fmt(posts)}-post archive in ${db === 'sqlite' ? path.relative(REPO_ROOT, url.slice(7)) : databaseName(url)} (npm run bench:data)…`);
  const child = startNode(path.join(__dirname, 'data.js'), ['--posts', String(posts), '--db', db, `--${db}`, db === 'sqlite' ? url.slice(7) : url], process.env);
  const code = await new Promise<number | null>((resolve) => child.process.once('exit', (c) => resolve(c)));
  if (code !== 0) throw new Error(`bench:data failed:\n${child.output()}`);
  const summary = child
    .output()
    .split('\n')
    .filter((l) => /^(sqlite|postgres) |^target|wall time/.test(l));
  log(summary.map((l) => '    ' + l).join('\n'));
}

/** The database of a given size: the main one when it has that many posts, else one per size. */
export async function archiveFor(db: Db, posts: number, main: string, log: (l: string) => void): Promise<string> {
  if ((await archiveSize(db, main)) === posts) return main;
  const url = db === 'sqlite' ? `sqlite:${path.join(RESULTS_DIR, `bench-${posts}.sqlite`)}` : withDatabase(main, `kiji_bench_${posts}`);
  await ensureArchive(db, url, posts, log);
  return url;
}
