/**
 * Publication dates as people and generators write them. YAML is read with the `core` schema so
 * dates arrive here as the strings that were written. ISO 8601 and Jekyll's forms are read here
 * (their offsets are odd: hour-only `-4`, a stray repeated year); every other form by luxon
 * (dateForms.ts). A time without an offset is in the site's time zone, as Jekyll reads it.
 */
import { DateTime, FixedOffsetZone, IANAZone, Zone } from 'luxon';
import { readOtherForms } from './dateForms';
import { parseJekyllFileName } from './slug';

export type DateIssueCode = 'DATE_REPAIRED' | 'DATE_WEEKDAY_MISMATCH' | 'DATE_UNREADABLE' | 'DATE_AMBIGUOUS' | 'DATE_OUTSIDE_ERA';

/** A date read from a value, or none; `issue` says what an editor may want to fix. */
export type DateReading =
  | { date: Date; issue?: { code: 'DATE_REPAIRED' | 'DATE_WEEKDAY_MISMATCH'; message: string } }
  | { date: null; issue: { code: 'DATE_UNREADABLE' | 'DATE_AMBIGUOUS' | 'DATE_OUTSIDE_ERA'; message: string } };

/** True for a name luxon (and so the platform's Intl) knows, e.g. `Asia/Tokyo` or `UTC`. */
export function isTimeZone(name: string): boolean {
  return IANAZone.isValidZone(name);
}

function zoneOf(timeZone: string | undefined): Zone {
  return timeZone ? IANAZone.create(timeZone) : FixedOffsetZone.utcInstance;
}

// date, optional time (T or space, seconds and fraction optional), optional repeated year
// (`2023-01-29 18:30:22 2023 -0800` exists in the wild), optional zone.
const DATE_RE =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?(?:\s+(\d{4}))?\s*(Z|UTC|GMT|JST|[+-]\d{1,2}(?::?\d{2})?)?$/i;

function offsetZone(zone: string): Zone | null {
  if (/^(z|utc|gmt)$/i.test(zone)) return FixedOffsetZone.utcInstance;
  if (/^jst$/i.test(zone)) return FixedOffsetZone.instance(540);
  const m = /^([+-])(\d{1,2})(?::?(\d{2}))?$/.exec(zone);
  if (!m) return null;
  const hours = Number(m[2]);
  const minutes = m[3] ? Number(m[3]) : 0;
  // `-0800` is matched as hours "08" + minutes "00"; a lone `-4` or `+09` is hours only.
  if (hours > 14 || minutes > 59) return null;
  return FixedOffsetZone.instance((m[1] === '-' ? -1 : 1) * (hours * 60 + minutes));
}

/** Calendar fields in a zone; `24:00` is the end of the day (ISO 8601); impossible dates are null. */
function instant(zone: Zone, year: number, month: number, day: number, hour = 0, minute = 0, second = 0, millisecond = 0): Date | null {
  const endOfDay = hour === 24 && minute === 0 && second === 0 && millisecond === 0;
  const local = DateTime.fromObject(
    { year, month, day, hour: endOfDay ? 0 : hour, minute, second: Math.min(second, 59), millisecond },
    { zone },
  );
  if (!local.isValid) return null;
  return (endOfDay ? local.plus({ days: 1 }) : local).toJSDate();
}

function readIso(text: string, siteZone: Zone): DateReading | null {
  const m = DATE_RE.exec(text);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac, repeatedYear, zoneText] = m;
  if (repeatedYear && repeatedYear !== y) return null;
  const zone = zoneText ? offsetZone(zoneText) : siteZone;
  if (!zone) return null;
  const ms = frac ? Math.round(Number(`0.${frac}`) * 1000) : 0;
  const date = instant(zone, Number(y), Number(mo), Number(d), h ? Number(h) : 0, mi ? Number(mi) : 0, s ? Number(s) : 0, ms);
  if (!date) return null;
  if (!repeatedYear) return { date };
  return { date, issue: { code: 'DATE_REPAIRED', message: `date "${text}" repeats the year; read as ${date.toISOString()}` } };
}

/** Reads a front-matter date value in the site's time zone (UTC when none is given). */
export function parseDateValue(value: unknown, timeZone?: string): DateReading {
  const unreadable = (shown: string): DateReading => ({
    date: null,
    issue: { code: 'DATE_UNREADABLE', message: `cannot read date ${JSON.stringify(shown)}` },
  });
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? unreadable(String(value)) : { date: value };
  if (typeof value !== 'string' && typeof value !== 'number') return unreadable(JSON.stringify(value) ?? String(value));
  const written = String(value).trim();
  const siteZone = zoneOf(timeZone);
  // Full-width digits, colons, parentheses and spaces (２０１７年４月３０日) become ASCII first.
  const text = written.normalize('NFKC').replace(/\s+/g, ' ');
  const iso = readIso(text, siteZone);
  if (iso) return iso;
  const other = readOtherForms(text, siteZone);
  if (!other) return unreadable(written);
  if (other.date === null) return { date: null, issue: { code: other.code, message: other.message } };
  const date = other.date.toJSDate();
  if (!other.weekdayMismatch) return { date };
  const weekday = other.date.setLocale('en-US').toFormat('cccc');
  return {
    date,
    issue: { code: 'DATE_WEEKDAY_MISMATCH', message: `date "${written}" names the wrong weekday (${other.date.toISODate()} is a ${weekday}); read as ${date.toISOString()}` },
  };
}

/** Midnight, in the site's time zone, of the `YYYY-M-D-` prefix of a Jekyll file name, else null. */
export function dateFromFileName(path: string, timeZone?: string): Date | null {
  const parsed = parseJekyllFileName(path);
  if (!parsed) return null;
  return instant(zoneOf(timeZone), parsed.year, parsed.month, parsed.day);
}
