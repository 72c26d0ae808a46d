import type { Socket } from 'node:net';
import { Pool } from 'pg';
import type { DataSource } from 'typeorm';

/**
 * The pg Pool behind a PostgreSQL DataSource, or null for any other database.
 *
 * This is the one place Kiji reaches into TypeORM's driver: its PostgreSQL driver keeps the pool
 * as `driver.master`, a field TypeORM does not document. Kiji needs the pool for two things
 * TypeORM cannot do: run a read as a named prepared statement (postgres-dialect.ts) and report
 * the pool's use in the metrics (http/metrics.ts). test/unit/db/pg-pool.test.ts fails when a
 * TypeORM upgrade moves or renames the field.
 */
export function pgPoolOf(dataSource: DataSource): Pool | null {
  if (dataSource.options.type !== 'postgres') return null;
  const master: unknown = (dataSource.driver as { master?: unknown }).master;
  return master instanceof Pool ? master : null;
}

/** What `answerWithin` reads of a pg Client: its socket, and whether a query is waiting on it (pg internals). */
interface ClientInternals {
  connection?: { stream?: Socket };
  _activeQuery?: unknown;
}

/**
 * Bounds how long a query may wait for a server that does not answer at all (frozen, partitioned),
 * which cannot enforce its own `statement_timeout`: a connection whose socket has carried nothing
 * for `ms` while a query waits on it is destroyed, which fails the query ("Connection terminated")
 * and takes the connection out of the pool. Installed as the pool's `onConnect`.
 *
 * Not pg's `query_timeout`, which arms a timer per query: measured on the article page, those
 * timers kept each query's rows reachable long enough to be promoted to the old generation (+50%
 * promoted bytes, +9% CPU per request). A socket's idle timeout is one timer per connection,
 * re-armed by its traffic without allocating. test/unit/db/pg-pool.test.ts fails if pg renames
 * the fields read here.
 */
export function answerWithin(ms: number): (client: unknown) => void {
  return (client) => {
    const internals = client as ClientInternals;
    const socket = internals.connection?.stream;
    if (!socket || typeof socket.setTimeout !== 'function') return;
    socket.setTimeout(ms);
    socket.on('timeout', () => {
      // An idle pooled connection is the pool's business (idleTimeoutMillis), not a silent server.
      if (internals._activeQuery) socket.destroy(new Error('database did not answer in time'));
    });
  };
}
