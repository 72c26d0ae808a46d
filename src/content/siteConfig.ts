/**
 * The one setting Kiji takes from a Jekyll site's `_config.yml`: `timezone`, the zone Jekyll reads
 * dates in when they carry no offset. Everything else in that file is the site generator's business.
 */
import { parse } from 'yaml';
import { isTimeZone } from './dates';
import type { ContentIssue } from './types';

export const SITE_CONFIG_FILE = '_config.yml';

export interface SiteSettings {
  timeZone?: string;
  issues: ContentIssue[];
}

export function readSiteConfig(file: string, text: string): SiteSettings {
  const lineOf = (key: string) => {
    const index = text.split('\n').findIndex((l) => new RegExp(`^${key}\\s*:`).test(l));
    return index < 0 ? 1 : index + 1;
  };
  let data: unknown;
  try {
    data = parse(text, { schema: 'core' });
  } catch (error) {
    const line = (error as { linePos?: { line: number }[] }).linePos?.[0]?.line ?? 1;
    return { issues: [{ file, line, code: 'SITE_CONFIG_UNREADABLE', message: `${file} is not valid YAML; dates without an offset are read as UTC` }] };
  }
  const timezone = data && typeof data === 'object' ? (data as Record<string, unknown>).timezone : undefined;
  if (timezone === undefined || timezone === null || timezone === '') return { issues: [] };
  if (typeof timezone === 'string' && isTimeZone(timezone)) return { timeZone: timezone, issues: [] };
  return {
    issues: [{
      file,
      line: lineOf('timezone'),
      code: 'BAD_TIMEZONE',
      message: `timezone ${JSON.stringify(timezone)} is not an IANA time zone (e.g. Asia/Tokyo); dates without an offset are read as UTC`,
    }],
  };
}
