import { openDatabase } from '../../../src/db/data-source';
import { createTestDatabase, describeEachDatabase } from '../../support/databases';

/*
 * The migrations are the schema's one history; the entities describe the same schema to
 * TypeORM. After running every migration, TypeORM must find nothing to change on either
 * database (the same check as `typeorm migration:generate --check`).
 */
describeEachDatabase('migrations and entities', (kind) => {
  it('agree: no pending schema change after all migrations ran', async () => {
    const database = await createTestDatabase(kind);
    const dataSource = await openDatabase(database.config, 'error');
    try {
      const pending = await dataSource.driver.createSchemaBuilder().log();
      expect(pending.upQueries.map((q) => q.query)).toEqual([]);
      expect(await dataSource.showMigrations()).toBe(false);
    } finally {
      await dataSource.destroy();
      await database.drop();
    }
  });

  it('can be undone and redone', async () => {
    const database = await createTestDatabase(kind);
    const dataSource = await openDatabase(database.config, 'error');
    try {
      await dataSource.undoLastMigration();
      expect(await dataSource.showMigrations()).toBe(true);
      await dataSource.runMigrations();
      expect((await dataSource.driver.createSchemaBuilder().log()).upQueries).toEqual([]);
    } finally {
      await dataSource.destroy();
      await database.drop();
    }
  });
});
