import { MigrationInterface, QueryRunner, Table, TableForeignKey } from 'typeorm';

/*
 * Full-text search and related articles. The full-text index is the one place the two databases
 * differ: an FTS5 table on SQLite, a tsvector with a GIN index on PostgreSQL. Both store the
 * same tokens (`src/content/searchTokens.ts`), so both find the same posts.
 */
export class SearchAndRelated1764500000000 implements MigrationInterface {
  name = 'SearchAndRelated1764500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const cascade = (column: string) => new TableForeignKey({ columnNames: [column], referencedTableName: 'posts', referencedColumnNames: ['id'], onDelete: 'CASCADE' });
    await queryRunner.createTable(
      new Table({
        name: 'post_terms',
        columns: [
          { name: 'postId', type: 'integer', isPrimary: true },
          { name: 'term', type: 'varchar', length: '64', isPrimary: true },
          { name: 'weight', type: 'double precision' },
        ],
        indices: [{ name: 'IDX_post_terms_term', columnNames: ['term', 'postId'] }],
        foreignKeys: [cascade('postId')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'term_stats',
        columns: [
          { name: 'term', type: 'varchar', length: '64', isPrimary: true },
          { name: 'df', type: 'integer' },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'related_posts',
        columns: [
          { name: 'postId', type: 'integer', isPrimary: true },
          { name: 'relatedId', type: 'integer', isPrimary: true },
          { name: 'score', type: 'double precision' },
        ],
        indices: [{ name: 'IDX_related_posts_related', columnNames: ['relatedId'] }],
        foreignKeys: [cascade('postId'), cascade('relatedId')],
      }),
    );
    if (queryRunner.connection.driver.options.type === 'postgres') {
      await queryRunner.query(`CREATE TABLE post_search ("postId" integer PRIMARY KEY REFERENCES posts(id) ON DELETE CASCADE, document tsvector NOT NULL)`);
      await queryRunner.query(`CREATE INDEX "IDX_post_search_document" ON post_search USING GIN (document)`);
    } else {
      // Contentless: the posts table has the text; rowid is the post id.
      await queryRunner.query(
        `CREATE VIRTUAL TABLE post_search USING fts5(title, tags, excerpt, body, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 0')`,
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE post_search');
    for (const table of ['related_posts', 'term_stats', 'post_terms']) await queryRunner.dropTable(table);
  }
}
