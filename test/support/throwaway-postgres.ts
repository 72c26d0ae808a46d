import { spawnSync, SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { missingDependency } from './dependencies';
import { freePort } from './kiji-process';

/**
 * A PostgreSQL instance of the test's own (initdb + pg_ctl in a temp folder, on a spare port), that
 * the test may stop, freeze and thaw. The shared server on 5432 is never touched. initdb refuses to
 * run as root: then every command runs as the `postgres` OS user.
 */
export interface ThrowawayPostgres {
  url: string;
  start(): void;
  /** `pg_ctl stop -m immediate`: connections drop at once, as in a crash. */
  stop(): void;
  /** SIGSTOP to the postmaster and every backend: connections stay open and nothing answers. */
  freeze(): void;
  thaw(): void;
  /** Stops it (thawing first) and deletes its folder. */
  destroy(): void;
}

function binDir(): string | null {
  const root = '/usr/lib/postgresql';
  if (!fs.existsSync(root)) return null;
  const versions = fs.readdirSync(root).filter((v) => fs.existsSync(path.join(root, v, 'bin', 'initdb')));
  versions.sort((a, b) => Number(b) - Number(a));
  return versions.length ? path.join(root, versions[0], 'bin') : null;
}

const asRoot = process.getuid?.() === 0;

export function postgresBinariesAvailable(): boolean {
  const found = binDir() !== null && (!asRoot || spawnSync('id', ['-u', 'postgres']).status === 0);
  return found || missingDependency('initdb/pg_ctl (or, as root, the postgres OS user) not found', 'the PostgreSQL fault tests');
}

function run(command: string, args: string[]): SpawnSyncReturns<string> {
  const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
  const result = spawnSync(file, argv, { encoding: 'utf8', timeout: 60_000 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  return result;
}

/** The postmaster and its children (backends, background workers). */
function serverPids(dataDir: string): number[] {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return [];
  const postmaster = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  const children = spawnSync('ps', ['-o', 'pid=', '--ppid', String(postmaster)], { encoding: 'utf8' })
    .stdout.split('\n')
    .map((line) => Number(line.trim()))
    .filter((pid) => pid > 0);
  return [postmaster, ...children];
}

export async function startThrowawayPostgres(): Promise<ThrowawayPostgres> {
  const bin = binDir()!;
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiji-pg-'));
  const dataDir = path.join(dir, 'data');
  if (asRoot) spawnSync('chown', ['-R', 'postgres:postgres', dir]);
  run(path.join(bin, 'initdb'), ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--no-sync']);
  // fsync=off survives a crash of PostgreSQL (not of the machine); synchronous_commit=off would lose the last commits at `stop -m immediate`.
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
  let frozen = false;
  const signalAll = (signal: NodeJS.Signals) => {
    for (const pid of serverPids(dataDir)) {
      try {
        process.kill(pid, signal);
      } catch {
        // gone meanwhile
      }
    }
  };
  const db: ThrowawayPostgres = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start: () => void run(path.join(bin, 'pg_ctl'), ['-D', dataDir, '-o', options, '-l', path.join(dir, 'log'), '-w', 'start']),
    stop: () => void run(path.join(bin, 'pg_ctl'), ['-D', dataDir, '-m', 'immediate', 'stop']),
    freeze: () => {
      frozen = true;
      signalAll('SIGSTOP');
    },
    thaw: () => {
      frozen = false;
      signalAll('SIGCONT');
    },
    destroy: () => {
      if (frozen) db.thaw();
      if (fs.existsSync(path.join(dataDir, 'postmaster.pid'))) {
        spawnSync(asRoot ? 'runuser' : path.join(bin, 'pg_ctl'), [
          ...(asRoot ? ['-u', 'postgres', '--', path.join(bin, 'pg_ctl')] : []),
          '-D',
          dataDir,
          '-m',
          'immediate',
          'stop',
        ]);
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  db.start();
  return db;
}
