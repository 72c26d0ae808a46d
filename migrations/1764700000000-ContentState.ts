import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/** The content generation behind response-cache invalidation (see src/entities/ContentState.ts). */
export class ContentState1764700000000 implements MigrationInterface {
  name = 'ContentState1764700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'content_state',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true },
          { name: 'generation', type: 'integer' },
        ],
      }),
    );
    await queryRunner.query('INSERT INTO content_state (id, generation) VALUES (1, 1)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('content_state');
  }
}
