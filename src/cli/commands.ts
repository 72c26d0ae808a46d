import fs from 'node:fs';
import type { DataSource } from 'typeorm';
import { loadConfig, postUrlFor } from '../config';
import { openDatabase } from '../db/data-source';
import { schemaSdl, writeSchemaFile } from '../graphql/schema';
import { startHttpServer } from '../http/server';
import { SAMPLE_CONTENT_DIR, SCHEMA_FILE } from '../paths';
import { systemClock } from '../services/clock';
import { Importer, ImportSummary } from '../services/importer';
import { createServices } from '../services/registry';
import { lintSource } from '../content';
import { displayPath, listArticleFiles } from '../services/source-files';
import { parseCommandArgs, UsageError } from './args';
import { terminalProgress } from './progress';

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

function printSummary(summary: ImportSummary, json: boolean): void {
  if (json) {
    process.stdout.write(JSON.stringify(summary) + '\n');
    return;
  }
  for (const w of summary.warnings) process.stderr.write(`${w.file}: warning: ${w.message}\n`);
  for (const f of summary.failed) process.stderr.write(`${f.file}:${f.line}: ${f.message}\n`);
  process.stdout.write(
    `imported ${summary.imported}, updated ${summary.updated}, unchanged ${summary.unchanged}, failed ${summary.failed.length}\n`,
  );
}

async function serve(dataSource: DataSource): Promise<number> {
  const config = loadConfig();
  const services = createServices(dataSource, config, systemClock);
  const server = await startHttpServer(services, config.port);
  process.stdout.write(`Kiji serving ${server.url}\n`);
  const shutdown = async () => {
    await server.stop();
    await dataSource.destroy();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  return new Promise<number>(() => undefined);
}

export const COMMANDS: Record<string, { usage: string; run: Command }> = {
  serve: {
    usage: 'serve                      migrate, then serve GraphQL on $PORT',
    run: async () => {
      const config = loadConfig();
      return serve(await openDatabase(config.database, config.logLevel));
    },
  },
  start: {
    usage: 'start                      migrate, import content/sample when empty, serve',
    run: async () => {
      const config = loadConfig();
      const dataSource = await openDatabase(config.database, config.logLevel);
      const count = await dataSource.query('SELECT COUNT(*) AS n FROM posts');
      if (Number(count[0].n) === 0 && fs.existsSync(SAMPLE_CONTENT_DIR)) {
        const summary = await importer(dataSource).importPaths([SAMPLE_CONTENT_DIR]);
        printSummary(summary, false);
      }
      return serve(dataSource);
    },
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
    usage: 'import [--json] <file or folder>...   import Markdown posts (.md, .markdown, .txt)',
    run: async (argv) => {
      const { values, positionals } = parseCommandArgs(argv, { json: { type: 'boolean' } });
      if (positionals.length === 0) throw new UsageError('import needs at least one file or folder');
      return withDatabase(async (dataSource) => {
        const progress = values.json ? undefined : terminalProgress();
        const summary = await importer(dataSource).importPaths(positionals, progress);
        printSummary(summary, Boolean(values.json));
        return summary.failed.length ? 1 : 0;
      });
    },
  },
  keys: {
    usage: 'keys create --role <reader|partner|editor|admin> --name <label> [--json] | keys list [--json] | keys revoke <id>',
    run: async (argv) => {
      const [action, ...rest] = argv;
      const { values, positionals } = parseCommandArgs(rest, {
        role: { type: 'string' },
        name: { type: 'string' },
        json: { type: 'boolean' },
      });
      const print = (value: unknown, text: string) =>
        process.stdout.write(values.json ? JSON.stringify(value, null, 2) + '\n' : text);
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
          print(
            rows,
            rows.map((k) => `${k.id}  ${k.role.padEnd(7)}  ${k.revokedAt ? 'revoked' : 'active '}  ${k.name}\n`).join(''),
          );
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
  lint: {
    usage: 'lint [--json] <file or folder>...     report artifacts and problems without writing anything',
    run: async (argv) => {
      const { values, positionals } = parseCommandArgs(argv, { json: { type: 'boolean' } });
      if (positionals.length === 0) throw new UsageError('lint needs at least one file or folder');
      const postUrl = postUrlFor(loadConfig().postUrlTemplate);
      const issues = listArticleFiles(positionals).flatMap((file) =>
        lintSource({ path: displayPath(file), text: fs.readFileSync(file, 'utf8') }, { postUrl }),
      );
      if (values.json) process.stdout.write(JSON.stringify(issues, null, 2) + '\n');
      else for (const i of issues) process.stdout.write(`${i.file}:${i.line}: ${i.code} ${i.message}\n`);
      return issues.length ? 1 : 0;
    },
  },
  schema: {
    usage: 'schema [--write|--check]   print the GraphQL SDL, write schema/schema.graphql, or check it',
    run: async (argv) => {
      const { values } = parseCommandArgs(argv, { write: { type: 'boolean' }, check: { type: 'boolean' } });
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
};
