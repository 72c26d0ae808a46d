import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeFixtureFolder } from '../support/fixtures';
import { KIJI_MAIN, KijiProcess, startKiji } from '../support/kiji-process';

/*
 * The built server on an SQLite file counts searches' matches (`totalCount`) on a connection of
 * its own, in a worker thread, so that a count for a new word does not hold every other request
 * up. What a user notices: the counts are right, and follow what other processes import while
 * the server runs, the count thread's connection seeing each commit as the server's does; and a
 * server stopped cleanly leaves one complete database file, as it did before it had the thread.
 */

const SEARCH = 'query ($q: String!) { posts(first: 2, filter: { query: $q }) { totalCount edges { node { slug } } } }';

function articles(from: number, to: number, word: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = from; i < to; i++) files[`2024-01-${String(i + 1).padStart(2, '0')}-post-${i}.md`] = `---\ntitle: Post ${i}\n---\n\nA note about the ${word} and its nest.\n`;
  return files;
}

describe('search counts on an SQLite file, in the count thread', () => {
  let dir: string;
  let file: string;
  let kiji: KijiProcess;

  const importFolder = (folder: string) => {
    const result = spawnSync(process.execPath, [KIJI_MAIN, 'import', '--json', folder], {
      env: { ...process.env, DATABASE_URL: `sqlite:${file}`, LOG_LEVEL: 'error' },
      encoding: 'utf8',
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  };

  const totalCount = async (q: string): Promise<number> => {
    const response = await fetch(kiji.graphql, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: SEARCH, variables: { q } }) });
    const body = (await response.json()) as { data?: { posts: { totalCount: number; edges: unknown[] } }; errors?: unknown };
    expect(body.errors).toBeUndefined();
    return body.data!.posts.totalCount;
  };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiji-count-thread-'));
    file = path.join(dir, 'kiji.sqlite');
    importFolder(writeFixtureFolder(articles(0, 3, 'kestrel')));
    kiji = await startKiji('serve', { DATABASE_URL: `sqlite:${file}` });
  }, 90_000);

  afterAll(async () => {
    await kiji?.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('counts every match, and counts again after another process imported more', async () => {
    expect(await totalCount('kestrel')).toBe(3);
    expect(await totalCount('kestrel nest')).toBe(3);
    expect(await totalCount('albatross')).toBe(0);
    importFolder(writeFixtureFolder({ ...articles(3, 8, 'kestrel'), ...articles(8, 10, 'albatross') }));
    expect(await totalCount('kestrel')).toBe(8);
    expect(await totalCount('albatross')).toBe(2);
    expect(await totalCount('nest')).toBe(10);
  }, 60_000);

  it('answers searches for many new words at once, each with its own count', async () => {
    const words = ['kestrel', 'albatross', 'nest', 'note', 'post'];
    const counts = await Promise.all(words.map((q) => totalCount(q)));
    expect(counts).toEqual([8, 2, 10, 10, 10]);
    expect(kiji.output()).not.toMatch(/"level":(50|60)/);
  }, 60_000);

  it('stops cleanly, leaving every write in the database file itself (no write-ahead log left over)', async () => {
    kiji.signal('SIGTERM');
    expect(await kiji.exited).toBe(0);
    const wal = `${file}-wal`;
    expect(fs.existsSync(wal) ? fs.statSync(wal).size : 0).toBe(0);
    // The file alone, as an operator copies it after stopping the server.
    const copy = path.join(dir, 'copy.sqlite');
    fs.copyFileSync(file, copy);
    const db = new Database(copy, { readonly: true });
    try {
      expect(db.prepare('SELECT COUNT(*) AS n FROM posts').get()).toEqual({ n: 10 });
    } finally {
      db.close();
    }
  }, 60_000);
});
