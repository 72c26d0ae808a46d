import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * SQLite: the head of each post's search entry (its title, tags and excerpt tokens) in an FTS5
 * table of its own, as PostgreSQL has had since the SearchSpeed migration. Ranking reads it
 * alone: bm25 over the whole entry loads every body position of each ranked match (for a common
 * word, hundreds of them a post), and the title, tag and excerpt tiers walked the full position
 * lists of the body too, for every post that has the word, not just the ranked ones.
 *
 * Filled from the index itself (an fts5vocab table lists each token of each post with its column
 * and position), so nothing is tokenized again here. The vocabulary table walks every position of
 * the old index, body included: about a second per 1,000 posts. PostgreSQL has nothing to add.
 */
export class SearchHeadSqlite1765500000000 implements MigrationInterface {
  name = 'SearchHeadSqlite1765500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.driver.options.type === 'postgres') return;
    await queryRunner.query(
      `CREATE VIRTUAL TABLE post_search_head USING fts5(title, tags, excerpt, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 0')`,
    );
    await queryRunner.query(`CREATE VIRTUAL TABLE IF NOT EXISTS temp.post_search_positions USING fts5vocab(main, post_search, instance)`);
    // Tokens were written space-separated in order, so joined in position order they tokenize to the same head.
    const column = (name: string) => `group_concat(CASE WHEN col = '${name}' THEN term END, ' ' ORDER BY "offset")`;
    await queryRunner.query(
      `INSERT INTO post_search_head (rowid, title, tags, excerpt)
       SELECT doc, coalesce(${column('title')}, ''), coalesce(${column('tags')}, ''), coalesce(${column('excerpt')}, '')
       FROM temp.post_search_positions WHERE col <> 'body' GROUP BY doc`,
    );
    await queryRunner.query('DROP TABLE temp.post_search_positions');
    // One segment instead of the many a bulk insert leaves: ranking opens every segment for each of
    // its phrases (at 100,000 posts, half the cost of a search). Two seconds at that size.
    await queryRunner.query(`INSERT INTO post_search_head (post_search_head) VALUES ('optimize')`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.driver.options.type === 'postgres') return;
    await queryRunner.query('DROP TABLE post_search_head');
  }
}
