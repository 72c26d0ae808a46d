import { badInput } from './errors';

/** Relay pagination arguments as clients send them. */
export interface PageArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

/** Which way to read, how many rows, and from which cursor. */
export interface PageWindow {
  direction: 'forward' | 'backward';
  limit: number;
  cursor: string | null;
  /** The other end's cursor (`before` when reading forward), if given. */
  bound: string | null;
}

export function pageWindow(args: PageArgs): PageWindow {
  for (const name of ['first', 'last'] as const) {
    const value = args[name];
    if (value != null && (value < 0 || value > MAX_PAGE_SIZE)) {
      throw badInput(`\`${name}\` must be between 0 and ${MAX_PAGE_SIZE}; got ${value}`, {
        argument: name,
        limit: MAX_PAGE_SIZE,
      });
    }
  }
  if (args.first != null && args.last != null) {
    throw badInput('Pass either `first` or `last`, not both', { argument: 'last' });
  }
  if (args.last != null) {
    return { direction: 'backward', limit: args.last, cursor: args.before ?? null, bound: args.after ?? null };
  }
  return {
    direction: 'forward',
    limit: args.first ?? DEFAULT_PAGE_SIZE,
    cursor: args.after ?? null,
    bound: args.before ?? null,
  };
}

export interface Page<T> {
  rows: T[];
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  /** The cursor that points at a row of this page (it may depend on more than the row, e.g. a search score). */
  cursorOf: (row: T) => string;
}

/**
 * Turns the rows read for a window (one more than asked, in reading order) into a page in
 * display order. The extra row only tells whether there is more in the reading direction.
 */
export function toPage<T>(window: PageWindow, fetched: T[], cursorOf: (row: T) => string): Page<T> {
  const more = fetched.length > window.limit;
  const rows = fetched.slice(0, window.limit);
  if (window.direction === 'forward') {
    return { rows, hasNextPage: more, hasPreviousPage: window.cursor != null, cursorOf };
  }
  return { rows: rows.reverse(), hasNextPage: window.cursor != null, hasPreviousPage: more, cursorOf };
}
