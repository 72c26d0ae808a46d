import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT, SAMPLE_CONTENT_DIR } from '../../src/paths';
import type { ImportSummary } from '../../src/services/import';
import { describeEachDatabase, createTestDatabase, DatabaseKind, TestDatabase, databaseUrlOf } from '../support/databases';
import { writeFixtureFolder } from '../support/fixtures';
import { SEED_FILE, sharedAvailable } from '../support/shared';

/** The `kiji` command as a user runs it (the built CLI, `npm run build` runs before the tests). */
function kiji(database: TestDatabase, ...args: string[]) {
  const url = databaseUrlOf(database);
  const result = spawnSync(process.execPath, [path.join(PROJECT_ROOT, 'dist/src/main.js'), ...args], {
    env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'error' },
    encoding: 'utf8',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** What `kiji import --json` prints. */
const summaryOf = (stdout: string) => JSON.parse(stdout) as ImportSummary;

describeEachDatabase('kiji import', (kind: DatabaseKind) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
  });
  afterAll(() => database?.drop());

  it('imports the sample content, then finds it unchanged the second time', () => {
    const first = kiji(database, 'import', '--json', SAMPLE_CONTENT_DIR);
    expect(first.stderr).toBe('');
    const summary = summaryOf(first.stdout);
    expect(summary.failed).toEqual([]);
    expect(summary.imported).toBeGreaterThanOrEqual(14);
    expect(first.code).toBe(0);
    const again = summaryOf(kiji(database, 'import', '--json', SAMPLE_CONTENT_DIR).stdout);
    expect(again).toMatchObject({ imported: 0, updated: 0, unchanged: summary.imported, failed: [] });
  });

  (sharedAvailable() ? it : it.skip)('imports the seed article from ../shared/samples', () => {
    const result = kiji(database, 'import', '--json', SEED_FILE);
    expect(JSON.parse(result.stdout)).toMatchObject({ imported: 1, failed: [] });
    expect(result.code).toBe(0);
  });

  it('reports a broken file with file, line and reason, imports the rest, and exits 1', () => {
    const dir = writeFixtureFolder({
      '2024-01-01-good.md': '---\ntitle: Good\n---\n\nFine.\n',
      '2024-01-02-broken.md': '---\ntitle: Broken\ntags: [a, b\n---\n\nBody.\n',
      '2024-01-03-bare.md': 'No front matter at all.\n',
    });
    try {
      const result = kiji(database, 'import', '--json', dir);
      const summary = summaryOf(result.stdout);
      expect(result.code).toBe(1);
      expect(summary.imported).toBe(1);
      expect(summary.failed).toHaveLength(2);
      expect(summary.failed.map((f) => path.basename(f.file)).sort()).toEqual(['2024-01-02-broken.md', '2024-01-03-bare.md']);
      for (const failure of summary.failed) {
        expect(failure.line).toBeGreaterThanOrEqual(1);
        expect(failure.message.length).toBeGreaterThan(5);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exits 2 on a usage error', () => {
    expect(kiji(database, 'import').code).toBe(2);
    const missing = kiji(database, 'import', path.join(os.tmpdir(), 'kiji-no-such-folder'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such file or folder');
    expect(kiji(database, 'import', '--frobnicate', SAMPLE_CONTENT_DIR).code).toBe(2);
    expect(kiji(database, 'nonsense').code).toBe(2);
  });
});

describe('configuration', () => {
  it.each([
    ['DATABASE_URL', 'mysql://x', 'sqlite:PATH'],
    ['PORT', 'eighty', 'integer'],
    ['LOG_LEVEL', 'loud', 'error, warn, info, debug'],
  ])('stops start-up on a malformed %s, naming it and the accepted forms', (variable, value, accepted) => {
    const result = spawnSync(process.execPath, [path.join(PROJECT_ROOT, 'dist/src/main.js'), 'migrate'], {
      env: { ...process.env, DATABASE_URL: 'sqlite::memory:', [variable]: value },
      encoding: 'utf8',
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(variable);
    expect(result.stderr).toContain(accepted);
  });
});

describe('kiji lint', () => {
  (sharedAvailable() ? it : it.skip)('names each artifact of the seed with its line, as text and as JSON', () => {
    const run = (...args: string[]) =>
      spawnSync(process.execPath, [path.join(PROJECT_ROOT, 'dist/src/main.js'), 'lint', ...args], {
        env: { ...process.env, DATABASE_URL: 'sqlite:/nonexistent-dir/never-opened.sqlite' },
        encoding: 'utf8',
      });
    const text = run(SEED_FILE);
    expect(text.status).toBe(1);
    expect(text.stdout).toMatch(/000_20020096e96e7224\.txt:97: END_MARKER /);
    const json = JSON.parse(run('--json', SEED_FILE).stdout) as { file: string; line: number; code: string }[];
    const codes = json.map((i) => i.code);
    for (const code of ['END_MARKER', 'DUPLICATE_PARAGRAPH', 'REPEATED_SENTENCE', 'SPLIT_SENTENCE', 'BOLD_HEADING']) {
      expect(codes).toContain(code);
    }
    expect(fs.existsSync('/nonexistent-dir')).toBe(false);
  });
});

describeEachDatabase('kiji keys', (kind: DatabaseKind) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
  });
  afterAll(() => database?.drop());

  it('creates a key shown once, lists it without the secret, and revokes it', () => {
    const created = kiji(database, 'keys', 'create', '--role', 'editor', '--name', 'CMS', '--json');
    expect(created.code).toBe(0);
    const key = JSON.parse(created.stdout) as { id: string; key: string };
    expect(key).toMatchObject({ role: 'editor', name: 'CMS' });
    expect(key.key).toMatch(/^kiji_[A-Za-z0-9_-]{43}$/);
    const listed = kiji(database, 'keys', 'list', '--json');
    expect(listed.stdout).not.toContain(key.key);
    expect(JSON.parse(listed.stdout)).toEqual([expect.objectContaining({ id: key.id, role: 'editor', revokedAt: null })]);
    expect(kiji(database, 'keys', 'revoke', key.id).code).toBe(0);
    const [revoked] = JSON.parse(kiji(database, 'keys', 'list', '--json').stdout) as { revokedAt: string | null }[];
    expect(revoked.revokedAt).not.toBeNull();
    expect(kiji(database, 'keys', 'revoke', 'no-such-key').code).toBe(1);
    expect(kiji(database, 'keys', 'create', '--role', 'overlord', '--name', 'x').code).toBe(2);
    expect(kiji(database, 'keys', 'create', '--name', 'x').code).toBe(2);
  });
});
