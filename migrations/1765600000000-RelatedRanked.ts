import { MigrationInterface, QueryRunner } from 'typeorm';

/*
 * Each post's related list in the order it is shown (score, best first, then id), so an article's
 * `related(first: 5)` reads the first visible five of its list and stops (services/posts/read/
 * statements.ts `relatedPosts`) instead of joining and sorting all twenty it keeps. The index holds
 * the related post's id, so the list is read from it alone. Score descending and id ascending: the
 * order shown, which an index of one direction cannot give without a sort of each score's ties.
 */
export class RelatedRanked1765600000000 implements MigrationInterface {
  name = 'RelatedRanked1765600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "IDX_related_posts_ranked" ON related_posts ("postId", score DESC, "relatedId")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_related_posts_ranked"`);
  }
}
