import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { dialectOf } from '../../../db/dialect';

/** Statement texts already built, by dialect, table, columns, row count and tail (a process may use both databases). */
const TEXTS = new Map<string, string>();

/**
 * Inserts rows of an entity as `manager.insert` would store them (each value serialized by
 * TypeORM's driver for its column: dates, JSON, booleans), in one statement whose text is built
 * once per table, columns and row count. TypeORM's query builder, run for every insert, cost more
 * CPU than the database did writing the rows (an import writes about ten per post). Every row has
 * the columns of the first; columns left out take their defaults. `tail` follows the VALUES
 * (`ON CONFLICT DO NOTHING`, `RETURNING id`). Returns what the driver answers (RETURNING's rows).
 */
export function insertRows<T extends ObjectLiteral>(manager: EntityManager, entity: EntityTarget<T>, rows: readonly Partial<T>[], tail = ''): Promise<unknown> {
  const metadata = manager.connection.getMetadata(entity);
  // A property set to undefined is a column left out, as manager.insert takes it: the column's default, not NULL.
  const keys = Object.keys(rows[0]).filter((key) => rows[0][key] !== undefined);
  const columns = keys.map((key) => {
    const column = metadata.findColumnWithPropertyName(key);
    if (!column) throw new Error(`${metadata.tableName} has no column for ${key}`);
    return column;
  });
  const dialect = dialectOf(manager);
  const textKey = `${dialect.kind}\0${metadata.tableName}\0${keys.join(',')}\0${rows.length}\0${tail}`;
  let text = TEXTS.get(textKey);
  if (text === undefined) {
    const names = columns.map((c) => `"${c.databaseName}"`).join(', ');
    text = `INSERT INTO "${metadata.tableName}" (${names}) VALUES ${dialect.valueTuples(rows.length, keys.length)}${tail ? ` ${tail}` : ''}`;
    TEXTS.set(textKey, text);
  }
  const driver = manager.connection.driver;
  const params = rows.flatMap((row) => columns.map((column, i) => driver.preparePersistentValue(row[keys[i]], column) as unknown));
  return manager.query(text, params);
}
