import { types } from 'pg';
import { plainUtcTimestamp } from './dialect';

/*
 * Kiji keeps timestamps as UTC in `timestamp without time zone` columns. pg's own parser for
 * that type reads them as local time through a general-purpose date parser; reading them as UTC
 * with the engine's ISO parser is both what the columns mean and several times faster (a feed
 * of 20 posts parses about a hundred of them).
 */

const TIMESTAMP_OID: number = types.builtins.TIMESTAMP;
// pg's typings give its parsers as `any`; the text parser of `timestamp` takes the column's text.
const parseLocalTimestamp = types.getTypeParser(types.builtins.TIMESTAMP, 'text') as (text: string) => unknown;

function parseTimestamp(text: string): Date {
  // Anything else (infinity, BC years) goes to pg's parser.
  return plainUtcTimestamp(text) ?? (parseLocalTimestamp(text) as Date);
}

/** Type parsers for Kiji's PostgreSQL pool: pg's own, but for `timestamp`. */
export const kijiPgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary'): unknown {
    if (oid === TIMESTAMP_OID && format !== 'binary') return parseTimestamp;
    return format === 'binary' ? types.getTypeParser(oid, 'binary') : types.getTypeParser(oid, 'text');
  },
};
