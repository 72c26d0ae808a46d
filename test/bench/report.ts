/**
 * The tables `npm run bench` prints: every run in detail, one summary per database (each server
 * and worker count against PostGraphile 5 and the raw baseline with as many workers), and growth.
 */
import { fmt, table } from './common';
import type { Db } from './archives';
import type { CaseName } from './queries';

export interface Result {
  size: number;
  db: Db;
  system: string;
  mode: 'uncached' | 'cached' | 'raw';
  /** Server processes answering: 1, or N node:cluster workers. */
  workers: number;
  case: CaseName;
  connections: number;
  duration: number;
  rps: number;
  p50: number;
  p99: number;
  sqlPerRequest: number | null;
  sqlMax: number | null;
  bytesPerResponse: number;
  /** VmHWM summed over the server's processes (primary and workers). */
  serverPeakMb: number | null;
  cpu: { serverPct: number; postgresPct: number; loadgenPct: number; foreignPct: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  check: string | null;
  rounds: number;
}

export const PGL_SYSTEM = 'postgraphile 5';
export const RAW_SYSTEM = 'raw baseline';

export function ratio(a: number | null | undefined, b: number | null | undefined): string {
  if (a == null || b == null || b === 0) return '–';
  return `${(a / b).toFixed(2)}×`;
}

function flagsOf(r: Result): string[] {
  return [
    r.check ? `CHECK: ${r.check}` : '',
    r.non2xx ? `${r.non2xx} non-2xx` : '',
    r.errors ? `${r.errors} errors` : '',
    r.timeouts ? `${r.timeouts} timeouts (>10 s)` : '',
    r.cpu.foreignPct > 25 ? 'noisy' : '',
  ].filter(Boolean);
}

const rawFor = (results: Result[], r: Result) =>
  results.find((b) => b.system === RAW_SYSTEM && b.db === r.db && b.case === r.case && b.size === r.size && b.workers === r.workers);

/** Every measured run: throughput, latency, statements, memory and CPU split, against the raw baseline with as many workers. */
export function printMain(results: Result[], log: (l: string) => void): void {
  const rows = results.map((r) => {
    const b = r.system === RAW_SYSTEM ? undefined : rawFor(results, r);
    return [
      r.system,
      r.mode,
      `×${r.workers}`,
      r.case,
      fmt(r.rps),
      b ? ratio(r.rps, b.rps) : r.system === RAW_SYSTEM ? '1.00×' : '–',
      fmt(r.p50),
      fmt(r.p99),
      b ? ratio(r.p99, b.p99) : '–',
      r.sqlPerRequest === null ? '–' : `${fmt(r.sqlPerRequest)}${r.sqlMax !== r.sqlPerRequest ? `–${r.sqlMax}` : ''}`,
      r.serverPeakMb === null ? '–' : fmt(r.serverPeakMb),
      `${r.cpu.serverPct}/${r.cpu.postgresPct}/${r.cpu.loadgenPct}/${r.cpu.foreignPct}`,
      flagsOf(r).join('; '),
    ];
  });
  log(table(['system', 'mode', 'proc', 'case', 'req/s', 'rps/base', 'p50 ms', 'p99 ms', 'p99/base', 'SQL/req', 'peak MB', 'CPU% srv/pg/gen/other', 'notes'], rows));
}

/** The row label of the summary: `Kiji uncached ×2`, `PG5 ×1`, `raw ×1`. */
function rowLabel(r: Result): string {
  if (r.system === PGL_SYSTEM) return `PG5 ×${r.workers}`;
  if (r.system === RAW_SYSTEM) return `raw ×${r.workers}`;
  return `Kiji ${r.mode} ×${r.workers}`;
}

/**
 * One table for one database: a row per server, mode and worker count; per case req/s, p99, and
 * req/s over PostGraphile 5's and the raw baseline's with the same number of workers.
 */
export function printSummary(results: Result[], db: Db, cases: CaseName[], log: (l: string) => void): void {
  const mine = results.filter((r) => r.db === db);
  if (!mine.length) return;
  // Kiji uncached ×1, cached ×1, uncached ×2, cached ×2, …, then PG5 ×1, ×2, then raw ×1, ×2.
  const rank = (r: Result) => (r.system === PGL_SYSTEM ? 1000 : r.system === RAW_SYSTEM ? 2000 : 0) + 2 * r.workers + Number(r.mode === 'cached');
  const labels = [...new Map(mine.map((r) => [rowLabel(r), r])).values()].sort((a, b) => rank(a) - rank(b));
  const rows = labels.map((first) => {
    const row = [rowLabel(first)];
    const notes: string[] = [];
    for (const kind of cases) {
      const r = mine.find((x) => rowLabel(x) === rowLabel(first) && x.case === kind);
      const pg = r && mine.find((x) => x.system === PGL_SYSTEM && x.case === kind && x.workers === r.workers);
      const raw = r && rawFor(mine, r);
      row.push(
        r ? fmt(r.rps) : '–',
        r ? fmt(r.p99) : '–',
        r && r.system !== PGL_SYSTEM ? ratio(r.rps, pg?.rps) : '–',
        r && r.system !== RAW_SYSTEM ? ratio(r.rps, raw?.rps) : '–',
      );
      if (r && flagsOf(r).length)
        notes.push(
          `${kind}: ${flagsOf(r)
            .map((f) => (f.startsWith('CHECK') ? 'CHECK' : f))
            .join(', ')}`,
        );
    }
    row.push(notes.join('; '));
    return row;
  });
  const header = ['server'];
  for (const kind of cases) header.push(`${kind} req/s`, 'p99 ms', '/PG5', '/raw');
  header.push('notes (CHECK: see the table above)');
  log(table(header, rows));
}

export function printGrowth(results: Result[], sizes: number[], log: (l: string) => void): void {
  const keys = [...new Set(results.map((r) => `${r.system}|${r.case}`))];
  const rows = keys.map((k) => {
    const [system, kind] = k.split('|');
    const at = (n: number) => results.find((r) => r.system === system && r.case === kind && r.size === n);
    const first = at(sizes[0]);
    const last = at(sizes[sizes.length - 1]);
    return [
      system,
      kind,
      ...sizes.map((n) => (at(n) ? `${fmt(at(n)!.rps)} / ${fmt(at(n)!.p99)}` : '–')),
      ...sizes.map((n) => (at(n)?.sqlPerRequest ?? '–').toString()),
      first && last ? ratio(last.rps, first.rps) : '–',
      sizes.flatMap((n) => (at(n) && flagsOf(at(n)!).length ? [`${fmt(n)}: ${flagsOf(at(n)!).join(', ')}`] : [])).join('; '),
    ];
  });
  log(
    table(
      [
        'system',
        'case',
        ...sizes.map((n) => `${fmt(n)}: req/s / p99`),
        ...sizes.map((n) => `SQL@${fmt(n)}`),
        `rps ${fmt(sizes[sizes.length - 1])} vs ${fmt(sizes[0])}`,
        'notes',
      ],
      rows,
    ),
  );
}
