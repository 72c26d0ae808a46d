import pino, { DestinationStream, Logger } from 'pino';
import type { LogLevel } from './config';

export type { Logger } from 'pino';

/**
 * Kiji's one logger: JSON lines (pino), one object per line, on stderr. Stderr, not stdout, so that
 * the commands that print results on stdout (`kiji import --json`, `kiji schema`) stay parseable
 * whatever the log level; a server's supervisor collects both streams anyway.
 *
 * `destination`: where lines go instead (tests read them from a stream of their own).
 */
export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'kiji' },
      // Epoch milliseconds (pino's own): an ISO string costs a Date and its formatting on every line.
      timestamp: pino.stdTimeFunctions.epochTime,
      // `"level":"warn"` rather than pino's numbers: readable by people and by log pipelines.
      formatters: { level: (label) => ({ level: label }) },
    },
    destination ?? pino.destination(2),
  );
}
