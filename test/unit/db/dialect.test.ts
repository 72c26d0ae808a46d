import type { DataSource } from 'typeorm';
import { chunks, parseUtcTimestamp, readTimestamp } from '../../../src/db/dialect';
import { PostgresDialect } from '../../../src/db/postgres-dialect';
import { SqliteDialect } from '../../../src/db/sqlite-dialect';

// Neither dialect touches its DataSource to write statement text.
const none = {} as DataSource;
const postgres = new PostgresDialect(none);
const sqlite = new SqliteDialect(none);

describe('the two dialects', () => {
  it('number PostgreSQL parameters and leave SQLite ones anonymous', () => {
    expect(postgres.param(2)).toBe('$2');
    expect(postgres.inList(3, 1)).toBe('$2, $3, $4');
    expect(postgres.valueTuples(2, 3)).toBe('($1, $2, $3), ($4, $5, $6)');
    expect(sqlite.param(2)).toBe('?');
    expect(sqlite.inList(3, 1)).toBe('?, ?, ?');
    expect(sqlite.valueTuples(2, 3)).toBe('(?, ?, ?), (?, ?, ?)');
  });

  it('pass a date as PostgreSQL takes it and as SQLite stores it', () => {
    const date = new Date('2024-05-01T09:30:00.250Z');
    expect(postgres.date(date)).toBe(date);
    expect(sqlite.date(date)).toBe('2024-05-01 09:30:00.250');
  });

  it('aggregate JSON arrays that are never null', () => {
    expect(postgres.jsonArray(`'id', t.id`, 'l.position')).toBe(`coalesce(json_agg(json_build_object('id', t.id) ORDER BY l.position), '[]'::json)`);
    expect(sqlite.jsonArray(`'id', t.id`, 'l.position')).toBe(`json_group_array(json_object('id', t.id) ORDER BY l.position)`);
  });
});

describe('UTC timestamps', () => {
  it('read the text both databases write as UTC, and respect a zone when there is one', () => {
    expect(parseUtcTimestamp('2024-05-01 09:30:00.250').toISOString()).toBe('2024-05-01T09:30:00.250Z');
    expect(parseUtcTimestamp('2024-05-01T09:30:00+02:00').toISOString()).toBe('2024-05-01T07:30:00.000Z');
    const date = new Date();
    expect(readTimestamp(date)).toBe(date);
    expect(readTimestamp(null)).toBeNull();
    expect(readTimestamp('2024-05-01 09:30:00')?.toISOString()).toBe('2024-05-01T09:30:00.000Z');
  });

  it("read every plain form as the engine's ISO parser reads it, and leave the rest to it", () => {
    const plain = ['2024-05-01 09:30:00', '2024-02-29T23:59:59.5', '1999-12-31 00:00:00.123456', '2024-05-01 09:30:00.9999', '0100-01-01 00:00:00'];
    for (const text of plain) expect(parseUtcTimestamp(text).toISOString()).toBe(new Date(`${text.replace(' ', 'T')}Z`).toISOString());
    // Forms the digit reader does not take: a zone, years Date.UTC would move, fields out of range, a stray character.
    expect(parseUtcTimestamp('2024-05-01 09:30:00Z').toISOString()).toBe('2024-05-01T09:30:00.000Z');
    expect(parseUtcTimestamp('0099-01-01 00:00:00').toISOString()).toBe('0099-01-01T00:00:00.000Z');
    for (const bad of ['2024-13-01 00:00:00', '2024-05-01 24:00:01', '2024-05-01 09:30:0x', '2024-05-01 09:30:00.'])
      expect(Number.isNaN(parseUtcTimestamp(bad).getTime())).toBe(true);
  });
});

describe('chunks', () => {
  it('splits a list into runs of at most the given size', () => {
    expect(chunks([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunks([], 2)).toEqual([]);
  });
});
