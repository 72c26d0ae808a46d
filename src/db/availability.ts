/**
 * Whether the database can answer, as last seen. A request that finds it unreachable marks it
 * down; from then on requests that need it are refused at once (503) instead of each waiting for
 * a connection timeout, and one probe a second finds out when it is back. Cached anonymous
 * answers keep being served meanwhile (response-cache.ts).
 */

/** Errors that say "the database cannot be reached or did not answer", not "this statement is wrong". */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
// 08xxx: connection exceptions; 57P01-57P03: the server is shutting down or starting up; 53300: too many connections.
const UNREACHABLE_SQLSTATE = /^(08...|57P0[123]|53300)$/;
const UNREACHABLE_MESSAGE =
  /timeout exceeded when trying to connect|Connection terminated|Query read timeout|Client has encountered a connection error|database did not answer/i;

/** PostgreSQL's `statement_timeout` (57014) and SQLite's busy timeout: the database is there but too slow or locked. */
const TIMED_OUT_CODES = new Set(['57014', 'SQLITE_BUSY', 'SQLITE_LOCKED']);

function codesOf(error: unknown): { code?: unknown; driverCode?: unknown; message: string } {
  const e = error as { code?: unknown; driverError?: { code?: unknown }; message?: unknown } | null;
  return { code: e?.code, driverCode: e?.driverError?.code, message: typeof e?.message === 'string' ? e.message : '' };
}

export function isDatabaseUnreachable(error: unknown): boolean {
  const { code, driverCode, message } = codesOf(error);
  for (const c of [code, driverCode]) {
    if (typeof c === 'string' && (UNREACHABLE_CODES.has(c) || UNREACHABLE_SQLSTATE.test(c))) return true;
  }
  return UNREACHABLE_MESSAGE.test(message);
}

export function isDatabaseTimeout(error: unknown): boolean {
  const { code, driverCode } = codesOf(error);
  return [code, driverCode].some((c) => typeof c === 'string' && TIMED_OUT_CODES.has(c));
}

/** Either of the above: the client should retry later (503), nothing is wrong with its request. */
export function isDatabaseUnavailable(error: unknown): boolean {
  return isDatabaseUnreachable(error) || isDatabaseTimeout(error);
}

/** Rejects with an unreachable-class error when `work` takes longer than `ms`. */
export function withinMs<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`database did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export class DatabaseAvailability {
  private down = false;
  private probing: NodeJS.Timeout | undefined;
  private stopped = false;

  /**
   * `probe` is a cheap statement bounded in time; `log` reports the outage and the recovery, once each.
   * `probeEveryMs`: how often an unreachable database is tried again.
   */
  constructor(
    private readonly probe: () => Promise<unknown>,
    private readonly log: (message: string, error?: unknown) => void,
    private readonly probeEveryMs = 1000,
  ) {}

  get available(): boolean {
    return !this.down;
  }

  /** Looks at a failed database call: an unreachable database is marked down until a probe succeeds. */
  report(error: unknown): void {
    if (this.down || this.stopped || !isDatabaseUnreachable(error)) return;
    this.down = true;
    this.log('database unreachable: refusing requests that need it, serving cached answers', error);
    this.scheduleProbe();
  }

  /** A call that reached the database proves it is back. */
  reportSuccess(): void {
    if (!this.down) return;
    this.down = false;
    clearTimeout(this.probing);
    this.probing = undefined;
    this.log('database reachable again');
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.probing);
  }

  private scheduleProbe(): void {
    if (this.stopped) return;
    this.probing = setTimeout(() => {
      this.probe().then(
        () => this.reportSuccess(),
        () => this.down && this.scheduleProbe(),
      );
    }, this.probeEveryMs);
    // A probe never keeps the process alive on its own.
    this.probing.unref();
  }
}
