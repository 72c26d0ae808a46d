import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';

/*
 * Term pages that cost the same for a tag with three posts and one with thirty thousand (issue 16):
 * - each link (post_authors, post_tags, post_categories) keeps `listedAt`, its post's publishedAt
 *   while the post is published and not deleted (else NULL), so a term's newest posts are one
 *   backward range of a partial index (term, listedAt, post) and never a sort of all of them;
 * - each term (authors, tags, categories) keeps `listedCount`, how many of its links are listed,
 *   so its post count is that less the few scheduled ones (listedAt still to come).
 * Both are written by the post write path (src/services/posts/write/statements.ts `replaceLinks`).
 */

const LINKS = [
  { table: 'post_authors', column: 'authorId', terms: 'authors', index: 'IDX_post_authors_listed' },
  { table: 'post_tags', column: 'tagId', terms: 'tags', index: 'IDX_post_tags_listed' },
  { table: 'post_categories', column: 'categoryId', terms: 'categories', index: 'IDX_post_categories_listed' },
];

export class TermPages1765300000000 implements MigrationInterface {
  name = 'TermPages1765300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const dateType = queryRunner.connection.driver.normalizeType({ type: Date });
    for (const { table, column, terms, index } of LINKS) {
      await queryRunner.addColumn(table, new TableColumn({ name: 'listedAt', type: dateType, isNullable: true }));
      // UPDATE … FROM: PostgreSQL and SQLite (3.33 and later) both read it.
      await queryRunner.query(
        `UPDATE ${table} AS l SET "listedAt" = p."publishedAt" FROM posts p ` +
          `WHERE p.id = l."postId" AND p.status = 'published' AND p."publishedAt" IS NOT NULL AND p."deletedAt" IS NULL`,
      );
      await queryRunner.createIndex(table, new TableIndex({ name: index, columnNames: [column, 'listedAt', 'postId'], where: '"listedAt" IS NOT NULL' }));
      await queryRunner.addColumn(terms, new TableColumn({ name: 'listedCount', type: 'integer', default: 0 }));
      await queryRunner.query(`UPDATE ${terms} SET "listedCount" = (SELECT COUNT(*) FROM ${table} l WHERE l."${column}" = ${terms}.id AND l."listedAt" IS NOT NULL)`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const { table, terms, index } of [...LINKS].reverse()) {
      await queryRunner.dropColumn(terms, 'listedCount');
      await queryRunner.dropIndex(table, index);
      await queryRunner.dropColumn(table, 'listedAt');
    }
  }
}
