import pino, { DestinationStream, Logger } from 'pino';
import type { LogLevel } from './config';

export type { Logger } from 'pino';

const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

/** What stands in the log for a statement's parameters. */
export const REDACTED = '[redacted]';

/**
 * pino's error serializer, without the parameters of failed statements. It copies every property
 * of an error, and TypeORM's QueryFailedError carries the statement's `parameters` (its
 * `driverError` may too): the values written, such as a webhook endpoint's signing secret or a
 * post's body. The SQL text stays (it says what failed); the values do not, for every error.
 */
function serializeError(error: Error): unknown {
  return withoutParameters(pino.stdSerializers.err(error), 0);
}

function withoutParameters(value: unknown, depth: number): unknown {
  if (value === null || typeof value !== 'object' || depth > 4) return value;
  // pino serializes the errors an error carries, but not those of an `err` that is no error
  // itself (say `{ driverError }`): spread as they are, they would lose their message and stack.
  const plain = value instanceof Error ? pino.stdSerializers.err(value) : value;
  const copy: Record<string, unknown> = { ...(plain as Record<string, unknown>) };
  if ('parameters' in copy) copy.parameters = REDACTED;
  for (const key of ['driverError', 'cause', 'originalError']) if (key in copy) copy[key] = withoutParameters(copy[key], depth + 1);
  return copy;
}

/**
 * Kiji's one logger: JSON lines (pino), one object per line, on stderr. Stderr, not stdout, so that
 * the commands that print results on stdout (`kiji import --json`, `kiji schema`) stay parseable
 * whatever the log level; a server's supervisor collects both streams anyway.
 *
 * Lines are written asynchronously: under load, the lines made while one write is under way go out
 * together in the next, instead of a system call per request; when the process exits (also on an
 * error) pino flushes what is left. A `kill -9` can lose the lines of the last moment, never data.
 * Should whatever reads stderr stall, lines beyond MAX_BUFFERED_BYTES are dropped rather than
 * held in memory without end (or, written synchronously, stalling every request).
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
      serializers: { err: serializeError },
    },
    destination ?? pino.destination({ dest: 2, sync: false, maxLength: MAX_BUFFERED_BYTES }),
  );
}
