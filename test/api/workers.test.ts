import { spawnSync } from 'node:child_process';
import http from 'node:http';
import { createTestDatabase, describeEachDatabase, TestDatabase, databaseUrlOf } from '../support/databases';
import { eventually, KIJI_MAIN, KijiProcess, startKiji } from '../support/kiji-process';

/*
 * `kiji serve --workers 2` as an operator runs it: one primary, two workers on one port. What a
 * user notices: every request is answered whichever worker takes it, a worker that dies is
 * replaced while the others keep answering, and SIGTERM drains them all and exits 0.
 */

const FEED = JSON.stringify({ query: '{ posts(first: 1) { totalCount } }' });

/** A POST on a connection of its own, as a new client makes it: the primary hands each connection to the next worker. */
function postFresh(url: string, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: 'POST', agent: false, headers: { 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, body: text }));
    });
    request.on('error', reject);
    request.end(body);
  });
}

/** The JSON log lines the process wrote so far. */
function logLines(kiji: KijiProcess): Record<string, unknown>[] {
  return kiji
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
}

/** `worker:pid` of every worker that logged a /graphql request line. */
function workersThatAnswered(kiji: KijiProcess): Set<string> {
  return new Set(
    logLines(kiji)
      .filter((line) => line.msg === 'request' && line.path === '/graphql')
      .map((line) => `${String(line.worker)}:${String(line.pid)}`),
  );
}

function servingPid(kiji: KijiProcess, worker: number, not?: number): number | undefined {
  const line = logLines(kiji).find((l) => l.msg === 'worker serving' && l.worker === worker && l.pid !== not);
  return line?.pid as number | undefined;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('serve --workers: the number is checked', () => {
  const run = (args: string[], env: Record<string, string> = {}) =>
    spawnSync(process.execPath, [KIJI_MAIN, 'serve', ...args], { env: { ...process.env, DATABASE_URL: 'sqlite::memory:', ...env }, encoding: 'utf8' });

  it('refuses a flag or variable out of 1..64, naming it', () => {
    for (const bad of ['0', '65', 'two']) {
      const result = run(['--workers', bad]);
      expect(result.status).toBe(2);
      expect(result.stderr).toContain('--workers takes a whole number from 1 to 64');
    }
    const fromEnv = run([], { KIJI_WORKERS: '100' });
    expect(fromEnv.status).toBe(2);
    expect(fromEnv.stderr).toContain('KIJI_WORKERS="100" is not valid');
  });

  it('refuses several workers on an in-memory SQLite database, which each process would have alone', () => {
    const result = run(['--workers', '2']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('sqlite::memory: is private to each process');
  });
});

describeEachDatabase('serve --workers 2', (kind) => {
  let database: TestDatabase;
  let kiji: KijiProcess;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    const url = databaseUrlOf(database);
    kiji = await startKiji('serve', { DATABASE_URL: url, KIJI_WORKERS: '2', KIJI_RATE_LIMIT_ANONYMOUS: '0', KIJI_SHUTDOWN_GRACE_MS: '5000' });
  }, 120_000);
  afterAll(async () => {
    await kiji?.kill();
    await database?.drop();
  });

  it('answers on both workers', async () => {
    expect(kiji.output()).toContain('(2 workers)');
    for (let i = 0; i < 8; i += 1) {
      const answer = await postFresh(kiji.graphql, FEED);
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body)).toEqual({ data: { posts: { totalCount: 0 } } });
    }
    // Request lines are written once the answer is done: wait for them a little.
    expect(await eventually(async () => workersThatAnswered(kiji).size === 2, 5000)).toBe(true);
  });

  it('starts another worker when one is killed, and keeps answering meanwhile', async () => {
    const killed = servingPid(kiji, 1)!;
    expect(killed).toBeGreaterThan(0);
    process.kill(killed, 'SIGKILL');
    const noticed = () => logLines(kiji).some((l) => l.msg === 'worker exited unexpectedly; starting another' && l.pid === killed && l.signal === 'SIGKILL');
    expect(await eventually(async () => noticed(), 10_000)).toBe(true);
    for (let i = 0; i < 6; i += 1) expect((await postFresh(kiji.graphql, FEED)).status).toBe(200);
    expect(await eventually(async () => servingPid(kiji, 1, killed) !== undefined, 60_000)).toBe(true);
    const replacement = servingPid(kiji, 1, killed)!;
    // The new worker takes its share of connections.
    expect(
      await eventually(async () => {
        await postFresh(kiji.graphql, FEED);
        return workersThatAnswered(kiji).has(`1:${replacement}`);
      }, 10_000),
    ).toBe(true);
  }, 90_000);

  it('drains every worker and exits 0 on SIGTERM', async () => {
    const workers = [servingPid(kiji, 2)!, ...[...workersThatAnswered(kiji)].map((w) => Number(w.split(':')[1]))];
    kiji.signal('SIGTERM');
    expect(await kiji.exited).toBe(0);
    expect(kiji.output()).toMatch(/Kiji stopped\n/);
    for (const pid of workers) expect(isRunning(pid)).toBe(false);
  }, 30_000);
});
