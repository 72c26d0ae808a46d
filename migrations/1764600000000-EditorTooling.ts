import { MigrationInterface, QueryRunner, Table, TableColumn, TableForeignKey, TableIndex } from 'typeorm';

/** API keys, post revisions, and soft deletion kept apart from the status. */
export class EditorTooling1764600000000 implements MigrationInterface {
  name = 'EditorTooling1764600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const dateType = queryRunner.connection.driver.normalizeType({ type: Date });
    if (queryRunner.connection.driver.options.type === 'postgres') {
      await queryRunner.addColumn('posts', new TableColumn({ name: 'deletedAt', type: dateType, isNullable: true }));
    } else {
      // TypeORM would rebuild the whole table on SQLite (and its cascades with it); a nullable
      // column is a plain ALTER TABLE there.
      await queryRunner.query(`ALTER TABLE "posts" ADD COLUMN "deletedAt" ${dateType}`);
    }
    await queryRunner.createTable(
      new Table({
        name: 'api_keys',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'name', type: 'varchar', length: '200' },
          { name: 'role', type: 'varchar', length: '16' },
          { name: 'hash', type: 'varchar', length: '64' },
          { name: 'createdAt', type: dateType },
          { name: 'revokedAt', type: dateType, isNullable: true },
        ],
        indices: [new TableIndex({ name: 'UQ_api_keys_hash', columnNames: ['hash'], isUnique: true })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'post_revisions',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'postId', type: 'integer' },
          { name: 'version', type: 'integer' },
          { name: 'createdAt', type: dateType },
          { name: 'actorKeyId', type: 'varchar', length: '36', isNullable: true },
          { name: 'actorName', type: 'varchar', length: '200' },
          { name: 'snapshot', type: 'text' },
        ],
        indices: [new TableIndex({ name: 'IDX_post_revisions_post', columnNames: ['postId', 'id'] })],
        foreignKeys: [new TableForeignKey({ columnNames: ['postId'], referencedTableName: 'posts', referencedColumnNames: ['id'], onDelete: 'CASCADE' })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('post_revisions');
    await queryRunner.dropTable('api_keys');
    if (queryRunner.connection.driver.options.type === 'postgres') await queryRunner.dropColumn('posts', 'deletedAt');
    else await queryRunner.query('ALTER TABLE "posts" DROP COLUMN "deletedAt"');
  }
}
