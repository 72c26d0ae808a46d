import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/**
 * The partners' change log and its floor (see src/entities/SyncLogEntry.ts). The log starts
 * empty: partners start with an initial sync, which reads the posts themselves.
 */
export class SyncLog1765000000000 implements MigrationInterface {
  name = 'SyncLog1765000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const dateType = queryRunner.connection.driver.normalizeType({ type: Date });
    await queryRunner.createTable(
      new Table({
        name: 'sync_log',
        columns: [
          { name: 'seq', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'txid', type: 'bigint' },
          { name: 'postId', type: 'integer' },
          { name: 'at', type: dateType },
        ],
        indices: [
          { name: 'IDX_sync_log_position', columnNames: ['txid', 'seq'] },
          { name: 'IDX_sync_log_post', columnNames: ['postId', 'txid', 'seq'] },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'sync_log_floor',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true },
          { name: 'txid', type: 'bigint' },
          { name: 'seq', type: 'integer' },
        ],
      }),
    );
    await queryRunner.query('INSERT INTO sync_log_floor (id, txid, seq) VALUES (1, 0, 0)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('sync_log_floor');
    await queryRunner.dropTable('sync_log');
  }
}
