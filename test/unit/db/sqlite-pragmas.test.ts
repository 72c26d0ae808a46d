import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openDatabase } from '../../../src/db/data-source';
import { tuneSqliteConnection } from '../../../src/db/sqlite-pragmas';

/*
 * An archive that was analyzed (ANALYZE, PRAGMA optimize) holds value samples in sqlite_stat4,
 * with which SQLite plans Kiji's prepared reads again at every execution. Kiji's connections
 * drop them on open and keep the per-index estimates of sqlite_stat1.
 */
describe('SQLite planner statistics', () => {
  let dir: string;
  let file: string;
  const count = (db: Database.Database, table: string) => (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiji-stat4-'));
    file = path.join(dir, 'kiji.sqlite');
    const db = new Database(file);
    db.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, kind TEXT NOT NULL); CREATE INDEX notes_kind ON notes (kind)');
    const insert = db.prepare('INSERT INTO notes (kind) VALUES (?)');
    // Skewed, as tags are: the samples are what ANALYZE keeps of such a column.
    for (let i = 0; i < 2000; i++) insert.run(i % 50 === 0 ? `rare-${i}` : 'common');
    db.exec('ANALYZE');
    expect(count(db, 'sqlite_stat4')).toBeGreaterThan(0);
    db.close();
  });

  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('are left as row estimates only once Kiji opens the archive, its schema migrated alongside', async () => {
    const dataSource = await openDatabase({ type: 'sqlite', path: file });
    await dataSource.destroy();
    const db = new Database(file, { readonly: true });
    expect(count(db, 'sqlite_stat4')).toBe(0);
    const estimate = db.prepare(`SELECT stat FROM sqlite_stat1 WHERE idx = 'notes_kind'`).get() as { stat: string } | undefined;
    expect(estimate?.stat).toMatch(/^2000 \d+/);
    db.close();
  });

  it('are left alone by a read-only connection, and by one that finds another process writing', () => {
    const readOnly = new Database(file, { readonly: true });
    tuneSqliteConnection(readOnly);
    expect(count(readOnly, 'sqlite_stat4')).toBeGreaterThan(0);
    readOnly.close();

    const writer = new Database(file);
    writer.exec("BEGIN IMMEDIATE; INSERT INTO notes (kind) VALUES ('held')");
    const second = new Database(file);
    second.pragma('busy_timeout = 0');
    // The tuning's own busy_timeout would wait 5 s for the writer; a start-up must not fail on it.
    const quick = {
      readonly: false,
      pragma: (sql: string) => (sql.startsWith('busy_timeout') ? undefined : second.pragma(sql)),
      prepare: (sql: string) => second.prepare(sql),
      exec: (sql: string) => second.exec(sql),
    };
    expect(() => tuneSqliteConnection(quick)).not.toThrow();
    writer.exec('COMMIT');
    expect(count(second, 'sqlite_stat4')).toBeGreaterThan(0);
    second.close();
    writer.close();
  });
});
