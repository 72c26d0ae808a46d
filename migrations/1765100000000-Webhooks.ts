import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';

/**
 * Signed webhooks: the endpoints admins register, the outbox of deliveries (written in the
 * transaction of each post change), each delivery's attempts, and the scheduled-publication
 * sweeper's mark (src/entities/Webhook*.ts).
 */
export class Webhooks1765100000000 implements MigrationInterface {
  name = 'Webhooks1765100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const dateType = queryRunner.connection.driver.normalizeType({ type: Date });
    await queryRunner.createTable(
      new Table({
        name: 'webhook_endpoints',
        columns: [
          { name: 'id', type: 'varchar', length: '40', isPrimary: true },
          { name: 'url', type: 'varchar', length: '2000' },
          { name: 'events', type: 'text' },
          { name: 'secret', type: 'varchar', length: '100' },
          { name: 'consecutiveFailures', type: 'integer', default: 0 },
          { name: 'disabledAt', type: dateType, isNullable: true },
          { name: 'disabledReason', type: 'varchar', length: '500', isNullable: true },
          { name: 'createdAt', type: dateType },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'webhook_deliveries',
        columns: [
          { name: 'id', type: 'varchar', length: '40', isPrimary: true },
          { name: 'endpointId', type: 'varchar', length: '40' },
          { name: 'eventType', type: 'varchar', length: '40' },
          { name: 'payload', type: 'text' },
          { name: 'state', type: 'varchar', length: '16' },
          { name: 'attempts', type: 'integer', default: 0 },
          { name: 'createdAt', type: dateType },
          { name: 'nextAttemptAt', type: dateType },
          { name: 'leaseOwner', type: 'varchar', length: '40', isNullable: true },
          { name: 'leaseUntil', type: dateType, isNullable: true },
          { name: 'deliveredAt', type: dateType, isNullable: true },
        ],
        indices: [
          new TableIndex({ name: 'IDX_webhook_deliveries_due', columnNames: ['state', 'nextAttemptAt'] }),
          new TableIndex({ name: 'IDX_webhook_deliveries_endpoint', columnNames: ['endpointId', 'createdAt'] }),
          new TableIndex({ name: 'IDX_webhook_deliveries_age', columnNames: ['state', 'createdAt'] }),
        ],
        foreignKeys: [new TableForeignKey({ columnNames: ['endpointId'], referencedTableName: 'webhook_endpoints', referencedColumnNames: ['id'], onDelete: 'CASCADE' })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'webhook_attempts',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'deliveryId', type: 'varchar', length: '40' },
          { name: 'attemptedAt', type: dateType },
          { name: 'statusCode', type: 'integer', isNullable: true },
          { name: 'latencyMs', type: 'integer' },
          { name: 'error', type: 'varchar', length: '500', isNullable: true },
        ],
        indices: [new TableIndex({ name: 'IDX_webhook_attempts_delivery', columnNames: ['deliveryId', 'id'] })],
        foreignKeys: [new TableForeignKey({ columnNames: ['deliveryId'], referencedTableName: 'webhook_deliveries', referencedColumnNames: ['id'], onDelete: 'CASCADE' })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'webhook_state',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true },
          { name: 'scheduledMark', type: dateType, isNullable: true },
        ],
      }),
    );
    await queryRunner.query('INSERT INTO webhook_state (id, "scheduledMark") VALUES (1, NULL)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('webhook_state');
    await queryRunner.dropTable('webhook_attempts');
    await queryRunner.dropTable('webhook_deliveries');
    await queryRunner.dropTable('webhook_endpoints');
  }
}
