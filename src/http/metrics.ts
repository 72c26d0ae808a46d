import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Pool } from 'pg';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { pgPoolOf } from '../db/pg-pool';

/**
 * Kiji's Prometheus metrics. They are the process's (as Prometheus expects: one scrape target per
 * process), kept in a registry of Kiji's own rather than prom-client's global one. They are only
 * served when KIJI_METRICS_PORT is set, on a listener of their own (see startMetricsListener),
 * never on the public port; the per-request histograms are only kept from then on (they cost
 * about 3% of an uncached feed request), the counters of refusals always.
 *
 * Other parts of Kiji count through `metrics`: `metrics.rateLimited.inc()`,
 * `metrics.rejectedByCost.inc()`.
 */
export const registry = new Registry();

/** Operation names are chosen by clients: only this many distinct ones become label values. */
const MAX_OPERATION_LABELS = 100;

export const metrics = {
  requestDuration: new Histogram({
    name: 'kiji_graphql_request_duration_seconds',
    help: 'Time from receiving a /graphql request to the end of its answer, by operation name and outcome',
    labelNames: ['operation', 'outcome'] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  }),
  httpResponses: new Counter({
    name: 'kiji_http_responses_total',
    help: 'Answers by HTTP status, every path',
    labelNames: ['status'] as const,
    registers: [registry],
  }),
  responseCache: new Counter({
    name: 'kiji_response_cache_lookups_total',
    help: 'Whole-response cache lookups for anonymous reads, by result (hit, miss, or coalesced: served the answer an identical concurrent miss made)',
    labelNames: ['result'] as const,
    registers: [registry],
  }),
  /** Misses waiting for an identical miss to make their answer (single-flight.ts); kept whether or not metrics are served. */
  responseCacheWaiting: new Gauge({
    name: 'kiji_response_cache_waiting',
    help: 'Requests waiting for the answer an identical request (in this or another instance) is making',
    registers: [registry],
  }),
  sqlStatements: new Histogram({
    name: 'kiji_sql_statements_per_request',
    help: 'SQL statements one /graphql request sent',
    buckets: [0, 1, 2, 3, 5, 8, 13, 21, 34, 55, 100],
    registers: [registry],
  }),
  /** Requests refused by the rate limiter (RATE_LIMITED). */
  rateLimited: new Counter({
    name: 'kiji_rate_limited_total',
    help: 'Requests refused with RATE_LIMITED',
    registers: [registry],
  }),
  /** Operations refused by the static cost analysis before running (QUERY_TOO_COMPLEX). */
  rejectedByCost: new Counter({
    name: 'kiji_rejected_by_cost_total',
    help: 'Operations refused with QUERY_TOO_COMPLEX before running',
    registers: [registry],
  }),
};

export type Outcome = 'ok' | 'client_error' | 'server_error';

const operationLabels = new Set<string>();

/** The label for an operation name: `(none)` when it was never resolved, `(other)` past the bound. */
export function operationLabel(name: string | undefined): string {
  if (name === undefined) return '(none)';
  if (operationLabels.has(name)) return name;
  if (operationLabels.size >= MAX_OPERATION_LABELS) return '(other)';
  operationLabels.add(name);
  return name;
}

/** What the request log knows about a finished request, as far as metrics are concerned. */
export interface RequestFigures {
  graphql: boolean;
  status: number;
  durationMs: number;
  operation?: string;
  outcome: Outcome;
  /** Absent when statements are not counted (KIJI_SQL_TALLY=off). */
  sqlStatements?: number;
  cache?: string;
}

/** Whether a metrics listener runs: the per-request figures are only worth their cost when served. */
let served = false;

export function observeRequest(figures: RequestFigures): void {
  if (!served) return;
  metrics.httpResponses.inc({ status: String(figures.status) });
  if (!figures.graphql) return;
  metrics.requestDuration.observe({ operation: operationLabel(figures.operation), outcome: figures.outcome }, figures.durationMs / 1000);
  if (figures.sqlStatements !== undefined) metrics.sqlStatements.observe(figures.sqlStatements);
  if (figures.cache === 'hit' || figures.cache === 'miss' || figures.cache === 'coalesced') metrics.responseCache.inc({ result: figures.cache });
}

/*
 * Connection pool gauges. pg's pool (PostgreSQL) says how many connections are open, idle and
 * awaited; SQLite has no pool (one connection, in this process), so it reports 0.
 */
const pools = new Set<Pool>();

function poolTotals(): { inUse: number; waiting: number } {
  let inUse = 0;
  let waiting = 0;
  for (const pool of pools) {
    inUse += pool.totalCount - pool.idleCount;
    waiting += pool.waitingCount;
  }
  return { inUse, waiting };
}

new Gauge({
  name: 'kiji_db_pool_in_use',
  help: 'Database connections checked out of the pool (PostgreSQL; 0 on SQLite)',
  registers: [registry],
  collect() {
    this.set(poolTotals().inUse);
  },
});
new Gauge({
  name: 'kiji_db_pool_waiting',
  help: 'Queries waiting for a free pooled connection (PostgreSQL; 0 on SQLite)',
  registers: [registry],
  collect() {
    this.set(poolTotals().waiting);
  },
});

/** Reports the data source's pool in the gauges until the returned function is called. */
export function watchDatabasePool(dataSource: DataSource): () => void {
  const pool = pgPoolOf(dataSource);
  if (!pool) return () => undefined;
  pools.add(pool);
  return () => void pools.delete(pool);
}

let defaultMetricsStarted = false;

export interface MetricsListener {
  url: string;
  close(): Promise<void>;
}

/**
 * Serves `GET /metrics` on a listener of its own (127.0.0.1 unless told otherwise), so the public
 * port never exposes it. Process metrics (memory, GC, event-loop delay) are collected from here on.
 */
export async function startMetricsListener(port: number, host: string): Promise<MetricsListener> {
  if (!defaultMetricsStarted) {
    collectDefaultMetrics({ register: registry });
    defaultMetricsStarted = true;
  }
  served = true;
  const server = http.createServer((req, res) => {
    const json = (status: number, code: string, message: string) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ errors: [{ message, extensions: { code } }] }));
    };
    if (req.url?.split('?')[0] !== '/metrics') return json(404, 'NOT_FOUND', 'Only /metrics is served here');
    if (req.method !== 'GET' && req.method !== 'HEAD') return json(405, 'METHOD_NOT_ALLOWED', 'Use GET');
    registry.metrics().then(
      (text) => {
        res.writeHead(200, { 'content-type': registry.contentType });
        res.end(text);
      },
      () => json(500, 'INTERNAL_SERVER_ERROR', 'Metrics could not be collected'),
    );
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${actual}/metrics`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
