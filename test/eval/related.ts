/**
 * `npm run eval:related [-- --postgres URL] [--examples N] [--seed]`
 *
 * Imports ../shared/corpora into a fresh SQLite database (and, with --postgres, a fresh database
 * on that server) with the real importer, then prints per corpus the precision at 5 of related
 * articles: the share of a post's top five that share a category (vim-jp, jekyll) or a tag (18F)
 * with it. Three figures: as served (the stored lists, read as an anonymous client reads them),
 * text similarity alone (tags, categories and recency weighted 0), and the expectation of five
 * random other posts of the same corpus. See test/eval/README.md.
 */
import type { EntityManager } from 'typeorm';
import { TEXT_ONLY_WEIGHTS } from '../../src/content/relatedScore';
import { ANONYMOUS } from '../../src/services/access/viewer';
import { Archive, CORPUS_NAMES, CorpusName, corpusOf, fmt, importArchive, mean, parseOptions, table } from './common';

const K = 5;

interface EvalPost {
  id: number;
  slug: string;
  title: string;
  corpus: CorpusName | null;
  categories: Set<number>;
  tags: Set<number>;
  categoryNames: string[];
  tagNames: string[];
}

/** Whether a neighbour counts as relevant: same corpus, and a shared category (or tag, for 18F). */
function relevant(source: EvalPost, other: EvalPost | undefined): boolean {
  if (!other || other.corpus !== source.corpus) return false;
  const mine = source.corpus === '18F' ? source.tags : source.categories;
  const theirs = source.corpus === '18F' ? other.tags : other.categories;
  for (const x of mine) if (theirs.has(x)) return true;
  return false;
}

/** Whether a post can be judged at all: it has a category (or, for 18F, a tag). */
function judgeable(post: EvalPost): boolean {
  return post.corpus !== null && (post.corpus === '18F' ? post.tags.size > 0 : post.categories.size > 0);
}

async function loadPosts(manager: EntityManager): Promise<Map<number, EvalPost>> {
  const rows: { id: number; slug: string; title: string; sourcePath: string | null }[] = await manager.query(
    `SELECT id, slug, title, "sourcePath" FROM posts WHERE status = 'published' AND "deletedAt" IS NULL ORDER BY id`,
  );
  const posts = new Map<number, EvalPost>();
  for (const r of rows) {
    posts.set(Number(r.id), {
      id: Number(r.id),
      slug: r.slug,
      title: r.title,
      corpus: corpusOf(r.sourcePath),
      categories: new Set(),
      tags: new Set(),
      categoryNames: [],
      tagNames: [],
    });
  }
  const categories: { postId: number; id: number; name: string }[] = await manager.query(
    `SELECT pc."postId" AS "postId", c.id AS id, c.name AS name FROM post_categories pc JOIN categories c ON c.id = pc."categoryId"`,
  );
  for (const r of categories) {
    const post = posts.get(Number(r.postId));
    if (!post) continue;
    post.categories.add(Number(r.id));
    post.categoryNames.push(r.name);
  }
  const tags: { postId: number; tagId: number; name: string }[] = await manager.query(
    `SELECT pt."postId" AS "postId", pt."tagId" AS "tagId", t.name AS name FROM post_tags pt JOIN tags t ON t.id = pt."tagId"`,
  );
  for (const r of tags) {
    const post = posts.get(Number(r.postId));
    if (!post) continue;
    post.tags.add(Number(r.tagId));
    post.tagNames.push(r.name);
  }
  return posts;
}

interface CorpusFigures {
  corpus: CorpusName;
  judged: number;
  served: number;
  textOnly: number;
  random: number;
  servedShort: number;
  servedCross: number;
  servedTotal: number;
  textCross: number;
  servedSelf: number;
}

/** Precision of one list: relevant neighbours over the neighbours listed (a post with none counts 0). */
function precision(source: EvalPost, ids: number[], posts: Map<number, EvalPost>): number {
  if (ids.length === 0) return 0;
  return ids.filter((id) => relevant(source, posts.get(id))).length / ids.length;
}

async function evaluate(archive: Archive, examples: number): Promise<CorpusFigures[]> {
  const manager = archive.dataSource.manager;
  const posts = await loadPosts(manager);
  const ids = [...posts.keys()];
  const served = await archive.services.posts.relatedOf(ANONYMOUS, ids, K);
  const textOnly = new Map<number, number[]>();
  for (const id of ids) {
    if (!judgeable(posts.get(id)!)) continue;
    const neighbours = await archive.services.related.neighbours(manager, id, TEXT_ONLY_WEIGHTS, K);
    textOnly.set(
      id,
      neighbours.map((n) => n.id),
    );
  }
  const byCorpus = new Map<CorpusName, EvalPost[]>(CORPUS_NAMES.map((c) => [c, []]));
  for (const post of posts.values()) if (post.corpus) byCorpus.get(post.corpus)!.push(post);

  const figures: CorpusFigures[] = [];
  for (const corpus of CORPUS_NAMES) {
    const members = byCorpus.get(corpus)!;
    const judged = members.filter(judgeable);
    const f: CorpusFigures = {
      corpus,
      judged: judged.length,
      served: 0,
      textOnly: 0,
      random: 0,
      servedShort: 0,
      servedCross: 0,
      servedTotal: 0,
      textCross: 0,
      servedSelf: 0,
    };
    const servedP: number[] = [];
    const textP: number[] = [];
    const randomP: number[] = [];
    for (const post of judged) {
      const list = (served.get(post.id) ?? []).map((r) => r.post.id);
      if (list.length < K) f.servedShort += 1;
      f.servedTotal += list.length;
      f.servedCross += list.filter((id) => posts.get(id)?.corpus !== corpus).length;
      f.servedSelf += list.filter((id) => id === post.id).length;
      servedP.push(precision(post, list, posts));
      const text = textOnly.get(post.id) ?? [];
      f.textCross += text.filter((id) => posts.get(id)?.corpus !== corpus).length;
      textP.push(precision(post, text, posts));
      // Five distinct random others from the same corpus: the expected precision is exactly the
      // share of relevant posts among the others (linearity of expectation).
      const others = members.filter((o) => o.id !== post.id);
      randomP.push(others.filter((o) => relevant(post, o)).length / Math.max(1, others.length));
    }
    f.served = mean(servedP);
    f.textOnly = mean(textP);
    f.random = mean(randomP);
    figures.push(f);
    if (examples > 0) printExamples(corpus, judged, textOnly, posts, examples);
  }
  if (examples > 0) printCategoryBreakdown(byCorpus.get('vim-jp')!, served, textOnly, posts);
  return figures;
}

/** The worst text-alone lists of a corpus, with their neighbours, to see why they go wrong. */
function printExamples(corpus: CorpusName, judged: EvalPost[], lists: Map<number, number[]>, posts: Map<number, EvalPost>, n: number) {
  const scored = judged
    .map((p) => ({ post: p, list: lists.get(p.id) ?? [], p: precision(p, lists.get(p.id) ?? [], posts) }))
    .sort((a, b) => a.p - b.p || a.post.id - b.post.id);
  const labels = (p: EvalPost) => (p.corpus === '18F' ? p.tagNames : p.categoryNames).join(',');
  console.log(`\n-- ${corpus}: ${n} worst text-alone lists (★ = shares the category/tag) --`);
  for (const { post, list, p } of scored.slice(0, n)) {
    console.log(`${fmt(p, 1)}  [${labels(post)}] ${post.title}`);
    for (const id of list) {
      const other = posts.get(id)!;
      console.log(`       ${relevant(post, other) ? '★' : ' '} [${other.corpus}: ${labels(other)}] ${other.title}`);
    }
  }
}

/** Text-alone precision per vim-jp category: where the misses concentrate. */
function printCategoryBreakdown(members: EvalPost[], served: Map<number, { post: { id: number } }[]>, text: Map<number, number[]>, posts: Map<number, EvalPost>) {
  const groups = new Map<string, EvalPost[]>();
  for (const p of members.filter(judgeable)) {
    const key = p.categoryNames.join(',');
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  const servedIds = (id: number) => (served.get(id) ?? []).map((r) => r.post.id);
  console.log('\n-- vim-jp by category --');
  console.log(
    table(
      ['category', 'posts', 'served P@5', 'text P@5'],
      [...groups].map(([name, list]) => [
        name,
        list.length,
        fmt(mean(list.map((p) => precision(p, servedIds(p.id), posts)))),
        fmt(mean(list.map((p) => precision(p, text.get(p.id) ?? [], posts)))),
      ]),
    ),
  );
}

async function run(postgresUrl: string | undefined, examples: number, seed: boolean): Promise<void> {
  const archive = await importArchive({ postgresUrl, seed });
  try {
    if (archive.summary.failed.length) {
      console.log(`${archive.summary.failed.length} files failed to import:`);
      for (const f of archive.summary.failed) console.log(`  ${f.file}:${f.line} ${f.message}`);
    }
    const figures = await evaluate(archive, examples);
    console.log(`\nRelated articles, precision at ${K} — ${archive.database.kind} (${archive.summary.imported} posts imported)`);
    console.log(
      table(
        ['corpus', 'judged', 'served', 'text alone', 'random', 'served <5', 'cross-corpus (served)', 'cross-corpus (text)'],
        figures.map((f) => [f.corpus, f.judged, fmt(f.served), fmt(f.textOnly), fmt(f.random), f.servedShort, `${f.servedCross}/${f.servedTotal}`, f.textCross]),
      ),
    );
    console.log(
      'served scores shared tags and categories, the very things judged: read it as "the lists are on topic"; ' +
        'text alone is the figure that shows whether the text finds the topic.',
    );
    const self = figures.reduce((n, f) => n + f.servedSelf, 0);
    if (self > 0) console.log(`!! ${self} served lists contain the post itself`);
    const vim = figures.find((f) => f.corpus === 'vim-jp')!;
    console.log(`vim-jp text-alone precision ${fmt(vim.textOnly)} (target ≥ 0.75): ${vim.textOnly >= 0.75 ? 'met' : 'NOT met'}`);
  } finally {
    await archive.close();
  }
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2), { postgres: 'string', examples: 'string', seed: 'boolean', 'postgres-only': 'boolean' });
  const examples = options.examples === undefined ? 0 : Number(options.examples);
  if (!options['postgres-only']) await run(undefined, examples, Boolean(options.seed));
  if (typeof options.postgres === 'string') await run(options.postgres, examples, Boolean(options.seed));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
