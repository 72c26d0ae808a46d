import { MigrationInterface, QueryRunner, Table, TableForeignKey } from 'typeorm';

/**
 * The durable to-do list of related-list refreshes (see src/entities/RelatedPending.ts): written
 * in the transaction of every post change, cleared in the transaction that writes the new lists.
 *
 * Posts imported before this migration may have lists that a killed import left empty; nothing
 * records which, so every post is marked once: the next import or start rebuilds the lists.
 */
export class RelatedPending1764900000000 implements MigrationInterface {
  name = 'RelatedPending1764900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'related_pending',
        columns: [{ name: 'postId', type: 'integer', isPrimary: true }],
        foreignKeys: [new TableForeignKey({ columnNames: ['postId'], referencedTableName: 'posts', referencedColumnNames: ['id'], onDelete: 'CASCADE' })],
      }),
    );
    await queryRunner.query('INSERT INTO related_pending ("postId") SELECT id FROM posts');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('related_pending');
  }
}
