import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/**
 * PostgreSQL: the ids of the posts whose search document matches a query, always read through
 * the GIN index. For a common term the planner prefers a sequential scan, which has to
 * decompress every post's document (~0.4 s at 100,000 posts), where the index alone answers in
 * milliseconds. The setting holds inside the function only.
 *
 * Both: a partial index of the deleted posts, so that the few of them are found without reading
 * every post (a search's count leaves out the posts a reader may not see). Partial, so that no
 * planner takes it for `deletedAt IS NULL`, which is nearly every post.
 */
export class SearchMatches1764800000000 implements MigrationInterface {
  name = 'SearchMatches1764800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex('posts', new TableIndex({ name: 'IDX_posts_deleted', columnNames: ['deletedAt'], where: '"deletedAt" IS NOT NULL' }));
    if (queryRunner.connection.driver.options.type !== 'postgres') return;
    await queryRunner.query(`
      CREATE FUNCTION kiji_search_matches(query tsquery) RETURNS SETOF integer
      LANGUAGE sql STABLE PARALLEL SAFE ROWS 10000 SET enable_seqscan = off
      AS $$ SELECT "postId" FROM post_search WHERE document @@ query $$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('posts', 'IDX_posts_deleted');
    if (queryRunner.connection.driver.options.type !== 'postgres') return;
    await queryRunner.query('DROP FUNCTION kiji_search_matches(tsquery)');
  }
}
