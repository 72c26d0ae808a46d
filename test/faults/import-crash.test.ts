import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { openDatabase } from '../../src/db/data-source';
import { PROJECT_ROOT } from '../../src/paths';
import type { ImportSummary } from '../../src/services/import';
import { createTestDatabase, DatabaseKind, describeEachDatabase, TestDatabase, databaseUrlOf } from '../support/databases';
import { writeGeneratedPosts } from './generated-posts';

/*
 * `kiji import` as real processes: killed with SIGKILL at random moments, then finished by the
 * next import, the next `kiji serve` or the next editor write; and two of them at once on one
 * folder. What a user would notice is the end state: every file stored once, and every post's
 * related list as a clean, uninterrupted import makes it.
 */

const FILES = 300;
const PUBLISHED = FILES - Math.ceil((FILES - 5) / 29); // writeGeneratedPosts makes every 29th post a draft

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function startImport(database: TestDatabase, folder: string): { child: ChildProcess; done: Promise<Run> } {
  const url = databaseUrlOf(database);
  const child = spawn(process.execPath, [path.join(PROJECT_ROOT, 'dist/src/main.js'), 'import', '--json', folder], {
    env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'error' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const done = new Promise<Run>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done };
}

/** Every stored related row, by source file, in list order: what the read API serves. */
async function relatedLists(dataSource: DataSource): Promise<{ pairs: string[]; scores: number[] }> {
  const rows: { post: string; related: string; score: number }[] = await dataSource.query(
    `SELECT p."sourcePath" AS post, q."sourcePath" AS related, r.score AS score FROM related_posts r
     JOIN posts p ON p.id = r."postId" JOIN posts q ON q.id = r."relatedId"
     ORDER BY p."sourcePath", r.score DESC, q."sourcePath"`,
  );
  return { pairs: rows.map((r) => `${path.basename(r.post)} -> ${path.basename(r.related)}`), scores: rows.map((r) => Number(r.score)) };
}

async function count(dataSource: DataSource, sql: string): Promise<number> {
  const [{ n }] = await dataSource.query<{ n: number | string }[]>(sql);
  return Number(n);
}

/**
 * Same lists, same order; scores equal but for the recency drift of the minutes between the runs
 * (under 1e-6 of a score; neighbours in one list of this corpus are at least 1e-5 apart).
 */
function expectSameLists(actual: { pairs: string[]; scores: number[] }, expected: { pairs: string[]; scores: number[] }): void {
  expect(actual.pairs).toEqual(expected.pairs);
  actual.scores.forEach((score, i) => expect(Math.abs(score - expected.scores[i])).toBeLessThan(1e-5 * expected.scores[i]));
}

describeEachDatabase('kiji import under faults', (kind: DatabaseKind) => {
  let folder: string;
  let reference: { pairs: string[]; scores: number[] };

  beforeAll(async () => {
    folder = writeGeneratedPosts(FILES);
    const database = await createTestDatabase(kind);
    const dataSource = await openDatabase(database.config, 'error');
    try {
      const clean = await startImport(database, folder).done;
      expect(clean.code).toBe(0);
      expect(JSON.parse(clean.stdout)).toMatchObject({ imported: FILES, failed: [] });
      reference = await relatedLists(dataSource);
      // Every published post has a full list: a list left empty would show.
      expect(new Set(reference.pairs.map((p) => p.split(' -> ')[0])).size).toBe(PUBLISHED);
      expect(reference.pairs.length).toBe(PUBLISHED * 20);
    } finally {
      await dataSource.destroy();
      await database.drop();
    }
  }, 120_000);

  afterAll(() => folder && fs.rmSync(folder, { recursive: true, force: true }));

  let database: TestDatabase;
  let dataSource: DataSource;
  beforeEach(async () => {
    database = await createTestDatabase(kind);
    dataSource = await openDatabase(database.config, 'error');
  });
  afterEach(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  /** Starts an import and kills it with SIGKILL once `ready` says so (polled; bounded). */
  async function importKilledWhen(ready: () => Promise<boolean>): Promise<Run> {
    const { child, done } = startImport(database, folder);
    let exited = false;
    void done.then(() => (exited = true));
    const deadline = Date.now() + 60_000;
    while (!exited && Date.now() < deadline && !(await ready())) await new Promise((resolve) => setTimeout(resolve, 5));
    child.kill('SIGKILL');
    return done;
  }

  const stored = () => count(dataSource, 'SELECT COUNT(*) AS n FROM posts');

  it('killed with SIGKILL at random moments, then run again: every related list is as a clean import makes it', async () => {
    const moments = [10 + Math.floor(Math.random() * 80), 120 + Math.floor(Math.random() * 120)];
    for (const moment of moments) {
      const killed = await importKilledWhen(async () => (await stored()) >= moment);
      expect(killed.signal).toBe('SIGKILL');
    }
    const afterKills = await stored();
    expect(afterKills).toBeGreaterThanOrEqual(moments[1]);
    expect(afterKills).toBeLessThan(FILES);
    // What the killed runs stored is marked for its related lists: the work is not lost.
    expect(await count(dataSource, 'SELECT COUNT(*) AS n FROM related_pending')).toBeGreaterThan(0);

    // Once more, killed as soon as every file is stored: during the related-list refresh (or, on a
    // fast machine, just after it).
    const last = await importKilledWhen(async () => (await stored()) >= FILES);
    expect(last.signal === 'SIGKILL' || last.code === 0).toBe(true);

    const rerun = await startImport(database, folder).done;
    expect(rerun.code).toBe(0);
    const summary = JSON.parse(rerun.stdout) as ImportSummary;
    expect(summary).toMatchObject({ imported: 0, updated: 0, unchanged: FILES, failed: [] });
    expectSameLists(await relatedLists(dataSource), reference);
    expect(await count(dataSource, 'SELECT COUNT(*) AS n FROM related_pending')).toBe(0);
  }, 180_000);

  it('killed with SIGKILL, then `kiji serve` started: the server brings the related lists up to date', async () => {
    const killed = await importKilledWhen(async () => (await stored()) >= 200);
    expect(killed.signal).toBe('SIGKILL');
    const published = 'SELECT COUNT(*) AS n FROM posts WHERE status = \'published\' AND "deletedAt" IS NULL';
    const withoutList = `${published} AND NOT EXISTS (SELECT 1 FROM related_posts r WHERE r."postId" = posts.id)`;
    expect(await count(dataSource, 'SELECT COUNT(*) AS n FROM related_pending')).toBeGreaterThan(0);
    expect(await count(dataSource, withoutList)).toBeGreaterThan(0);

    const url = databaseUrlOf(database);
    const server = spawn(process.execPath, [path.join(PROJECT_ROOT, 'dist/src/main.js'), 'serve'], {
      env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'error', PORT: '0' },
      stdio: 'ignore',
    });
    const closed = new Promise((resolve) => server.on('close', resolve));
    try {
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline && (await count(dataSource, 'SELECT COUNT(*) AS n FROM related_pending')) > 0) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(await count(dataSource, 'SELECT COUNT(*) AS n FROM related_pending')).toBe(0);
      expect(await count(dataSource, withoutList)).toBe(0);
      expect(await count(dataSource, 'SELECT COUNT(*) AS n FROM related_posts')).toBe(20 * (await count(dataSource, published)));
    } finally {
      server.kill('SIGTERM');
      await closed;
    }
  }, 180_000);

  it('killed with SIGKILL while a server runs: the next editor write brings the related lists up to date', async () => {
    const url = databaseUrlOf(database);
    const env = { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'error', PORT: '0' };
    const main = path.join(PROJECT_ROOT, 'dist/src/main.js');
    const created = spawnSync(process.execPath, [main, 'keys', 'create', '--role', 'editor', '--name', 'fault', '--json'], { env, encoding: 'utf8' });
    const { key } = JSON.parse(created.stdout) as { key: string };
    const server = spawn(process.execPath, [main, 'serve'], { env, stdio: ['ignore', 'pipe', 'ignore'] });
    const closed = new Promise((resolve) => server.on('close', resolve));
    try {
      const graphqlUrl = await new Promise<string>((resolve, reject) => {
        let out = '';
        server.stdout.on('data', (chunk) => {
          out += chunk;
          const serving = /Kiji serving (\S+)/.exec(out);
          if (serving) resolve(serving[1]);
        });
        server.on('close', () => reject(new Error(`kiji serve exited: ${out}`)));
      });
      const killed = await importKilledWhen(async () => (await stored()) >= 200);
      expect(killed.signal).toBe('SIGKILL');
      expect(await count(dataSource, 'SELECT COUNT(*) AS n FROM related_pending')).toBeGreaterThan(0);

      const response = await fetch(graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({
          query: 'mutation($input: PostInput!) { createPost(input: $input) { slug } }',
          variables: { input: { title: 'After the crash', bodyMarkdown: 'An editor writes.', author: 'editor' } },
        }),
      });
      expect(await response.json()).toEqual({ data: { createPost: { slug: 'after-the-crash' } } });
      // The mutation has returned: its own list and every list the killed import owed are written.
      const published = 'SELECT COUNT(*) AS n FROM posts WHERE status = \'published\' AND "deletedAt" IS NULL';
      expect(await count(dataSource, 'SELECT COUNT(*) AS n FROM related_pending')).toBe(0);
      expect(await count(dataSource, 'SELECT COUNT(*) AS n FROM related_posts')).toBe(20 * (await count(dataSource, published)));
    } finally {
      server.kill('SIGTERM');
      await closed;
    }
  }, 180_000);

  it('two imports of one folder at once: the second waits, every file is stored once, both exit 0', async () => {
    const [a, b] = await Promise.all([startImport(database, folder).done, startImport(database, folder).done]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const summaries = [a, b].map((run) => JSON.parse(run.stdout) as ImportSummary).sort((x, y) => y.imported - x.imported);
    expect(summaries).toEqual([
      { imported: FILES, updated: 0, unchanged: 0, pages: 0, failed: [], warnings: [] },
      { imported: 0, updated: 0, unchanged: FILES, pages: 0, failed: [], warnings: [] },
    ]);
    expect([a.stderr, b.stderr].filter((s) => s.includes('another import into this database is running; waiting'))).toHaveLength(1);
    expect(await count(dataSource, 'SELECT COUNT(*) AS n FROM posts')).toBe(FILES);
    expect(await count(dataSource, 'SELECT COUNT(DISTINCT "sourcePath") AS n FROM posts')).toBe(FILES);
    expectSameLists(await relatedLists(dataSource), reference);
  }, 180_000);
});
