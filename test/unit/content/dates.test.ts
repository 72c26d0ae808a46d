import { parseDateValue, dateFromFileName } from '../../../src/content';
import { readSiteConfig } from '../../../src/content/siteConfig';
import { DATE_FORMS } from '../../support/date-forms';
import { stringMatching } from '../../support/matchers';
import { codes, lint, prep, source } from './helpers';

const iso = (v: unknown) => parseDateValue(v).date?.toISOString() ?? null;

describe('dates as people write them', () => {
  it.each(DATE_FORMS.map((f) => [f.written, f.zone ?? 'UTC', f.stored, f.warning ?? '-'] as const))(
    '%s in %s → %s (%s)',
    (written, zone, stored, warning) => {
      const reading = parseDateValue(written, zone);
      expect(reading.date?.toISOString() ?? null).toBe(stored);
      expect(reading.issue?.code ?? '-').toBe(warning);
    },
  );

  it('says why an ambiguous or out-of-era date was not read', () => {
    expect(parseDateValue('04/05/2017').issue?.message).toBe(
      '"04/05/2017" could be 4 May 2017 (day first) or 5 April 2017 (month first); write it as 2017-05-04 or 2017-04-05',
    );
    expect(parseDateValue('平成31年5月1日').issue?.message).toMatch(/outside 平成 \(1989-01-08 to 2019-04-30\)/);
  });
});

describe('front-matter dates', () => {
  it.each([
    ['2025-12-25 13:03:19 +0000', '2025-12-25T13:03:19.000Z'],
    ['2014-11-05 10:48:22 -0800', '2014-11-05T18:48:22.000Z'],
    ['2015-03-17 14:00:00 -4', '2015-03-17T18:00:00.000Z'],
    ['2016-03-23 9:00:00 -4', '2016-03-23T13:00:00.000Z'],
    ['2016-05-11T09:00:00Z', '2016-05-11T09:00:00.000Z'],
    ['2016-05-11T09:00:00-04:00', '2016-05-11T13:00:00.000Z'],
    ['2016-05-11 09:00:00+09:00', '2016-05-11T00:00:00.000Z'],
    ['2016-05-11T09:00', '2016-05-11T09:00:00.000Z'],
    ['2016-05-11 09:00', '2016-05-11T09:00:00.000Z'],
    ['2021-03-01T10:20:30.500Z', '2021-03-01T10:20:30.500Z'],
    ['2016-05-11', '2016-05-11T00:00:00.000Z'],
    ['2016-5-1', '2016-05-01T00:00:00.000Z'],
  ])('%s → %s', (text, expected) => {
    expect(iso(text)).toBe(expected);
  });

  it('rejects impossible and non-date values', () => {
    expect(iso('2019-02-30')).toBeNull();
    expect(iso('2019-13-01')).toBeNull();
    expect(iso('yesterday')).toBeNull();
    expect(iso('2016-05-11 25:00:00')).toBeNull();
  });

  it('reads a stray repeated year and says so', () => {
    const parsed = parseDateValue('2023-01-29 18:30:22 2023 -0800');
    expect(parsed.date?.toISOString()).toBe('2023-01-30T02:30:22.000Z');
    expect(parsed.issue).toEqual({ code: 'DATE_REPAIRED', message: stringMatching(/repeats the year/) });
  });

  it('keeps quoted ISO strings as written (YAML does not turn them into local dates)', () => {
    expect(prep(source("title: T\ndate: '2016-05-11T09:00:00-04:00'")).publishedAt?.toISOString()).toBe('2016-05-11T13:00:00.000Z');
    expect(prep(source('title: T\ndate: 2016-05-11')).publishedAt?.toISOString()).toBe('2016-05-11T00:00:00.000Z');
  });
});

describe('date fallbacks', () => {
  it('uses the file name date, padded or not, at midnight UTC when there is no date key', () => {
    expect(dateFromFileName('_posts/2019-1-7-vimconf.md')?.toISOString()).toBe('2019-01-07T00:00:00.000Z');
    expect(dateFromFileName('_posts/2019-1-7-vimconf.md', 'Asia/Tokyo')?.toISOString()).toBe('2019-01-06T15:00:00.000Z');
    expect(prep(source('title: T'), 'blog/2019-1-7-vimconf.md').publishedAt?.toISOString()).toBe('2019-01-07T00:00:00.000Z');
  });

  it('reports an unparsable date with its line and falls back to the file name', () => {
    const text = source('title: T\nlayout: post\ndate: next tuesday');
    const a = prep(text, '2018-02-03-x.md');
    expect(a.publishedAt?.toISOString()).toBe('2018-02-03T00:00:00.000Z');
    const issue = a.contentIssues.find((i) => i.code === 'DATE_UNREADABLE');
    expect(issue?.line).toBe(4);
  });

  it('has a null date when neither front matter nor file name has one', () => {
    const a = prep(source('title: T\ndate: soon'), 'about.md');
    expect(a.publishedAt).toBeNull();
    expect(codes(lint(source('title: T'), 'about.md'))).toContain('NO_DATE');
  });
});

describe("a Jekyll site's _config.yml", () => {
  it('gives the time zone, or says why not with its line', () => {
    expect(readSiteConfig('_config.yml', 'title: x\ntimezone: Asia/Tokyo\n')).toEqual({ timeZone: 'Asia/Tokyo', issues: [] });
    expect(readSiteConfig('_config.yml', 'title: x\n')).toEqual({ issues: [] });
    expect(readSiteConfig('_config.yml', 'title: x\n\ntimezone: Tokyo/Japan\n').issues).toEqual([
      expect.objectContaining({ file: '_config.yml', line: 3, code: 'BAD_TIMEZONE' }),
    ]);
    expect(readSiteConfig('_config.yml', 'title: [x\n').issues[0].code).toBe('SITE_CONFIG_UNREADABLE');
  });
});
