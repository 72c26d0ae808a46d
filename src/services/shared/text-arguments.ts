import { badInput } from './errors';

/*
 * Text a client sends that reaches SQL as a parameter. PostgreSQL's text cannot hold U+0000 (it
 * refuses the statement), SQLite stores it; no slug, name or query has a use for it. It is refused
 * here, where arguments are read, so both databases answer the same BAD_USER_INPUT naming the
 * argument or input field.
 */

const NUL = '\u0000';

/** Refuses `value` (or any entry of it) holding U+0000; `name` is the argument's path, e.g. `filter.tags`. */
export function requirePlainText(value: string | readonly string[] | null | undefined, name: string, key: 'argument' | 'field' = 'argument'): void {
  if (value == null) return;
  if (typeof value === 'string') {
    if (value.includes(NUL)) throw badInput(`\`${name}\` must not contain the NUL character (U+0000)`, { [key]: name });
    return;
  }
  value.forEach((entry, i) => requirePlainText(entry, `${name}[${i}]`, key));
}

/** The text arguments of a post filter (`posts(filter:)`). */
export function requirePlainFilter(filter: {
  query?: string | null;
  tag?: string | null;
  tags?: readonly string[] | null;
  category?: string | null;
  author?: string | null;
}): void {
  for (const name of ['query', 'tag', 'tags', 'category', 'author'] as const) requirePlainText(filter[name], `filter.${name}`);
}
