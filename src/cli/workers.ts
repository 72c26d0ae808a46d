import cluster, { Worker } from 'node:cluster';
import { Config, ConfigError } from '../config';
import type { Logger } from '../log';
import { UsageError } from './args';

/**
 * `kiji serve --workers N` (or KIJI_WORKERS=N): one primary process and N workers (node:cluster)
 * that serve on the same port, the primary handing each new connection to the next worker.
 *
 * The primary migrates (and `start` imports the sample) once, before any worker starts; it serves
 * nothing and holds no database connection. Each worker is a whole Kiji server with its own
 * connection pool, prepared statements, in-process caches and rate-limit counters (README "Running
 * on several cores" says what that means for each). What must not run N times guards itself
 * across processes, as it does across instances: webhook deliveries are leased row by row, the
 * sweep of scheduled posts takes the write lock, related lists left pending are finished under the
 * import session lock.
 *
 * A worker that exits unexpectedly is logged and started again, after a wait that doubles with each
 * crash in a row (RESTART_FIRST_MS to RESTART_MAX_MS), so a worker that cannot start does not spin.
 * A worker that fails before the server has ever answered (port taken, database away) stops the
 * whole start-up instead, with exit code 1, as a single process would.
 */

export const MAX_WORKERS = 64;
const RESTART_FIRST_MS = 250;
const RESTART_MAX_MS = 30_000;
/** A worker that ran this long before exiting is not counted as crashing in a row. */
const STABLE_MS = 60_000;
/** After the workers' grace period, how long the primary still waits before it kills what is left. */
const KILL_AFTER_GRACE_MS = 5_000;

/** Messages between the primary and its workers (over cluster's IPC channel). */
type WorkerMessage = { kiji: 'serving'; port: number } | { kiji: 'shutdown' };

/** `--workers N` when given, else KIJI_WORKERS (config.workers); 1 to MAX_WORKERS. */
export function workerCount(flag: string | undefined, config: Config): number {
  if (flag === undefined) return config.workers ?? 1;
  const n = Number(flag);
  if (!/^\d+$/.test(flag) || n < 1 || n > MAX_WORKERS) throw new UsageError(`--workers takes a whole number from 1 to ${MAX_WORKERS}, not "${flag}"`);
  return n;
}

/** What N workers cannot share: an in-memory SQLite database is private to each process. */
export function checkClusterConfig(config: Config, workers: number): void {
  if (workers === 1) return;
  if (config.database.type === 'sqlite' && config.database.path === ':memory:') {
    throw new UsageError(`--workers ${workers} needs a database the workers share: sqlite::memory: is private to each process; use a file or PostgreSQL`);
  }
  const metricsPort = config.observability?.metricsPort;
  if (metricsPort && metricsPort + workers - 1 > 65535) {
    throw new ConfigError('KIJI_METRICS_PORT', String(metricsPort), `a port up to ${65536 - workers} with ${workers} workers (worker k serves on KIJI_METRICS_PORT + k - 1)`);
  }
}

/** 1..N when this process is a worker of a `serve --workers N` primary, else null. */
export function workerSlot(): number | null {
  return cluster.isWorker ? Number(process.env.KIJI_WORKER_SLOT) || cluster.worker!.id : null;
}

/** Tells the primary that this worker serves on `port`. */
export function reportServing(port: number): void {
  process.send?.({ kiji: 'serving', port } satisfies WorkerMessage);
}

/**
 * In a worker: `stop` (the graceful shutdown, which must be callable more than once) runs when the
 * primary asks, or when the primary is gone (its IPC channel closed), and the worker then exits
 * with its code. Signals sent to the worker itself are handled by onShutdownSignals, as in a
 * single process.
 */
export function followPrimary(stop: () => Promise<number>): void {
  const exitAfter = () =>
    void stop().then(
      (code) => process.exit(code),
      () => process.exit(1),
    );
  process.on('message', (message: WorkerMessage) => {
    if (message?.kiji === 'shutdown') exitAfter();
  });
  process.on('disconnect', exitAfter);
}

interface Slot {
  worker: Worker | null;
  startedAt: number;
  /** Unexpected exits in a row (reset by a run longer than STABLE_MS). */
  crashes: number;
  restart: NodeJS.Timeout | null;
}

export interface PrimaryOptions {
  workers: number;
  /** The workers' shutdown grace period (KIJI_SHUTDOWN_GRACE_MS). */
  graceMs: number;
  /** KIJI_METRICS_PORT: worker k serves its own metrics on this + k - 1 (one scrape target per process). */
  metricsPort: number | null;
  logger: Logger;
}

export interface Primary {
  /** Resolves with the port once every worker serves; rejects when one failed before any did. */
  serving: Promise<number>;
  /** Asks every worker to finish its requests in flight and exit; resolves with 0 when all drained, else 1. */
  shutdown(): Promise<number>;
  /** Resolves with the exit code once the primary has nothing left to run. */
  done: Promise<number>;
}

/** Forks the workers and keeps N of them running until `shutdown`. */
export function startPrimary(options: PrimaryOptions): Primary {
  const { workers, logger } = options;
  const slots = new Map<number, Slot>();
  const servingOnce = new Set<number>();
  let stopping = false;
  let everServed = false;
  let failedCode = 0;
  let finish!: (code: number) => void;
  const done = new Promise<number>((resolve) => (finish = resolve));
  let announce!: (port: number) => void;
  let abandon!: (error: Error) => void;
  const serving = new Promise<number>((resolve, reject) => ((announce = resolve), (abandon = reject)));

  const live = () => [...slots.values()].filter((slot) => slot.worker !== null);
  const finishIfIdle = () => {
    if (stopping && live().length === 0) finish(failedCode);
  };

  const fork = (index: number) => {
    const slot = slots.get(index)!;
    const env: Record<string, string> = { KIJI_WORKER_SLOT: String(index) };
    if (options.metricsPort) env.KIJI_METRICS_PORT = String(options.metricsPort + index - 1);
    const worker = cluster.fork(env);
    slot.worker = worker;
    slot.startedAt = Date.now();
    slot.restart = null;
    worker.on('message', (message: WorkerMessage) => {
      if (message?.kiji !== 'serving') return;
      logger.info({ worker: index, pid: worker.process.pid }, 'worker serving');
      servingOnce.add(index);
      if (!everServed && servingOnce.size === workers) {
        everServed = true;
        announce(message.port);
      }
    });
    worker.on('exit', (code, signal) => {
      slot.worker = null;
      if (!stopping && !everServed) {
        // A worker that cannot start (port taken, database away, bad settings) would fail again: stop, as a single process would.
        logger.error({ worker: index, pid: worker.process.pid, code, signal }, 'worker exited before serving; stopping');
        abandon(new Error(`worker ${index} exited with ${signal ?? code} before serving`));
        failedCode = 1;
        void shutdown();
        return;
      }
      if (stopping) {
        if (code !== 0) failedCode = 1;
        finishIfIdle();
        return;
      }
      slot.crashes = Date.now() - slot.startedAt >= STABLE_MS ? 1 : slot.crashes + 1;
      const restartInMs = Math.min(RESTART_MAX_MS, RESTART_FIRST_MS * 2 ** (slot.crashes - 1));
      logger.error({ worker: index, pid: worker.process.pid, code, signal, restartInMs }, 'worker exited unexpectedly; starting another');
      slot.restart = setTimeout(() => fork(index), restartInMs);
    });
  };

  let stopped: Promise<number> | undefined;
  const shutdown = () =>
    (stopped ??= (() => {
      stopping = true;
      for (const slot of slots.values()) if (slot.restart) clearTimeout(slot.restart);
      for (const { worker } of live()) {
        if (worker!.isConnected()) worker!.send({ kiji: 'shutdown' } satisfies WorkerMessage);
        else worker!.process.kill('SIGTERM');
      }
      // A worker stuck past its own grace period is killed: the primary never hangs.
      const killer = setTimeout(() => {
        for (const { worker } of live()) worker!.process.kill('SIGKILL');
        failedCode = 1;
      }, options.graceMs + KILL_AFTER_GRACE_MS);
      killer.unref();
      finishIfIdle();
      return done;
    })());

  for (let index = 1; index <= workers; index += 1) {
    slots.set(index, { worker: null, startedAt: 0, crashes: 0, restart: null });
    fork(index);
  }
  return { serving, shutdown, done };
}
