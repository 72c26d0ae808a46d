import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/paths';
import type { GraphQLBody } from './raw-http';

/**
 * Kiji as it runs in production: the built CLI (`npm run build` runs before the tests) as a child
 * process, configured by its environment. Fault tests need a real process: they signal it, cut
 * its dependencies away and read its exit code.
 */

/** KIJI_TEST_MAIN: another build to run instead (to measure a baseline with the same tests). */
export const KIJI_MAIN = process.env.KIJI_TEST_MAIN || path.join(PROJECT_ROOT, 'dist/src/main.js');

export interface KijiProcess {
  /** `http://127.0.0.1:PORT`, without a path. */
  base: string;
  graphql: string;
  pid: number;
  /** Everything the process wrote so far, stdout and stderr. */
  output(): string;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  signal(name: NodeJS.Signals): void;
  /** SIGKILL if still running (afterAll). */
  kill(): Promise<void>;
}

/** A free TCP port on loopback (for servers that cannot be given port 0). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Starts `kiji <command>` on a free port and waits until it says it is serving (at most `startMs`). */
export async function startKiji(command: 'start' | 'serve', env: Record<string, string>, startMs = 60_000): Promise<KijiProcess> {
  if (!fs.existsSync(KIJI_MAIN)) throw new Error(`${KIJI_MAIN} is missing: run \`npm run build\` first`);
  const child: ChildProcess = spawn(process.execPath, [KIJI_MAIN, command], {
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`kiji ${command} did not start within ${startMs} ms:\n${output}`)), startMs);
    const look = () => {
      const match = /Kiji serving http:\/\/localhost:(\d+)\//.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout!.on('data', look);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`kiji ${command} exited with ${code} before serving:\n${output}`));
    });
  });
  const base = `http://127.0.0.1:${port}`;
  return {
    base,
    graphql: `${base}/graphql`,
    pid: child.pid!,
    output: () => output,
    exited,
    signal: (name) => child.kill(name),
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}

/**
 * A GraphQL POST as an anonymous app sends it; resolves with status, parsed body, cache header and
 * time taken. Every answer Kiji gives is JSON, so anything else fails the test with what came instead.
 */
export async function graphqlPost<TData = unknown>(
  url: string,
  query: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; type: string; body: GraphQLBody<TData>; cache: string | null; ms: number }> {
  const started = performance.now();
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query }) });
  const text = await response.text();
  let body: GraphQLBody<TData>;
  try {
    body = JSON.parse(text) as GraphQLBody<TData>;
  } catch {
    throw new Error(`expected a JSON answer, got ${response.status}: ${text.slice(0, 500)}`);
  }
  return {
    status: response.status,
    type: response.headers.get('content-type') ?? '',
    body,
    cache: response.headers.get('x-kiji-cache'),
    ms: performance.now() - started,
  };
}

/** What the health endpoints answer. */
export interface HealthBody {
  status: string;
  checks?: Record<string, unknown>;
}

/** GET a health endpoint. */
export async function getJson(url: string): Promise<{ status: number; body: HealthBody; ms: number }> {
  const started = performance.now();
  const response = await fetch(url);
  const body = (await response.json()) as HealthBody;
  return { status: response.status, body, ms: performance.now() - started };
}

/** Polls `check` every 200 ms until it returns true, at most `ms`; false when it never did. */
export async function eventually(check: () => Promise<boolean>, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check().catch(() => false)) return true;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return false;
}
