/**
 * The date strings people and generators write, with what Kiji must store for each: shared by the
 * parser's unit test and the import tests on both databases (`kiji import` and `importMarkdown`).
 * `zone` is the site's time zone; `stored` is the UTC instant, or null with the warning's code.
 */
export interface DateForm {
  written: string;
  zone?: 'Asia/Tokyo';
  stored: string | null;
  warning?: 'DATE_UNREADABLE' | 'DATE_AMBIGUOUS' | 'DATE_OUTSIDE_ERA' | 'DATE_WEEKDAY_MISMATCH';
}

export const DATE_FORMS: DateForm[] = [
  // ISO 8601 and Jekyll's forms, as before
  { written: '2017-04-30T10:00:00+09:00', stored: '2017-04-30T01:00:00.000Z' },
  { written: '2017-04-30T10:00:00Z', stored: '2017-04-30T10:00:00.000Z' },
  { written: '2017-04-30 10:00 +0900', stored: '2017-04-30T01:00:00.000Z' },
  { written: '2017-04-30 10:00 +09:00', stored: '2017-04-30T01:00:00.000Z' },
  { written: '2017-04-30 10:00 JST', stored: '2017-04-30T01:00:00.000Z' },
  { written: '2017-04-30 24:00', stored: '2017-05-01T00:00:00.000Z' },
  { written: '2016-02-29', stored: '2016-02-29T00:00:00.000Z' },
  { written: '2017-02-29', stored: null, warning: 'DATE_UNREADABLE' },
  // RFC 2822, as in RSS pubDate
  { written: 'Sun, 30 Apr 2017 10:00:00 +0900', stored: '2017-04-30T01:00:00.000Z' },
  { written: 'Sun, 30 Apr 2017 10:00:00 JST', stored: '2017-04-30T01:00:00.000Z' },
  { written: '30 Apr 2017 10:00 EDT', stored: '2017-04-30T14:00:00.000Z' },
  { written: 'Mon, 30 Apr 2017 10:00:00 +0900', stored: '2017-04-30T01:00:00.000Z', warning: 'DATE_WEEKDAY_MISMATCH' },
  // English month names, long and short, day or month first, weekday and time optional
  { written: 'April 30, 2017', stored: '2017-04-30T00:00:00.000Z' },
  { written: 'Apr 30, 2017', stored: '2017-04-30T00:00:00.000Z' },
  { written: '30 April 2017', stored: '2017-04-30T00:00:00.000Z' },
  { written: '30 Apr 2017', stored: '2017-04-30T00:00:00.000Z' },
  { written: 'april 30 2017', stored: '2017-04-30T00:00:00.000Z' },
  { written: 'April 30th, 2017', stored: '2017-04-30T00:00:00.000Z' },
  { written: 'Sunday, April 30, 2017 10:00 AM', stored: '2017-04-30T10:00:00.000Z' },
  { written: 'Sept. 5, 2017 9:30 PM', stored: '2017-09-05T21:30:00.000Z' },
  { written: 'February 29, 2016', stored: '2016-02-29T00:00:00.000Z' },
  { written: 'Monday, April 30, 2017', stored: '2017-04-30T00:00:00.000Z', warning: 'DATE_WEEKDAY_MISMATCH' },
  // Japanese 年月日, time, weekday, full-width digits, eras
  { written: '2017年4月30日', stored: '2017-04-30T00:00:00.000Z' },
  { written: '2017年4月30日 12:34', stored: '2017-04-30T12:34:00.000Z' },
  { written: '2017年4月30日 12時34分', stored: '2017-04-30T12:34:00.000Z' },
  { written: '2017年4月30日(日)', stored: '2017-04-30T00:00:00.000Z' },
  { written: '2017年4月30日（日） 午後3時', stored: '2017-04-30T15:00:00.000Z' },
  { written: '2017年4月30日 10:00 JST', stored: '2017-04-30T01:00:00.000Z' },
  { written: '２０１７年４月３０日 １２：３４', stored: '2017-04-30T12:34:00.000Z' },
  { written: '2016年2月29日', stored: '2016-02-29T00:00:00.000Z' },
  { written: '2017年2月29日', stored: null, warning: 'DATE_UNREADABLE' },
  { written: '2017年4月30日(月)', stored: '2017-04-30T00:00:00.000Z', warning: 'DATE_WEEKDAY_MISMATCH' },
  { written: '令和5年4月30日', stored: '2023-04-30T00:00:00.000Z' },
  { written: '令和元年5月1日', stored: '2019-05-01T00:00:00.000Z' },
  { written: '平成31年4月30日', stored: '2019-04-30T00:00:00.000Z' },
  { written: '平成31年5月1日', stored: null, warning: 'DATE_OUTSIDE_ERA' },
  { written: '平成元年1月8日', stored: '1989-01-08T00:00:00.000Z' },
  { written: '昭和64年1月7日', stored: '1989-01-07T00:00:00.000Z' },
  { written: '昭和64年1月8日', stored: null, warning: 'DATE_OUTSIDE_ERA' },
  // YYYY/M/D and YYYY.M.D, time optional
  { written: '2017/04/30', stored: '2017-04-30T00:00:00.000Z' },
  { written: '2017/4/30 9:05', stored: '2017-04-30T09:05:00.000Z' },
  { written: '2017.04.30', stored: '2017-04-30T00:00:00.000Z' },
  { written: '2017/4/30(日) 9:05', stored: '2017-04-30T09:05:00.000Z' },
  { written: '2017/04/30 24:00', stored: '2017-05-01T00:00:00.000Z' },
  // numeric day/month: read only when unambiguous
  { written: '30/04/2017', stored: '2017-04-30T00:00:00.000Z' },
  { written: '04/30/2017', stored: '2017-04-30T00:00:00.000Z' },
  { written: '05/05/2017', stored: '2017-05-05T00:00:00.000Z' },
  { written: '04/05/2017', stored: null, warning: 'DATE_AMBIGUOUS' },
  { written: 'next tuesday', stored: null, warning: 'DATE_UNREADABLE' },
  // without an offset, in the site's time zone; an offset written wins
  { written: '2017-04-30', zone: 'Asia/Tokyo', stored: '2017-04-29T15:00:00.000Z' },
  { written: '2017-04-30 10:00', zone: 'Asia/Tokyo', stored: '2017-04-30T01:00:00.000Z' },
  { written: 'April 30, 2017', zone: 'Asia/Tokyo', stored: '2017-04-29T15:00:00.000Z' },
  { written: '2017年4月30日 12時34分', zone: 'Asia/Tokyo', stored: '2017-04-30T03:34:00.000Z' },
  { written: '2017/4/30 9:05', zone: 'Asia/Tokyo', stored: '2017-04-30T00:05:00.000Z' },
  { written: '2017-04-30T10:00:00Z', zone: 'Asia/Tokyo', stored: '2017-04-30T10:00:00.000Z' },
  { written: 'Sun, 30 Apr 2017 10:00:00 +0900', zone: 'Asia/Tokyo', stored: '2017-04-30T01:00:00.000Z' },
];
