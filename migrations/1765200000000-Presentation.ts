import { MigrationInterface, QueryRunner, Table, TableColumn, TableColumnOptions, TableForeignKey, TableIndex } from 'typeorm';

/**
 * What apps render (issue 15): a post's cover image and SEO fields, author profiles and term
 * descriptions, pages, the old slugs and `redirect_from` paths that keep old links alive, and
 * preview links to unpublished posts (src/entities/{Post,Author,Tag,Category,Page,PostRedirect,PreviewLink}.ts).
 */
export class Presentation1765200000000 implements MigrationInterface {
  name = 'Presentation1765200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const dateType = queryRunner.connection.driver.normalizeType({ type: Date });
    const booleanType = queryRunner.connection.driver.normalizeType({ type: 'boolean' });
    // Each database spells the entity's `default: false` its own way (SQLite keeps booleans as 0 and 1).
    const noindex: TableColumnOptions = { name: 'noindex', type: booleanType, default: queryRunner.connection.driver.options.type === 'postgres' ? false : 0 };
    await queryRunner.addColumns('posts', [
      new TableColumn({ name: 'coverImage', type: 'text', isNullable: true }),
      new TableColumn({ name: 'seo', type: 'text', isNullable: true }),
      new TableColumn(noindex),
    ]);
    await queryRunner.addColumns('authors', [
      new TableColumn({ name: 'avatarUrl', type: 'varchar', length: '2000', isNullable: true }),
      new TableColumn({ name: 'links', type: 'text', isNullable: true }),
    ]);
    for (const table of ['tags', 'categories']) await queryRunner.addColumn(table, new TableColumn({ name: 'description', type: 'text', isNullable: true }));

    await queryRunner.createTable(
      new Table({
        name: 'post_old_slugs',
        columns: [
          { name: 'slug', type: 'varchar', length: '500', isPrimary: true },
          { name: 'postId', type: 'integer' },
          { name: 'retiredAt', type: dateType },
        ],
        indices: [new TableIndex({ name: 'IDX_post_old_slugs_post', columnNames: ['postId'] })],
        foreignKeys: [new TableForeignKey({ columnNames: ['postId'], referencedTableName: 'posts', referencedColumnNames: ['id'], onDelete: 'CASCADE' })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'post_redirects',
        columns: [
          { name: 'path', type: 'varchar', length: '1000', isPrimary: true },
          { name: 'postId', type: 'integer' },
        ],
        indices: [new TableIndex({ name: 'IDX_post_redirects_post', columnNames: ['postId'] })],
        foreignKeys: [new TableForeignKey({ columnNames: ['postId'], referencedTableName: 'posts', referencedColumnNames: ['id'], onDelete: 'CASCADE' })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'pages',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'slug', type: 'varchar', length: '500' },
          { name: 'path', type: 'varchar', length: '1000', isNullable: true },
          { name: 'title', type: 'text' },
          { name: 'excerpt', type: 'text' },
          { name: 'bodyMarkdown', type: 'text' },
          { name: 'bodyHtml', type: 'text' },
          { name: 'headings', type: 'text' },
          { name: 'language', type: 'varchar', length: '35' },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'frontMatter', type: 'text' },
          { name: 'coverImage', type: 'text', isNullable: true },
          { name: 'seo', type: 'text', isNullable: true },
          { ...noindex },
          { name: 'createdAt', type: dateType },
          { name: 'updatedAt', type: dateType },
          { name: 'sourcePath', type: 'varchar', length: '1000', isNullable: true },
          { name: 'sourceHash', type: 'varchar', length: '64', isNullable: true },
        ],
        indices: [
          new TableIndex({ name: 'UQ_pages_slug', columnNames: ['slug'], isUnique: true }),
          new TableIndex({ name: 'UQ_pages_source_path', columnNames: ['sourcePath'], isUnique: true }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'preview_links',
        columns: [
          { name: 'id', type: 'varchar', length: '40', isPrimary: true },
          { name: 'postId', type: 'integer' },
          { name: 'hash', type: 'varchar', length: '64' },
          { name: 'createdAt', type: dateType },
          { name: 'expiresAt', type: dateType },
          { name: 'revokedAt', type: dateType, isNullable: true },
          { name: 'createdBy', type: 'varchar', length: '200' },
        ],
        indices: [
          new TableIndex({ name: 'UQ_preview_links_hash', columnNames: ['hash'], isUnique: true }),
          new TableIndex({ name: 'IDX_preview_links_post', columnNames: ['postId'] }),
        ],
        foreignKeys: [new TableForeignKey({ columnNames: ['postId'], referencedTableName: 'posts', referencedColumnNames: ['id'], onDelete: 'CASCADE' })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['preview_links', 'pages', 'post_redirects', 'post_old_slugs']) await queryRunner.dropTable(table);
    for (const table of ['tags', 'categories']) await queryRunner.dropColumn(table, 'description');
    await queryRunner.dropColumns('authors', ['avatarUrl', 'links']);
    await queryRunner.dropColumns('posts', ['coverImage', 'seo', 'noindex']);
  }
}
