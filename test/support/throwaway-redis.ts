import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { missingDependency } from './dependencies';
import { freePort } from './kiji-process';

/**
 * A Redis of the test's own on a spare port, that the test may stop, freeze and start again at
 * will. The shared Redis on 6379 is never touched. Tests that need one check
 * `redisServerAvailable()` first (see missingDependency).
 */
export interface ThrowawayRedis {
  url: string;
  port: number;
  /** SIGKILL: connections drop at once, as in a crash. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** SIGSTOP: connections stay open and nothing answers (`stop` still ends it). */
  freeze(): void;
}

export function redisServerAvailable(): boolean {
  return spawnSync('redis-server', ['--version']).status === 0 || missingDependency('redis-server is not installed', 'tests with a Redis of their own');
}

export async function startThrowawayRedis(): Promise<ThrowawayRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async () => {
    const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    await new Promise<void>((resolve, reject) => {
      let output = '';
      const timer = setTimeout(() => reject(new Error(`redis-server did not start:\n${output}`)), 10_000);
      proc.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      });
      proc.once('exit', () => reject(new Error(`redis-server exited:\n${output}`)));
    });
  };
  const stop = async () => {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null) return;
    const exited = new Promise((resolve) => proc.once('exit', resolve));
    proc.kill('SIGKILL');
    await exited;
  };
  await start();
  return { url: `redis://127.0.0.1:${port}`, port, start, stop, freeze: () => child?.kill('SIGSTOP') };
}
