/**
 * Publication dates as Jekyll writers actually type them. YAML is read with the `core` schema so
 * dates arrive here as the strings that were written; parsing them ourselves keeps the offset rules
 * explicit (hour-only offsets, a stray repeated year) instead of trusting a timestamp resolver.
 */
import { parseJekyllFileName } from './slug';

export interface ParsedDate {
  date: Date;
  /** Set when the value needed a lenient reading an editor may want to fix. */
  note?: string;
}

// date, optional time (T or space, seconds and fraction optional), optional repeated year
// (`2023-01-29 18:30:22 2023 -0800` exists in the wild), optional zone.
const DATE_RE =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?(?:\s+(\d{4}))?\s*(Z|UTC|GMT|[+-]\d{1,2}(?::?\d{2})?)?$/i;

function offsetMinutes(zone: string | undefined): number | null {
  if (!zone || /^(z|utc|gmt)$/i.test(zone)) return 0;
  const m = /^([+-])(\d{1,2})(?::?(\d{2}))?$/.exec(zone);
  if (!m) return null;
  const hours = Number(m[2]);
  const minutes = m[3] ? Number(m[3]) : 0;
  // `-0800` is matched as hours "08" + minutes "00"; a lone `-4` or `+09` is hours only.
  if (hours > 14 || minutes > 59) return null;
  return (m[1] === '-' ? -1 : 1) * (hours * 60 + minutes);
}

function utc(y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0): Date | null {
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 60) return null;
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, Math.min(s, 59), ms));
  // Date.UTC silently rolls 2019-02-30 into March; a date that does not round-trip is not a date.
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return date;
}

/** Parses a front-matter date value; null when it cannot be read as a date at all. */
export function parseDateValue(value: unknown): ParsedDate | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : { date: value };
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  const text = String(value).trim();
  const m = DATE_RE.exec(text);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac, repeatedYear, zone] = m;
  if (repeatedYear && repeatedYear !== y) return null;
  const offset = offsetMinutes(zone);
  if (offset === null) return null;
  const ms = frac ? Math.round(Number(`0.${frac}`) * 1000) : 0;
  const local = utc(Number(y), Number(mo), Number(d), h ? Number(h) : 0, mi ? Number(mi) : 0, s ? Number(s) : 0, ms);
  if (!local) return null;
  const date = new Date(local.getTime() - offset * 60_000);
  return repeatedYear ? { date, note: `date "${text}" repeats the year; read as ${date.toISOString()}` } : { date };
}

/** Midnight UTC of the `YYYY-M-D-` prefix of a Jekyll file name, else null. */
export function dateFromFileName(path: string): Date | null {
  const parsed = parseJekyllFileName(path);
  if (!parsed) return null;
  return utc(parsed.year, parsed.month, parsed.day);
}
