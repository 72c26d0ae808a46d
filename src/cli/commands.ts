import fs from 'node:fs';
import type { DataSource } from 'typeorm';
import { Config, DEFAULT_TIMEOUTS, loadConfig, postUrlFor } from '../config';
import { openDatabase, servingLimits } from '../db/data-source';
import { SAMPLE_CONTENT_DIR, SCHEMA_FILE } from '../paths';
import { systemClock } from '../services/shared';
import { Importer, ImportSummary } from '../services/import';
import { LockBusyError } from '../db/session-lock';
import { createLogger } from '../log';
import { createServices } from '../services/registry';
import { lintSource } from '../content';
import { displayPath, listArticleFiles, readSiteTimeZones } from '../services/import';
import { parseCommandArgs, UsageError } from './args';
import { terminalProgress } from './progress';
import { runWebhooksCommand, WEBHOOKS_USAGE } from './webhooks';
import { checkClusterConfig, followPrimary, reportServing, startPrimary, workerCount, workerSlot } from './workers';

/*
 * The HTTP server and the GraphQL schema are loaded by the commands that use them, when they run:
 * loading them takes longer than `kiji import` of a few files (they are most of the modules).
 */
const httpServer = () => import('../http/server');
const shutdown = () => import('../http/shutdown');
const graphqlSchema = () => import('../graphql/schema');

/** Each command returns its exit code: 0 success, 1 failures in the work, 2 usage error. */
type Command = (argv: string[]) => Promise<number>;

async function withDatabase<T>(work: (dataSource: DataSource) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const dataSource = await openDatabase(config.database, config.logLevel);
  try {
    return await work(dataSource);
  } finally {
    await dataSource.destroy();
  }
}

function importer(dataSource: DataSource): Importer {
  return createServices(dataSource, loadConfig(), systemClock).importer;
}

function isDirectory(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

function printSummary(summary: ImportSummary, json: boolean): void {
  if (json) {
    process.stdout.write(JSON.stringify(summary) + '\n');
    return;
  }
  for (const w of summary.warnings) process.stderr.write(`${w.file}:${w.line}: warning: ${w.code} ${w.message}\n`);
  for (const f of summary.failed) process.stderr.write(`${f.file}:${f.line}: ${f.message}\n`);
  const pages = summary.pages ? ` (${summary.pages} of these files are pages)` : '';
  process.stdout.write(`imported ${summary.imported}, updated ${summary.updated}, unchanged ${summary.unchanged}, failed ${summary.failed.length}${pages}\n`);
}

async function serve(dataSource: DataSource): Promise<number> {
  const config = loadConfig();
  const services = createServices(dataSource, config, systemClock);
  // A worker of `serve --workers N` says which one it is on every log line, and reports to the primary instead of stdout.
  const slot = workerSlot();
  const workerLogger = slot === null ? undefined : createLogger(config.logLevel).child({ worker: slot, pid: process.pid });
  const say = (text: string) => (workerLogger ? workerLogger.info(text) : process.stdout.write(`${text}\n`));
  const { startHttpServer } = await httpServer();
  const { onShutdownSignals } = await shutdown();
  const server = await startHttpServer(services, config.port, '0.0.0.0', { logger: workerLogger });
  if (slot === null) say(`Kiji serving ${server.url}`);
  else reportServing(server.port);
  // Related lists that a killed import or write left marked are brought up to date meanwhile.
  services.importer
    .finishPending()
    .catch((error) => (workerLogger ?? createLogger(config.logLevel)).error({ err: error }, 'related lists left pending could not be brought up to date'));
  // Exit 0 once every request in flight has been answered; 1 when the grace period ran out first.
  let stopping: Promise<number> | undefined;
  const stop = (signal: NodeJS.Signals) =>
    (stopping ??= (async () => {
      const graceMs = (config.timeouts ?? DEFAULT_TIMEOUTS).shutdownGraceMs;
      say(`Kiji: ${signal}, finishing requests in flight (at most ${graceMs} ms)`);
      const outcome = await server.shutdown(graceMs);
      // Forced: connections still busy would hold destroy() up; exiting closes them, and the database rolls their work back.
      if (outcome === 'drained') {
        await services.close();
        await dataSource.destroy();
      }
      say(outcome === 'drained' ? 'Kiji stopped' : 'Kiji stopped: the grace period ran out, requests left were refused');
      return outcome === 'drained' ? 0 : 1;
    })());
  if (slot === null) onShutdownSignals(stop);
  else {
    // A worker stops when its primary says so (or is gone). Ctrl-C or a service manager signals
    // the whole process group: a worker that drained and exited on that signal before the primary
    // heard it would be taken for a crash and started again.
    for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => undefined);
    followPrimary(() => stop('SIGTERM'));
  }
  return new Promise<number>(() => undefined);
}

/** The primary of `serve --workers N`: keeps N workers serving until SIGTERM or SIGINT, then drains them all. */
async function serveOnWorkers(config: Config, workers: number): Promise<number> {
  const graceMs = (config.timeouts ?? DEFAULT_TIMEOUTS).shutdownGraceMs;
  const logger = createLogger(config.logLevel).child({ primary: process.pid });
  const { onShutdownSignals } = await shutdown();
  const primary = startPrimary({ workers, graceMs, metricsPort: config.observability?.metricsPort ?? null, logger });
  onShutdownSignals(async (signal) => {
    process.stdout.write(`Kiji: ${signal}, finishing requests in flight on ${workers} workers (at most ${graceMs} ms)\n`);
    const code = await primary.shutdown();
    process.stdout.write(code === 0 ? 'Kiji stopped\n' : 'Kiji stopped: not every worker finished its requests in time\n');
    return code;
  });
  try {
    const port = await primary.serving;
    process.stdout.write(`Kiji serving http://localhost:${port}/graphql (${workers} workers)\n`);
  } catch (error) {
    process.stderr.write(`kiji: ${(error as Error).message}\n`);
  }
  return primary.done;
}

/**
 * `serve` and `start`: migrate (and, for `start`, import the sample into an empty database) once,
 * then serve in this process, or in `--workers N` processes. A worker goes straight to serving.
 */
async function serveCommand(argv: string[], importSample: boolean): Promise<number> {
  const { values } = parseCommandArgs(argv, { workers: { type: 'string' } });
  const config = loadConfig();
  const workers = workerCount(typeof values.workers === 'string' ? values.workers : undefined, config);
  if (workerSlot() !== null) {
    // Its IPC channel would keep a worker that failed to start alive: it exits, and the primary hears of it.
    return openServingDatabase()
      .then(serve)
      .catch((error: Error) => {
        process.stderr.write(`kiji: worker could not start: ${error.stack ?? error.message}\n`);
        process.exit(1);
      });
  }
  checkClusterConfig(config, workers);
  const dataSource = await openServingDatabase();
  if (importSample) {
    const count = await dataSource.query<{ n: number | string }[]>('SELECT COUNT(*) AS n FROM posts');
    if (Number(count[0].n) === 0 && fs.existsSync(SAMPLE_CONTENT_DIR)) {
      const summary = await importer(dataSource).importPaths([SAMPLE_CONTENT_DIR]);
      printSummary(summary, false);
    }
  }
  if (workers === 1) return serve(dataSource);
  // The workers open their own connections: the primary holds none while it supervises them.
  await dataSource.destroy();
  return serveOnWorkers(config, workers);
}

/** The database as the server uses it: statements and connection waits bounded (config.ts, Timeouts). */
function openServingDatabase() {
  const config = loadConfig();
  return openDatabase(config.database, config.logLevel, servingLimits(config.timeouts ?? DEFAULT_TIMEOUTS));
}

export const COMMANDS: Record<string, { usage: string; run: Command }> = {
  serve: {
    usage: 'serve [--workers N]        migrate, then serve GraphQL on $PORT (in N processes; KIJI_WORKERS)',
    run: (argv) => serveCommand(argv, false),
  },
  start: {
    usage: 'start [--workers N]        migrate, import content/sample when empty, serve',
    run: (argv) => serveCommand(argv, true),
  },
  migrate: {
    usage: 'migrate                    bring the database schema up to date',
    run: async () => {
      await withDatabase(async () => undefined);
      process.stdout.write('database is up to date\n');
      return 0;
    },
  },
  import: {
    usage: 'import [--json] [--assets <site folder>] <file or folder>...   import Markdown posts (.md, .markdown, .txt); image sizes read under --assets',
    run: async (argv) => {
      const { values, positionals } = parseCommandArgs(argv, { json: { type: 'boolean' }, assets: { type: 'string' } });
      if (positionals.length === 0) throw new UsageError('import needs at least one file or folder');
      const assetsDir = typeof values.assets === 'string' ? values.assets : undefined;
      if (assetsDir !== undefined && !isDirectory(assetsDir)) throw new UsageError(`--assets ${assetsDir} is not a folder`);
      return withDatabase(async (dataSource) => {
        const progress = values.json ? undefined : terminalProgress();
        // One import per database at a time: this one waits for a running one, then goes on.
        const waiting = () => process.stderr.write('kiji import: another import into this database is running; waiting for it to finish\n');
        try {
          const summary = await importer(dataSource).importPaths(positionals, progress, waiting, { assetsDir });
          printSummary(summary, Boolean(values.json));
          return summary.failed.length ? 1 : 0;
        } catch (error) {
          if (!(error instanceof LockBusyError)) throw error;
          process.stderr.write(`kiji import: ${error.message}\n`);
          return 1;
        }
      });
    },
  },
  keys: {
    usage: 'keys create --role <reader|partner|preview|editor|admin> --name <label> [--json] | keys list [--json] | keys revoke <id>',
    run: async (argv) => {
      const [action, ...rest] = argv;
      const { values, positionals } = parseCommandArgs(rest, {
        role: { type: 'string' },
        name: { type: 'string' },
        json: { type: 'boolean' },
      });
      const print = (value: unknown, text: string) => process.stdout.write(values.json ? JSON.stringify(value, null, 2) + '\n' : text);
      if (action === 'create') {
        if (!values.role || !values.name) throw new UsageError('keys create needs --role and --name');
        return withDatabase(async (dataSource) => {
          const { key, secret } = await createServices(dataSource, loadConfig(), systemClock).keys.create(String(values.role), String(values.name));
          print(
            { id: key.id, name: key.name, role: key.role, key: secret, createdAt: key.createdAt },
            `Created ${key.role} key ${key.id} (${key.name}). Store it now; it is not shown again:\n${secret}\n`,
          );
          return 0;
        });
      }
      if (action === 'list') {
        return withDatabase(async (dataSource) => {
          const keys = await createServices(dataSource, loadConfig(), systemClock).keys.list();
          const rows = keys.map((k) => ({ id: k.id, name: k.name, role: k.role, createdAt: k.createdAt, revokedAt: k.revokedAt }));
          print(rows, rows.map((k) => `${k.id}  ${k.role.padEnd(7)}  ${k.revokedAt ? 'revoked' : 'active '}  ${k.name}\n`).join(''));
          return 0;
        });
      }
      if (action === 'revoke') {
        if (positionals.length !== 1) throw new UsageError('keys revoke needs exactly one key id');
        return withDatabase(async (dataSource) => {
          const found = await createServices(dataSource, loadConfig(), systemClock).keys.revoke(positionals[0]);
          if (!found) {
            process.stderr.write(`kiji keys: no key with id ${positionals[0]}\n`);
            return 1;
          }
          process.stdout.write(`revoked ${positionals[0]}\n`);
          return 0;
        });
      }
      throw new UsageError('keys needs an action: create, list or revoke');
    },
  },
  webhooks: {
    usage: WEBHOOKS_USAGE,
    run: (argv) => runWebhooksCommand(argv, (work) => withDatabase((dataSource) => work(createServices(dataSource, loadConfig(), systemClock)))),
  },
  lint: {
    usage: 'lint [--json] <file or folder>...     report artifacts and problems without writing anything',
    run: async (argv) => {
      const { values, positionals } = parseCommandArgs(argv, { json: { type: 'boolean' } });
      if (positionals.length === 0) throw new UsageError('lint needs at least one file or folder');
      const config = loadConfig();
      const postUrl = postUrlFor(config.postUrlTemplate);
      // Dates are read in the zone an import would use: KIJI_TIMEZONE, else the site's _config.yml.
      const sites = config.timeZone ? null : readSiteTimeZones(positionals);
      const issues = [
        ...(sites?.issues ?? []),
        ...listArticleFiles(positionals).flatMap((file) =>
          lintSource({ path: displayPath(file), text: fs.readFileSync(file, 'utf8') }, { postUrl, timeZone: config.timeZone ?? sites?.zoneOf(file) }),
        ),
      ];
      if (values.json) process.stdout.write(JSON.stringify(issues, null, 2) + '\n');
      else for (const i of issues) process.stdout.write(`${i.file}:${i.line}: ${i.code} ${i.message}\n`);
      return issues.length ? 1 : 0;
    },
  },
  schema: {
    usage: 'schema [--write|--check]   print the GraphQL SDL, write schema/schema.graphql, or check it',
    run: async (argv) => {
      const { values } = parseCommandArgs(argv, { write: { type: 'boolean' }, check: { type: 'boolean' } });
      const { schemaSdl, writeSchemaFile } = await graphqlSchema();
      const sdl = await schemaSdl();
      if (values.write) {
        writeSchemaFile(sdl);
        return 0;
      }
      if (values.check) {
        const current = fs.existsSync(SCHEMA_FILE) ? fs.readFileSync(SCHEMA_FILE, 'utf8') : '';
        if (current === sdl) return 0;
        process.stderr.write(`${SCHEMA_FILE} is stale: run \`npm run schema:emit\` and commit it\n`);
        return 1;
      }
      process.stdout.write(sdl);
      return 0;
    },
  },
  sync: {
    usage: "sync compact [--retain-days N] [--json]   compact the partners' change log (see README, Partners)",
    run: async (argv) => {
      const [action, ...rest] = argv;
      const { values } = parseCommandArgs(rest, { 'retain-days': { type: 'string' }, json: { type: 'boolean' } });
      if (action !== 'compact') throw new UsageError('sync needs an action: compact');
      const days = values['retain-days'] === undefined ? undefined : Number(values['retain-days']);
      if (days !== undefined && !(Number.isInteger(days) && days >= 0)) throw new UsageError('--retain-days takes a whole number of days, 0 or more');
      return withDatabase(async (dataSource) => {
        const result = await createServices(dataSource, loadConfig(), systemClock).syncLog.compact(days);
        process.stdout.write(values.json ? JSON.stringify(result) + '\n' : `dropped ${result.superseded} superseded and ${result.expired} expired change log entries\n`);
        return 0;
      });
    },
  },
};
