import { MigrationInterface, QueryRunner, Table, TableColumnOptions, TableForeignKey, TableIndex } from 'typeorm';

/*
 * One history for SQLite and PostgreSQL: tables are described with TypeORM's portable Table API,
 * and a `Date` column takes whatever type the running driver maps `Date` to (datetime on SQLite,
 * timestamp on PostgreSQL), exactly as the entities do, so `test/unit/db/schema-agreement` finds
 * no difference on either database.
 */

function id(): TableColumnOptions {
  return { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' };
}

function dateColumn(queryRunner: QueryRunner, name: string, isNullable: boolean): TableColumnOptions {
  return { name, type: queryRunner.connection.driver.normalizeType({ type: Date }), isNullable };
}

function named(table: string): Table {
  return new Table({
    name: table,
    columns: [
      id(),
      { name: 'slug', type: 'varchar', length: '200' },
      { name: 'name', type: 'varchar', length: '200' },
      ...(table === 'authors' ? [{ name: 'bio', type: 'text', isNullable: true }] : []),
    ],
    indices: [{ name: `UQ_${table}_slug`, columnNames: ['slug'], isUnique: true }],
  });
}

function link(table: string, otherColumn: string, otherTable: string): Table {
  return new Table({
    name: table,
    columns: [
      { name: 'postId', type: 'integer', isPrimary: true },
      { name: otherColumn, type: 'integer', isPrimary: true },
      { name: 'position', type: 'integer' },
    ],
    indices: [{ name: `IDX_${table}_${otherTable === 'categories' ? 'category' : otherTable.slice(0, -1)}`, columnNames: [otherColumn, 'postId'] }],
    foreignKeys: [
      new TableForeignKey({ columnNames: ['postId'], referencedTableName: 'posts', referencedColumnNames: ['id'], onDelete: 'CASCADE' }),
      new TableForeignKey({ columnNames: [otherColumn], referencedTableName: otherTable, referencedColumnNames: ['id'], onDelete: 'CASCADE' }),
    ],
  });
}

export class InitialSchema1764400000000 implements MigrationInterface {
  name = 'InitialSchema1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'posts',
        columns: [
          id(),
          { name: 'slug', type: 'varchar', length: '500' },
          { name: 'title', type: 'text' },
          { name: 'excerpt', type: 'text' },
          { name: 'bodyMarkdown', type: 'text' },
          { name: 'bodyHtml', type: 'text' },
          { name: 'headings', type: 'text' },
          { name: 'readingTimeMinutes', type: 'integer' },
          { name: 'language', type: 'varchar', length: '35' },
          { name: 'status', type: 'varchar', length: '16' },
          dateColumn(queryRunner, 'publishedAt', true),
          dateColumn(queryRunner, 'createdAt', false),
          dateColumn(queryRunner, 'updatedAt', false),
          { name: 'version', type: 'integer', default: 1 },
          { name: 'frontMatter', type: 'text' },
          { name: 'contentIssues', type: 'text' },
          { name: 'sourcePath', type: 'varchar', length: '1000', isNullable: true },
          { name: 'sourceHash', type: 'varchar', length: '64', isNullable: true },
        ],
        indices: [
          new TableIndex({ name: 'UQ_posts_slug', columnNames: ['slug'], isUnique: true }),
          new TableIndex({ name: 'UQ_posts_source_path', columnNames: ['sourcePath'], isUnique: true }),
          new TableIndex({ name: 'IDX_posts_feed', columnNames: ['status', 'publishedAt', 'id'] }),
          new TableIndex({ name: 'IDX_posts_title', columnNames: ['title', 'id'] }),
        ],
      }),
    );
    for (const table of ['authors', 'tags', 'categories']) await queryRunner.createTable(named(table));
    await queryRunner.createTable(link('post_authors', 'authorId', 'authors'));
    await queryRunner.createTable(link('post_tags', 'tagId', 'tags'));
    await queryRunner.createTable(link('post_categories', 'categoryId', 'categories'));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['post_categories', 'post_tags', 'post_authors', 'categories', 'tags', 'authors', 'posts']) {
      await queryRunner.dropTable(table);
    }
  }
}
