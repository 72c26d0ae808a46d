/**
 * `npm run eval:search [-- --postgres URL] [--postgres-only]`
 *
 * Imports ../shared/corpora and the seed article into a fresh SQLite database (and, with
 * --postgres, a fresh database on that server), runs each query of search-queries.ts the way
 * `posts(filter: { query })` does for an anonymous client (relevance order), and prints whether
 * an expected post ranks within the stated top 1 or top 3, then `N/M hold`.
 */
import { ANONYMOUS } from '../../src/services/access/viewer';
import { importArchive, parseOptions } from './common';
import { SEARCH_EXPECTATIONS } from './search-queries';

async function run(postgresUrl: string | undefined): Promise<{ held: number; total: number }> {
  const archive = await importArchive({ postgresUrl, seed: true });
  try {
    console.log(`\nSearch expectations — ${archive.database.kind} (${archive.summary.imported} posts)`);
    let held = 0;
    for (const q of SEARCH_EXPECTATIONS) {
      const page = await archive.services.posts.page(ANONYMOUS, { query: q.query }, 'RELEVANCE', { first: 10 });
      const paths = page.rows.map((p) => p.sourcePath ?? '');
      const rank = paths.findIndex((path) => q.expect.some((e) => path.endsWith(e)));
      const ok = rank >= 0 && rank < q.top;
      if (ok) held += 1;
      const where = rank < 0 ? 'not in top 10' : `rank ${rank + 1}`;
      console.log(`${ok ? 'ok  ' : 'FAIL'} ${JSON.stringify(q.query).padEnd(28)} top ${q.top}: ${where}  (${q.why})`);
      if (!ok) {
        for (const [i, post] of page.rows.slice(0, 3).entries()) console.log(`       ${i + 1}. ${post.title}  [${post.sourcePath}]`);
      }
    }
    console.log(`${held}/${SEARCH_EXPECTATIONS.length} hold (${archive.database.kind})`);
    return { held, total: SEARCH_EXPECTATIONS.length };
  } finally {
    await archive.close();
  }
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2), { postgres: 'string', 'postgres-only': 'boolean' });
  if (!options['postgres-only']) await run(undefined);
  if (typeof options.postgres === 'string') await run(options.postgres);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
