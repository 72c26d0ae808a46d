import { openDatabase } from '../../../src/db/data-source';
import { createTestDatabase, describeEachDatabase } from '../../support/databases';

/*
 * The change log's migration can be undone, with what came after it, and redone on both
 * databases (test/unit/db/schema-agreement only undoes the last migration of all).
 */

describeEachDatabase('the SyncLog migration', (kind) => {
  it('is undone down to before the change log, with a log in it, and redone to the schema the entities describe', async () => {
    const database = await createTestDatabase(kind);
    const dataSource = await openDatabase(database.config, 'error');
    try {
      await dataSource.query('INSERT INTO sync_log (txid, "postId", at) VALUES (1, 1, CURRENT_TIMESTAMP)');
      const hasTable = async (name: string) => {
        const runner = dataSource.createQueryRunner();
        try {
          return await runner.hasTable(name);
        } finally {
          await runner.release();
        }
      };
      const undone: string[] = [];
      while (await hasTable('sync_log')) {
        const [last]: { name: string }[] = await dataSource.query('SELECT name FROM migrations ORDER BY timestamp DESC LIMIT 1');
        undone.push(last.name);
        await dataSource.undoLastMigration({ transaction: 'each' });
      }
      expect(undone[undone.length - 1]).toBe('SyncLog1765000000000');
      expect(await hasTable('sync_log_floor')).toBe(false);

      await dataSource.runMigrations({ transaction: 'each' });
      expect((await dataSource.driver.createSchemaBuilder().log()).upQueries.map((q) => q.query)).toEqual([]);
      expect(await dataSource.query('SELECT id, txid, seq FROM sync_log_floor')).toEqual([{ id: 1, txid: kind === 'postgres' ? '0' : 0, seq: 0 }]);
      expect(await dataSource.query('SELECT seq FROM sync_log')).toEqual([]);
    } finally {
      await dataSource.destroy();
      await database.drop();
    }
  });
});
