import type { DataSource, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { PageWindow } from '../../shared';

/*
 * The SQL text of the public reads, built once per shape. TypeORM writes a statement's text from
 * its query builder at every run (column lists, alias and property substitution with regular
 * expressions), about half a millisecond of a feed request's CPU, for a text that only changes with
 * the statement's shape: which read, which viewer scope, which columns, which cursors, the LIMIT.
 * The values still come from each request's query builder (a list's `:...ids` are expanded after
 * the text, so its length is no part of the shape).
 */

/**
 * Characters of text kept per database; past it, new shapes' texts are built per run as before.
 * The shapes the API meets are few; a client walking through every page size and number of terms
 * (a term page's union has one arm per term) could make thousands, some of tens of kilobytes.
 */
const MAX_KEPT_CHARS = 4_000_000;

/**
 * Under jest, a kept text is checked against the one TypeORM builds, so a shape key that forgets
 * something the text depends on fails the suites that use it instead of running another statement.
 */
const CHECK_TEXTS = process.env.NODE_ENV === 'test';

interface KeptTexts {
  byShape: Map<string, string>;
  chars: number;
}

/** Texts by shape, per DataSource: a process may hold a SQLite and a PostgreSQL one (tests). */
const byDataSource = new WeakMap<DataSource, KeptTexts>();

function textsOf(dataSource: DataSource): KeptTexts {
  let texts = byDataSource.get(dataSource);
  if (!texts) byDataSource.set(dataSource, (texts = { byShape: new Map<string, string>(), chars: 0 }));
  return texts;
}

/** The text of `shape`, built by `build` the first time (and under jest, every time, to compare). */
export function shapedText(dataSource: DataSource, shape: string, build: () => string): string {
  const texts = textsOf(dataSource);
  const kept = texts.byShape.get(shape);
  if (kept === undefined) {
    const text = build();
    if (texts.chars + text.length + shape.length <= MAX_KEPT_CHARS) {
      texts.byShape.set(shape, text);
      texts.chars += text.length + shape.length;
    }
    return text;
  }
  if (CHECK_TEXTS && build() !== kept) throw new Error(`The SQL text of shape ${shape} changed: its key misses something the text depends on`);
  return kept;
}

/**
 * Makes `qb` run with the text its shape had the first time, instead of writing it again: its
 * parameters (`getParameters`) are still its own. Call once the query builder is complete.
 */
export function withShapedText<T extends ObjectLiteral>(dataSource: DataSource, qb: SelectQueryBuilder<T>, shape: string): SelectQueryBuilder<T> {
  const build = qb.getQuery.bind(qb);
  const text = shapedText(dataSource, shape, build);
  qb.getQuery = () => text;
  return qb;
}

/** What of a page's window a statement's text depends on: the direction, which cursors are given, the LIMIT. */
export function windowShape(window: PageWindow): string {
  return `${window.direction}:${window.cursor != null ? 'c' : ''}${window.bound != null ? 'b' : ''}:${window.limit}`;
}
