import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger, QueryRunner } from 'typeorm';
import { createLogger, Logger as PinoLogger } from '../log';

/**
 * Counts the SQL statements each unit of work (an HTTP request, a benchmark call) sends, so tests
 * and benchmarks can hold the loaders to a constant number of statements per page.
 */
export interface SqlTally {
  statements: number;
}

const tallies = new AsyncLocalStorage<SqlTally>();

export function withSqlTally<T>(work: () => T, tally: SqlTally = { statements: 0 }): T {
  return tallies.run(tally, work);
}

/** Runs shared work (not any one request's) without counting it against the current request. */
export function outsideSqlTally<T>(work: () => T): T {
  return tallies.exit(work);
}

export function currentSqlTally(): SqlTally | undefined {
  return tallies.getStore();
}

type Level = 'error' | 'warn' | 'info' | 'debug';
const RANK: Record<Level, number> = { error: 0, warn: 1, info: 2, debug: 3 };

/** TypeORM logger: counts every statement; prints statements only at `debug`, errors always. */
export class CountingLogger implements Logger {
  private readonly lines: PinoLogger;

  constructor(private readonly level: Level) {
    this.lines = createLogger(level);
  }

  logQuery(query: string, parameters?: unknown[], _queryRunner?: QueryRunner): void {
    const tally = tallies.getStore();
    if (tally) tally.statements += 1;
    if (RANK[this.level] >= RANK.debug) this.lines.debug({ sql: query, parameters }, 'sql');
  }

  logQueryError(error: string | Error, query: string, _parameters?: unknown[]): void {
    // Constraint violations are expected on some write paths and handled there; the caller decides.
    if (RANK[this.level] >= RANK.debug) this.lines.debug({ sql: query, error: String(error) }, 'sql error');
  }

  logQuerySlow(time: number, query: string): void {
    if (RANK[this.level] >= RANK.warn) this.lines.warn({ sql: query.slice(0, 200), durationMs: time }, 'slow sql');
  }

  logSchemaBuild(message: string): void {
    if (RANK[this.level] >= RANK.debug) this.lines.debug(message);
  }

  logMigration(message: string): void {
    if (RANK[this.level] >= RANK.debug) this.lines.debug(message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn' && RANK[this.level] >= RANK.warn) this.lines.warn(String(message));
  }
}
