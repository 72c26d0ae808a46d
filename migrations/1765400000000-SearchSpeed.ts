import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * PostgreSQL: what a search of a word found in half of 100,000 posts reads, made small.
 *
 * - The head of each post's search document (its title, tags and excerpt entries, weights A–C) in
 *   a table of its own. Ranking reads the head of each of the newest matches; read from the
 *   document, that decompressed a body's every position (8 kB on average) several times a match.
 * - A recency token in every document, `#n` for the posts with ids n·1024 to n·1024+1023, so that
 *   the GIN index itself finds the newest matches (`kiji_search_window`) without fetching every
 *   match to sort them by id. No query token can look like it: query tokens are letters and digits.
 *
 * Existing documents get their token here (rewritten without their GIN index, then indexed
 * again at once, far faster than row by row); the head is derived from them, so nothing is
 * tokenized again. SQLite has nothing to add: FTS5 walks a match's rowids newest first by itself.
 */
export class SearchSpeed1765400000000 implements MigrationInterface {
  name = 'SearchSpeed1765400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.driver.options.type !== 'postgres') return;
    await queryRunner.query(`CREATE TABLE post_search_head ("postId" integer PRIMARY KEY REFERENCES posts(id) ON DELETE CASCADE, head tsvector NOT NULL)`);
    await queryRunner.query(`INSERT INTO post_search_head ("postId", head) SELECT "postId", ts_filter(document, '{a,b,c}') FROM post_search`);
    await queryRunner.query('DROP INDEX "IDX_post_search_document"');
    await queryRunner.query(`UPDATE post_search SET document = document || CAST('''#' || ("postId" >> 10) || '''' AS tsvector)`);
    await queryRunner.query(`CREATE INDEX "IDX_post_search_document" ON post_search USING GIN (document)`);
    await queryRunner.query('ANALYZE post_search, post_search_head');
    // The newest `k` matches: ever wider runs of the newest recency tokens (2, 8, 32 of them)
    // until a run holds k matches; past that, every match. Past the newest id (read from the
    // primary key), bitmap scans only: an id-ordered index scan would test (and decompress) each
    // document in turn. Both settings hold inside the function only (its SET clauses). PARALLEL
    // RESTRICTED: set_config is refused inside a parallel worker.
    await queryRunner.query(`
      CREATE FUNCTION kiji_search_window(query tsquery, k integer) RETURNS SETOF integer
      LANGUAGE plpgsql STABLE PARALLEL RESTRICTED ROWS 1000 SET enable_seqscan = off SET enable_indexscan = on
      AS $$
      DECLARE
        newest integer := (SELECT max("postId") FROM post_search) >> 10;
        span integer := 2;
        recent tsquery;
        ids integer[];
      BEGIN
        PERFORM set_config('enable_indexscan', 'off', true);
        WHILE newest IS NOT NULL AND span <= 32 AND newest - span >= 0 LOOP
          SELECT CAST(string_agg('''#' || b || '''', ' | ') AS tsquery) INTO recent FROM generate_series(newest - span + 1, newest) b;
          SELECT array_agg(id) INTO ids FROM (
            SELECT "postId" AS id FROM post_search WHERE document @@ (query && recent) ORDER BY "postId" DESC LIMIT k) w;
          IF coalesce(array_length(ids, 1), 0) >= k THEN
            RETURN QUERY SELECT unnest(ids);
            RETURN;
          END IF;
          span := span * 4;
        END LOOP;
        RETURN QUERY SELECT "postId" FROM post_search WHERE document @@ query ORDER BY "postId" DESC LIMIT k;
      END $$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.driver.options.type !== 'postgres') return;
    await queryRunner.query('DROP FUNCTION kiji_search_window(tsquery, integer)');
    await queryRunner.query(`UPDATE post_search SET document = ts_delete(document, '#' || ("postId" >> 10))`);
    await queryRunner.query('DROP TABLE post_search_head');
  }
}
