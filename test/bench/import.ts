/**
 * `npm run bench:import [-- --runs 3] [--dir PATH] [--db sqlite|postgres|both]`
 *
 * Posts per second for importing the whole `../shared/corpora` folder with the real CLI
 * (`kiji import --json`), into a fresh SQLite file and a fresh PostgreSQL database per run, and
 * for re-importing it unchanged. Each figure is the median of the runs. The wall time includes
 * starting node and migrating; "import s" subtracts a `kiji migrate` run on a fresh database.
 */
process.env.TZ = 'UTC';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  adminUrlFor,
  createDatabase,
  DEFAULT_ADMIN_URL,
  dropDatabase,
  fmt,
  intOption,
  KIJI_MAIN,
  median,
  parseOptions,
  REPO_ROOT,
  RESULTS_DIR,
  table,
  withDatabase,
} from './common';

interface Summary {
  imported: number;
  updated: number;
  unchanged: number;
  failed: { file: string; line: number; message: string }[];
  warnings: unknown[];
}

/** Runs the CLI; returns the seconds it took and its JSON summary (null for `migrate`). */
function kiji(args: string[], databaseUrl: string): { seconds: number; summary: Summary | null } {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [KIJI_MAIN, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn', KIJI_RESPONSE_CACHE: 'off' },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: 15 * 60_000,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.error) throw result.error;
  if (args[0] !== 'import') {
    if (result.status !== 0) throw new Error(`kiji ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
    return { seconds, summary: null };
  }
  // Exit 1 means some files failed, which the corpora are allowed to have; anything else is ours.
  if (result.status !== 0 && result.status !== 1) throw new Error(`kiji import exited ${result.status}: ${result.stderr.slice(0, 2000)}`);
  return { seconds, summary: JSON.parse(result.stdout) as Summary };
}

interface Row {
  database: string;
  kind: 'fresh' | 'unchanged';
  files: number;
  imported: number;
  unchanged: number;
  failed: number;
  wallSeconds: number[];
  migrateSeconds: number[];
  postsPerSecond: number;
  postsPerSecondExcludingStartup: number;
}

async function measure(
  label: string,
  runs: number,
  dir: string,
  fresh: () => Promise<string>,
  dispose: (url: string) => Promise<void>,
): Promise<{ rows: Row[]; failures: Summary['failed'] }> {
  const freshWall: number[] = [];
  const warmWall: number[] = [];
  const migrate: number[] = [];
  let first: Summary | null = null;
  let warm: Summary | null = null;
  for (let i = 0; i < runs; i++) {
    const url = await fresh();
    try {
      migrate.push(kiji(['migrate'], url).seconds);
    } finally {
      await dispose(url);
    }
    const url2 = await fresh();
    try {
      const a = kiji(['import', '--json', dir], url2);
      freshWall.push(a.seconds);
      first ??= a.summary;
      const b = kiji(['import', '--json', dir], url2);
      warmWall.push(b.seconds);
      warm ??= b.summary;
      process.stdout.write(`  ${label} run ${i + 1}: fresh ${fmt(a.seconds, 2)} s, re-import ${fmt(b.seconds, 2)} s\n`);
    } finally {
      await dispose(url2);
    }
  }
  const m = median(migrate);
  const files = (s: Summary) => s.imported + s.updated + s.unchanged + s.failed.length;
  const row = (kind: Row['kind'], s: Summary, wall: number[]): Row => {
    const posts = s.imported + s.updated + s.unchanged;
    const w = median(wall);
    return {
      database: label,
      kind,
      files: files(s),
      imported: s.imported + s.updated,
      unchanged: s.unchanged,
      failed: s.failed.length,
      wallSeconds: wall,
      migrateSeconds: migrate,
      postsPerSecond: posts / w,
      postsPerSecondExcludingStartup: posts / Math.max(0.001, w - m),
    };
  };
  return { rows: [row('fresh', first!, freshWall), row('unchanged', warm!, warmWall)], failures: first!.failed };
}

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2), { runs: 'string', dir: 'string', db: 'string' });
  const runs = intOption(o.runs, 3, 'runs');
  const dir = path.resolve(REPO_ROOT, (o.dir as string) ?? '../shared/corpora');
  const db = (o.db as string) ?? 'both';
  if (!fs.existsSync(dir)) {
    process.stdout.write(`bench:import: skipped, ${dir} is not there (it holds the real corpora; see issue 3)\n`);
    return;
  }
  if (!fs.existsSync(KIJI_MAIN)) throw new Error(`${KIJI_MAIN} is missing: run npm run build`);
  const rows: Row[] = [];
  let failures: Summary['failed'] = [];
  if (db !== 'postgres') {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kiji-bench-import-'));
    let n = 0;
    try {
      const r = await measure(
        'sqlite',
        runs,
        dir,
        async () => `sqlite:${path.join(tmp, `import-${++n}.sqlite`)}`,
        async (url) => {
          for (const s of ['', '-wal', '-shm']) fs.rmSync(url.slice('sqlite:'.length) + s, { force: true });
        },
      );
      rows.push(...r.rows);
      failures = r.failures;
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }
  if (db !== 'sqlite') {
    const admin = process.env.BENCH_DATABASE_URL ?? DEFAULT_ADMIN_URL;
    const name = `kiji_bench_import_${process.pid}`;
    const url = withDatabase(admin, name);
    try {
      const r = await measure(
        'postgres',
        runs,
        dir,
        async () => {
          await dropDatabase(adminUrlFor(url), name);
          await createDatabase(adminUrlFor(url), name);
          return url;
        },
        async () => dropDatabase(adminUrlFor(url), name),
      );
      rows.push(...r.rows);
      if (!failures.length) failures = r.failures;
    } catch (error) {
      await dropDatabase(adminUrlFor(url), name).catch(() => undefined);
      throw error;
    }
  }
  process.stdout.write(`\nimport of ${path.relative(REPO_ROOT, dir)} with \`kiji import --json\`, median of ${runs} runs\n`);
  process.stdout.write(
    table(
      ['database', 'run', 'files', 'written', 'unchanged', 'failed', 'wall s', 'posts/s', 'posts/s w/o startup'],
      rows.map((r) => [
        r.database,
        r.kind === 'fresh' ? 'fresh database' : 're-import, unchanged',
        fmt(r.files),
        fmt(r.imported),
        fmt(r.unchanged),
        fmt(r.failed),
        fmt(median(r.wallSeconds), 2),
        fmt(r.postsPerSecond),
        fmt(r.postsPerSecondExcludingStartup),
      ]),
    ) + '\n',
  );
  process.stdout.write(
    `startup (node + migrations on a fresh database, median): ${rows
      .map((r) => `${r.database} ${fmt(median(r.migrateSeconds), 2)} s`)
      .filter((_, i) => i % 2 === 0)
      .join(', ')}\n`,
  );
  if (failures.length) {
    process.stdout.write(`files that failed (${failures.length}):\n`);
    for (const f of failures) process.stdout.write(`  ${f.file}:${f.line}: ${f.message}\n`);
  }
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const out = path.join(RESULTS_DIR, `import-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(out, JSON.stringify({ dir, runs, rows, failures }, null, 2));
  process.stdout.write(`written to ${path.relative(REPO_ROOT, out)}\n`);
}

main().catch((error) => {
  process.stderr.write(`bench:import: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
