/**
 * The date forms people and generators write besides ISO 8601 and Jekyll's: RFC 2822, English
 * month names, Japanese 年月日 (eras included), `YYYY/M/D`, and numeric day/month forms. The parsing
 * is luxon's (its format tokens, locales and zones); this file says which forms exist, tidies a
 * value so that one format covers its spellings, and turns Japanese era years into Gregorian ones.
 */
import { DateTime, FixedOffsetZone, Zone } from 'luxon';

/** What reading a non-ISO value gave: a date, maybe with a remark, or why there is none. */
export type FormReading =
  | { date: DateTime; weekdayMismatch: boolean }
  | { date: null; code: 'DATE_AMBIGUOUS' | 'DATE_OUTSIDE_ERA'; message: string }
  | null;

interface Form {
  format: string;
  locale: string;
}

/** Every combination of the parts, in order; `glue` goes between non-empty parts. */
function combine(locale: string, glue: string, ...parts: string[][]): Form[] {
  const formats = parts.reduce<string[]>(
    (acc, options) => acc.flatMap((head) => options.map((part) => (part && head ? `${head}${glue}${part}` : head + part))),
    [''],
  );
  return formats.map((format) => ({ format, locale }));
}

const CLOCK = ['', 'H:mm', 'H:mm:ss', 'H:mm:ss.SSS'];
const CLOCK_12H = ['h:mm a', 'h:mm:ss a', 'h a'];

// Japanese text has no spaces between its parts once tidied; weekday as (日), (日曜), (日曜日).
const JAPANESE = combine(
  'ja',
  '',
  ["yyyy'年'M'月'd'日'"],
  ['', "'('EEE')'", "'('EEE'曜)'", "'('EEEE')'"],
  [...CLOCK, "H'時'", "H'時'm'分'", "H'時'm'分's'秒'", "ah'時'", "ah'時'm'分'", 'ah:mm'],
);

// Commas are dropped while tidying, so `April 30, 2017` and `Sunday, 30 April 2017` both fit.
const ENGLISH = combine('en-US', ' ', ['', 'EEEE', 'EEE'], ['MMMM d yyyy', 'MMM d yyyy', 'd MMMM yyyy', 'd MMM yyyy'], [...CLOCK, ...CLOCK_12H]);

const YEAR_FIRST = [
  ...combine('ja', '', ['yyyy/M/d'], ["'('EEE')'"], CLOCK),
  ...combine('en-US', ' ', ['yyyy/M/d'], [...CLOCK, ...CLOCK_12H]),
];
const DAY_FIRST = combine('en-US', ' ', ['d/M/yyyy'], [...CLOCK, ...CLOCK_12H]);
const MONTH_FIRST = combine('en-US', ' ', ['M/d/yyyy'], [...CLOCK, ...CLOCK_12H]);

/** Japanese eras since the Gregorian calendar was adopted: first and last day, in local dates. */
const ERAS: Record<string, { first: string; last: string }> = {
  明治: { first: '1868-01-25', last: '1912-07-29' },
  大正: { first: '1912-07-30', last: '1926-12-24' },
  昭和: { first: '1926-12-25', last: '1989-01-07' },
  平成: { first: '1989-01-08', last: '2019-04-30' },
  令和: { first: '2019-05-01', last: '9999-12-31' },
};
const ERA_YEAR = /^(明治|大正|昭和|平成|令和)(元|\d{1,2})年/;

/** A trailing zone written after the time: `Z`, `UTC`, `JST`, `+0900`, `+09:00`, `UTC+9`. */
const NAMED_ZONE = /(?:\s+|(?<=\d))(Z|UTC|GMT|JST|KST)$/i;
// A signed offset only after a space or a time, so that `30-04-1210` is never read as `-12:10`.
const SIGNED_OFFSET = /(?:\s+|(?<=:\d\d))(?:UTC|GMT)?([+-])(\d{2}):?(\d{2})$|\s+(?:UTC|GMT)([+-])(\d{1,2})$/i;
const NAMED_OFFSETS: Record<string, number> = { Z: 0, UTC: 0, GMT: 0, JST: 540, KST: 540 };

export function splitTrailingZone(text: string): { text: string; zone: Zone | null } {
  const named = NAMED_ZONE.exec(text);
  if (named) return { text: text.slice(0, named.index).trim(), zone: FixedOffsetZone.instance(NAMED_OFFSETS[named[1].toUpperCase()]) };
  const signed = SIGNED_OFFSET.exec(text);
  if (!signed) return { text, zone: null };
  const sign = signed[1] ?? signed[4];
  const hours = Number(signed[2] ?? signed[5]);
  const minutes = Number(signed[3] ?? 0);
  if (hours > 14 || minutes > 59) return { text, zone: null };
  const offset = (sign === '-' ? -1 : 1) * (hours * 60 + minutes);
  return { text: text.slice(0, signed.index).trim(), zone: FixedOffsetZone.instance(offset) };
}

function tryForms(text: string, forms: Form[], zone: Zone): { date: DateTime; weekdayMismatch: boolean } | null {
  for (const { format, locale } of forms) {
    const date = DateTime.fromFormat(text, format, { locale, zone });
    if (date.isValid) return { date, weekdayMismatch: false };
    if (date.invalidReason === 'mismatched weekday') {
      // The numbers are the date; a weekday that contradicts them is a slip worth a warning.
      const { weekday: _ignored, ...fields } = DateTime.fromFormatExplain(text, format, { locale, zone }).result as Record<string, number>;
      const fixed = DateTime.fromObject(fields, { zone });
      if (fixed.isValid) return { date: fixed, weekdayMismatch: true };
    }
  }
  return null;
}

function readJapanese(text: string, zone: Zone): FormReading {
  const compact = text.replace(/\s+/g, '');
  const era = ERA_YEAR.exec(compact);
  if (!era) return tryForms(compact, JAPANESE, zone);
  const [, name, yearText] = era;
  const range = ERAS[name];
  const year = Number(range.first.slice(0, 4)) - 1 + (yearText === '元' ? 1 : Number(yearText));
  const read = tryForms(`${year}年${compact.slice(era[0].length)}`, JAPANESE, zone);
  if (!read) return null;
  const day = read.date.toISODate()!;
  if (day < range.first || day > range.last) {
    return { date: null, code: 'DATE_OUTSIDE_ERA', message: `${name}${yearText}年 gives ${day}, outside ${name} (${range.first} to ${range.last === '9999-12-31' ? 'today' : range.last})` };
  }
  return read;
}

function readEnglish(text: string, zone: Zone): FormReading {
  const tidy = text
    .replace(/,/g, ' ')
    .replace(/\b(\d{1,2})(?:st|nd|rd|th)\b/gi, '$1')
    .replace(/\b(Sept)\b\.?/i, 'Sep')
    .replace(/([A-Za-z]{3,})\./g, '$1')
    .replace(/\s+at\s+/i, ' ')
    .replace(/(?<=[A-Za-z])-(?=\d)|(?<=\d)-(?=[A-Za-z])/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return tryForms(tidy, ENGLISH, zone);
}

function readNumeric(text: string, zone: Zone): FormReading {
  const tidy = text.replace(/\s*([()])\s*/g, '$1');
  const yearFirst = /^(\d{4})[/.](\d{1,2})[/.](\d{1,2})/.exec(tidy);
  if (yearFirst) {
    const slashed = `${yearFirst[1]}/${yearFirst[2]}/${yearFirst[3]}${tidy.slice(yearFirst[0].length)}`;
    return tryForms(slashed, YEAR_FIRST, zone);
  }
  const dayOrMonth = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})/.exec(tidy);
  if (!dayOrMonth) return null;
  const slashed = `${dayOrMonth[1]}/${dayOrMonth[2]}/${dayOrMonth[3]}${tidy.slice(dayOrMonth[0].length)}`;
  const dayFirst = tryForms(slashed, DAY_FIRST, zone);
  const monthFirst = tryForms(slashed, MONTH_FIRST, zone);
  if (dayFirst && monthFirst && dayFirst.date.toMillis() !== monthFirst.date.toMillis()) {
    const [a, b] = [dayFirst, monthFirst].map((r) => r.date.toFormat('d MMMM yyyy', { locale: 'en-US' }));
    return {
      date: null,
      code: 'DATE_AMBIGUOUS',
      message: `"${text}" could be ${a} (day first) or ${b} (month first); write it as ${dayFirst.date.toISODate()} or ${monthFirst.date.toISODate()}`,
    };
  }
  return dayFirst ?? monthFirst;
}

/**
 * Reads a value that is not ISO 8601 or Jekyll's form; `text` is NFKC-normalized (full-width
 * digits and punctuation made ASCII). Times without a zone are in `siteZone`. Null: no form fits.
 */
export function readOtherForms(text: string, siteZone: Zone): FormReading {
  const rfc2822 = DateTime.fromRFC2822(text, { zone: siteZone });
  if (rfc2822.isValid) return { date: rfc2822, weekdayMismatch: false };
  const { text: rest, zone } = splitTrailingZone(text);
  const at = zone ?? siteZone;
  if (rest.includes('年')) return readJapanese(rest, at);
  if (/^\d/.test(rest) && !/[A-Za-z]{3}/.test(rest)) return readNumeric(rest, at);
  if (/[A-Za-z]{3}/.test(rest)) return readEnglish(rest, at);
  return null;
}
