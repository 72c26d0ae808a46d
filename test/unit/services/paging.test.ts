import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, pageWindow, toPage } from '../../../src/services/shared/paging';
import { refusal } from './refusal';

describe('page windows', () => {
  it('reads the first 20 forwards when no argument is given', () => {
    expect(DEFAULT_PAGE_SIZE).toBe(20);
    expect(pageWindow({})).toEqual({ direction: 'forward', limit: 20, cursor: null, bound: null });
    expect(pageWindow({ first: null, after: null, last: null, before: null })).toEqual(pageWindow({}));
  });

  it('reads forwards from `after` with `first`, and backwards from `before` with `last`, the other cursor bounding the page', () => {
    expect(pageWindow({ first: 5, after: 'A', before: 'B' })).toEqual({ direction: 'forward', limit: 5, cursor: 'A', bound: 'B' });
    expect(pageWindow({ last: 3, before: 'B', after: 'A' })).toEqual({ direction: 'backward', limit: 3, cursor: 'B', bound: 'A' });
    expect(pageWindow({ last: 3 })).toEqual({ direction: 'backward', limit: 3, cursor: null, bound: null });
  });

  it('accepts 0 to 100 and refuses anything else, naming the argument and the limit', () => {
    expect(MAX_PAGE_SIZE).toBe(100);
    expect(pageWindow({ first: 0 }).limit).toBe(0);
    expect(pageWindow({ last: 100 }).limit).toBe(100);
    expect(refusal(() => pageWindow({ first: 101 }))).toMatchObject({
      code: 'BAD_USER_INPUT',
      message: '`first` must be between 0 and 100; got 101',
      details: { argument: 'first', limit: 100 },
    });
    expect(refusal(() => pageWindow({ last: -1 }))).toMatchObject({
      code: 'BAD_USER_INPUT',
      message: '`last` must be between 0 and 100; got -1',
      details: { argument: 'last' },
    });
  });

  it('refuses `first` and `last` together', () => {
    expect(refusal(() => pageWindow({ first: 2, last: 2 }))).toMatchObject({
      code: 'BAD_USER_INPUT',
      message: 'Pass either `first` or `last`, not both',
      details: { argument: 'last' },
    });
  });
});

describe('pages from the rows read for a window', () => {
  const cursorOf = (row: number) => `c${row}`;

  it('reading forwards: keeps `limit` rows, and the extra row read says there is a next page', () => {
    const window = pageWindow({ first: 3 });
    const page = toPage(window, [1, 2, 3, 4], cursorOf);
    expect(page).toMatchObject({ rows: [1, 2, 3], hasNextPage: true, hasPreviousPage: false });
    expect(page.cursorOf(2)).toBe('c2');
    expect(toPage(window, [1, 2, 3], cursorOf)).toMatchObject({ rows: [1, 2, 3], hasNextPage: false });
    expect(toPage(window, [], cursorOf)).toMatchObject({ rows: [], hasNextPage: false, hasPreviousPage: false });
  });

  it('reading forwards from a cursor: there is a previous page', () => {
    expect(toPage(pageWindow({ first: 2, after: 'c1' }), [2, 3], cursorOf)).toMatchObject({ rows: [2, 3], hasNextPage: false, hasPreviousPage: true });
  });

  it('reading backwards: rows come out in display order, and the extra row says there is a previous page', () => {
    // Read nearest-first from `before`: 9, 8, 7 and one more.
    const page = toPage(pageWindow({ last: 3, before: 'c10' }), [9, 8, 7, 6], cursorOf);
    expect(page).toMatchObject({ rows: [7, 8, 9], hasPreviousPage: true, hasNextPage: true });
    expect(toPage(pageWindow({ last: 3 }), [3, 2, 1], cursorOf)).toMatchObject({ rows: [1, 2, 3], hasPreviousPage: false, hasNextPage: false });
  });
});
