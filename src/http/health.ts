import type { Express } from 'express';
import type { DataSource } from 'typeorm';
import { DatabaseAvailability, withinMs } from '../db/availability';

/**
 * `GET /health`: the database answers a `SELECT 1` within a second (as before /health/ready existed).
 * `GET /health/live`: the process answers (a load balancer restarts it when not).
 * `GET /health/ready`: whether to send it traffic: the database answers within a second,
 * migrations are current, the process is not shutting down; Redis, when configured, only
 * degrades it (Kiji answers without it). 503 when not ready; never hangs.
 */

export const READINESS_TIMEOUT_MS = 1000;

export interface ReadinessSources {
  dataSource: DataSource;
  /** A cheap read of the tables that serve requests (the content state). */
  probe(): Promise<unknown>;
  availability: DatabaseAvailability;
  redisState(): 'ok' | 'degraded' | 'off';
  draining(): boolean;
}

export interface Readiness {
  status: 'ok' | 'degraded' | 'unavailable';
  checks: {
    database: 'ok' | 'unavailable';
    migrations: 'ok' | 'pending' | 'unknown';
    redis: 'ok' | 'unavailable' | 'off';
    draining: boolean;
  };
}

export function readinessCheck(sources: ReadinessSources): () => Promise<Readiness> {
  let running: Promise<boolean> | undefined;
  let migrationsCurrent = false;
  // Probes from several balancers share one statement; a frozen database gets one at a time.
  const databaseAnswers = () =>
    (running ??= withinMs(sources.probe(), READINESS_TIMEOUT_MS)
      .then(
        () => (sources.availability.reportSuccess(), true),
        (error) => (sources.availability.report(error), false),
      )
      .finally(() => (running = undefined)));
  // This process migrated the schema it knows at start-up; once seen current, it stays so.
  const migrations = async (): Promise<Readiness['checks']['migrations']> => {
    if (migrationsCurrent) return 'ok';
    try {
      migrationsCurrent = !(await withinMs(sources.dataSource.showMigrations(), READINESS_TIMEOUT_MS));
      return migrationsCurrent ? 'ok' : 'pending';
    } catch {
      return 'unknown';
    }
  };
  return async () => {
    const draining = sources.draining();
    const [database, migrationState] = await Promise.all([databaseAnswers(), migrations()]);
    const redis = sources.redisState();
    const checks: Readiness['checks'] = {
      database: database ? 'ok' : 'unavailable',
      migrations: migrationState,
      redis: redis === 'degraded' ? 'unavailable' : redis,
      draining,
    };
    const ready = database && migrationState === 'ok' && !draining;
    return { status: !ready ? 'unavailable' : redis === 'degraded' ? 'degraded' : 'ok', checks };
  };
}

export function mountHealthRoutes(app: Express, dataSource: DataSource, ready: () => Promise<Readiness>): void {
  // The original check, kept as it was for the monitors that use it, now bounded in time.
  app.get('/health', async (_req, res) => {
    try {
      await withinMs(dataSource.query('SELECT 1'), READINESS_TIMEOUT_MS);
      res.json({ status: 'ok' });
    } catch {
      res.status(503).json({ status: 'unavailable' });
    }
  });
  app.get('/health/live', (_req, res) => {
    res.setHeader('cache-control', 'no-store');
    res.json({ status: 'ok' });
  });
  app.get('/health/ready', async (_req, res) => {
    const readiness = await ready();
    res.setHeader('cache-control', 'no-store');
    res.status(readiness.status === 'unavailable' ? 503 : 200).json(readiness);
  });
}
