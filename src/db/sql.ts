import type { DataSource, EntityManager } from 'typeorm';

/**
 * Raw SQL that runs on both databases: double-quoted identifiers work on both, only parameter
 * placeholders differ (`?` on SQLite, `$n` on PostgreSQL).
 */
export function isPostgres(source: DataSource | EntityManager): boolean {
  const dataSource = 'connection' in source ? source.connection : source;
  return dataSource.driver.options.type === 'postgres';
}

/** `rows` tuples of `width` placeholders each: `(?, ?), (?, ?)` or `($1, $2), ($3, $4)`. */
/** A timestamp as a query parameter: a Date for PostgreSQL, UTC text as SQLite stores it. */
export function sqlDate(source: DataSource | EntityManager, date: Date): Date | string {
  return isPostgres(source) ? date : date.toISOString().replace('T', ' ').replace('Z', '');
}

export function valueTuples(source: DataSource | EntityManager, rows: number, width: number): string {
  const pg = isPostgres(source);
  const tuples: string[] = [];
  for (let r = 0; r < rows; r++) {
    const cells: string[] = [];
    for (let c = 1; c <= width; c++) cells.push(pg ? `$${r * width + c}` : '?');
    tuples.push(`(${cells.join(', ')})`);
  }
  return tuples.join(', ');
}

/** `n` placeholders for an IN list, starting after `offset` earlier parameters. */
export function inList(source: DataSource | EntityManager, n: number, offset = 0): string {
  const pg = isPostgres(source);
  return Array.from({ length: n }, (_, i) => (pg ? `$${offset + i + 1}` : '?')).join(', ');
}

/** Splits work on long lists so no statement exceeds the databases' parameter limits. */
export function chunks<T>(items: readonly T[], size = 500): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
