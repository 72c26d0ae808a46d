/**
 * `npm run bench:data -- [--posts 100000] [--seed 42] [--sqlite PATH] [--postgres URL] [--db sqlite|postgres|both]`
 *
 * Builds a reproducible synthetic archive for the benchmarks. Posts, authors, tags and links are
 * written with bulk multi-row INSERTs in large transactions (an importer call per post would
 * take hours at 100,000 posts), but everything that serves reads is built by Kiji's own code:
 * the schema by its migrations, bodyHtml/excerpt/headings/reading time by the content functions,
 * the full-text index by the search index writer, term statistics as TokenStatistics keeps them
 * (counted in memory, written once), and related articles by RelatedIndex.rebuild().
 */
process.env.TZ = 'UTC';
import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import type { DataSource, EntityManager } from 'typeorm';
import { loadConfig } from '../../src/config';
import { makeExcerpt, readingTimeMinutes, renderMarkdown, slugify } from '../../src/content';
import { tokenFrequencies } from '../../src/content/searchTokens';
import { openDatabase } from '../../src/db/data-source';
import { POST_LINKS, PostLinkName } from '../../src/entities';
import { chunks, dialectOf } from '../../src/db/dialect';
import { systemClock } from '../../src/services/shared/clock';
import { createServices } from '../../src/services/registry';
import { createSearchIndex } from '../../src/services/search/search-index';
import { recountListedPosts } from '../../src/services/terms';
import { adminUrlFor, createDatabase, withAdminQuery, databaseName, dropDatabase, fmt, intOption, parseOptions, prng, REPO_ROOT, RESULTS_DIR, table, zipf } from './common';
import { authorName, CATEGORIES, makePost, makeVocabulary, tagNames } from './text';

/** The archive size the targets are set for (about 13 minutes for both databases on 2 cores). */
export const DEFAULT_POSTS = 100_000;
export const DEFAULT_SQLITE = path.join(RESULTS_DIR, 'bench.sqlite');
export const DEFAULT_POSTGRES = 'postgres://postgres@127.0.0.1:5432/kiji_bench';
const AUTHORS = 500;
const TAGS = 2000;
const BATCH = Number(process.env.BENCH_DATA_BATCH ?? 500);
const DAY = 86_400_000;
/** Ten years of dates, ending in the past so every published post is visible. */
const FIRST_DATE = Date.UTC(2016, 5, 1);
const LAST_DATE = Date.UTC(2026, 5, 1);

interface Term {
  id: number;
  slug: string;
  name: string;
  bio?: string;
}

interface GeneratedPost {
  id: number;
  slug: string;
  title: string;
  excerpt: string;
  bodyMarkdown: string;
  bodyHtml: string;
  headings: string;
  readingTimeMinutes: number;
  language: string;
  status: 'draft' | 'published';
  publishedAt: string | null;
  createdAt: string;
  authorId: number;
  tagIds: number[];
  categoryIds: number[];
}

/** TypeORM's own text form of a UTC instant (SQLite stores it as is; PostgreSQL parses it). */
function sqlDate(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}

function uniqueTerms(names: string[], withBio?: (i: number) => string): Term[] {
  const seen = new Set<string>();
  const out: Term[] = [];
  for (const name of names) {
    let slug = slugify(name);
    for (let n = 2; seen.has(slug); n++) slug = `${slugify(name)}-${n}`;
    seen.add(slug);
    out.push({ id: out.length + 1, slug, name: out.some((t) => t.name === name) ? `${name} ${slug.split('-').pop()}` : name, bio: withBio?.(out.length) });
  }
  return out;
}

/** The whole archive as a deterministic stream of batches: terms first, then posts. */
export class ArchiveGenerator {
  readonly authors: Term[];
  readonly tags: Term[];
  readonly categories: Term[];
  private readonly random: () => number;
  private readonly vocab;
  private readonly tagZipf;
  private readonly authorZipf;
  private readonly categoryZipf;
  private readonly slugs = new Set<string>();
  renderMs = 0;

  constructor(
    readonly posts: number,
    seed: number,
  ) {
    this.random = prng(seed);
    const r = this.random;
    this.authors = uniqueTerms(
      Array.from({ length: AUTHORS }, (_, i) => authorName(i, r)),
      (i) => (i % 2 === 0 ? '技術と編集について書いています。' : 'Writes about engineering and publishing.'),
    );
    this.tags = uniqueTerms(tagNames(TAGS, r));
    this.categories = uniqueTerms(CATEGORIES);
    this.vocab = makeVocabulary(r, this.tags.length);
    this.tagZipf = zipf(this.tags.length, 1.0, r);
    this.authorZipf = zipf(this.authors.length, 0.8, r);
    this.categoryZipf = zipf(this.categories.length, 0.7, r);
  }

  *batches(size = BATCH): Generator<GeneratedPost[]> {
    for (let from = 1; from <= this.posts; from += size) {
      const batch: GeneratedPost[] = [];
      for (let id = from; id < from + size && id <= this.posts; id++) batch.push(this.post(id));
      yield batch;
    }
  }

  private distinct(count: number, draw: () => number): number[] {
    const out: number[] = [];
    for (let guard = 0; out.length < count && guard < 200; guard++) {
      const v = draw();
      if (!out.includes(v)) out.push(v);
    }
    return out;
  }

  private post(id: number): GeneratedPost {
    const r = this.random;
    const language = r() < 0.6 ? 'ja' : 'en';
    const tagIds = this.distinct(3 + Math.floor(r() * 4), this.tagZipf).map((i) => i + 1);
    const categoryIds = this.distinct(r() < 0.2 ? 2 : 1, this.categoryZipf).map((i) => i + 1);
    const authorId = this.authorZipf() + 1;
    const draft = r() < 0.02;
    const published = FIRST_DATE + Math.floor(r() * (LAST_DATE - FIRST_DATE));
    const { title, body } = makePost(
      language,
      3000 + Math.floor(r() * 5000),
      tagIds.map((t) => t - 1),
      this.vocab,
      r,
    );
    let slug = slugify(title);
    if (this.slugs.has(slug)) {
      const base = slug;
      for (let n = 2; this.slugs.has(slug); n++) slug = `${base}-${n}`;
    }
    this.slugs.add(slug);
    const started = performance.now();
    const rendered = renderMarkdown(body);
    const excerpt = makeExcerpt(body);
    const minutes = readingTimeMinutes(body);
    this.renderMs += performance.now() - started;
    return {
      id,
      slug,
      title,
      excerpt,
      bodyMarkdown: body,
      bodyHtml: rendered.html,
      headings: JSON.stringify(rendered.headings),
      readingTimeMinutes: minutes,
      language,
      status: draft ? 'draft' : 'published',
      publishedAt: draft ? null : sqlDate(published),
      createdAt: sqlDate(Math.min(published, LAST_DATE) + DAY),
      authorId,
      tagIds,
      categoryIds,
    };
  }
}

const POST_COLUMNS = [
  'id',
  'slug',
  'title',
  'excerpt',
  'bodyMarkdown',
  'bodyHtml',
  'headings',
  'readingTimeMinutes',
  'language',
  'status',
  'publishedAt',
  'createdAt',
  'updatedAt',
  'version',
  'frontMatter',
  'contentIssues',
];

async function insertRows(manager: EntityManager, table: string, columns: string[], rows: unknown[][], perStatement: number): Promise<void> {
  const list = columns.map((c) => `"${c}"`).join(', ');
  for (const chunk of chunks(rows, perStatement)) {
    await manager.query(`INSERT INTO ${table} (${list}) VALUES ${dialectOf(manager).valueTuples(chunk.length, columns.length)}`, chunk.flat());
  }
}

export interface BuildTimings {
  target: string;
  posts: number;
  migrateMs: number;
  writeMs: number;
  searchAndStatsMs: number;
  /** Of which SearchIndex.write, and the term statistics (counting terms, then writing them). */
  searchMs: number;
  statsMs: number;
  relatedMs: number;
  analyzeMs: number;
  totalMs: number;
}

/** One target database being filled batch by batch. */
class Target {
  readonly timings: BuildTimings;
  private search;
  /** Each term's document frequency over the posts indexed so far (TokenStatistics' `df`). */
  private readonly df = new Map<string, number>();
  private constructor(
    readonly label: string,
    readonly dataSource: DataSource,
    posts: number,
    migrateMs: number,
  ) {
    this.search = createSearchIndex(dataSource);
    this.timings = { target: label, posts, migrateMs, writeMs: 0, searchAndStatsMs: 0, searchMs: 0, statsMs: 0, relatedMs: 0, analyzeMs: 0, totalMs: 0 };
  }

  static async open(label: string, url: string, posts: number): Promise<Target> {
    const started = performance.now();
    const dataSource = await openDatabase(loadConfig({ DATABASE_URL: url }).database, 'warn');
    return new Target(label, dataSource, posts, performance.now() - started);
  }

  get postgres(): boolean {
    return dialectOf(this.dataSource).kind === 'postgres';
  }

  async writeTerms(gen: ArchiveGenerator): Promise<void> {
    const started = performance.now();
    await this.dataSource.transaction(async (m) => {
      await insertRows(
        m,
        'authors',
        ['id', 'slug', 'name', 'bio'],
        gen.authors.map((a) => [a.id, a.slug, a.name, a.bio ?? null]),
        500,
      );
      await insertRows(
        m,
        'tags',
        ['id', 'slug', 'name'],
        gen.tags.map((t) => [t.id, t.slug, t.name]),
        1000,
      );
      await insertRows(
        m,
        'categories',
        ['id', 'slug', 'name'],
        gen.categories.map((t) => [t.id, t.slug, t.name]),
        100,
      );
    });
    this.timings.writeMs += performance.now() - started;
  }

  async writeBatch(batch: GeneratedPost[], tagNameOf: (id: number) => string, workers: number): Promise<void> {
    const started = performance.now();
    await this.dataSource.transaction(async (m) => {
      await insertRows(
        m,
        'posts',
        POST_COLUMNS,
        batch.map((p) => [
          p.id,
          p.slug,
          p.title,
          p.excerpt,
          p.bodyMarkdown,
          p.bodyHtml,
          p.headings,
          p.readingTimeMinutes,
          p.language,
          p.status,
          p.publishedAt,
          p.createdAt,
          p.createdAt,
          1,
          '{}',
          '[]',
        ]),
        100,
      );
      const links = (name: PostLinkName, rows: unknown[][]) => insertRows(m, POST_LINKS[name].table, ['postId', POST_LINKS[name].column, 'position', 'listedAt'], rows, 2000);
      // As the write path lists them (PostTag.listedAt); the terms' counts are made at the end (`finish`).
      const listedAt = (p: GeneratedPost) => (p.status === 'published' ? p.publishedAt : null);
      await links(
        'authors',
        batch.map((p) => [p.id, p.authorId, 0, listedAt(p)]),
      );
      await links(
        'tags',
        batch.flatMap((p) => p.tagIds.map((t, i) => [p.id, t, i, listedAt(p)])),
      );
      await links(
        'categories',
        batch.flatMap((p) => p.categoryIds.map((c, i) => [p.id, c, i, listedAt(p)])),
      );
    });
    const written = performance.now();
    this.timings.writeMs += written - started;
    // The search index is written by SearchIndex.write, as PostStore.save writes it for each post.
    // Term statistics are what TokenStatistics.apply would make of every post, as counts kept in
    // memory and written once (`finish`): applied post by post, every post updates the rows of the
    // common terms again, which was most of this phase (PostgreSQL keeps every update's row version).
    const index = async (m: EntityManager, posts: GeneratedPost[]) => {
      for (const p of posts) {
        const t0 = performance.now();
        await this.search.write(m, { postId: p.id, title: p.title, excerpt: p.excerpt, bodyMarkdown: p.bodyMarkdown, tags: p.tagIds.map(tagNameOf) });
        const t1 = performance.now();
        for (const term of tokenFrequencies(p.title, p.bodyMarkdown).keys()) this.df.set(term, (this.df.get(term) ?? 0) + 1);
        this.timings.searchMs += t1 - t0;
        this.timings.statsMs += performance.now() - t1;
      }
    };
    // One transaction per worker and batch; on PostgreSQL a few side by side, each on its own part.
    const parts = this.postgres ? Math.max(1, workers) : 1;
    await Promise.all(
      Array.from({ length: parts }, (_, k) => {
        const part = batch.filter((_, i) => i % parts === k);
        return this.dataSource.transaction((m) => index(m, part));
      }),
    );
    this.timings.searchAndStatsMs += performance.now() - written;
  }

  /**
   * The term statistics TokenStatistics.apply leaves after every post was applied once (before:
   * none): each term's document frequency, terms over 64 characters left out, and under the term
   * '' the number of posts.
   */
  private async writeStats(): Promise<void> {
    const started = performance.now();
    const rows = [...this.df].filter(([term]) => term.length > 0 && term.length <= 64);
    rows.push(['', this.timings.posts]);
    await this.dataSource.transaction((m) => insertRows(m, 'term_stats', ['term', 'df'], rows, 1000));
    const ms = performance.now() - started;
    this.timings.statsMs += ms;
    this.timings.searchAndStatsMs += ms;
  }

  async finish(): Promise<void> {
    if (this.postgres) {
      // Ids were given explicitly; the sequences must continue after them for later writes.
      for (const t of ['posts', 'authors', 'tags', 'categories']) {
        await this.dataSource.query(`SELECT setval(pg_get_serial_sequence('${t}', 'id'), (SELECT COALESCE(MAX(id), 1) FROM ${t}))`);
      }
    }
    await recountListedPosts(this.dataSource.manager);
    await this.writeStats();
    let started = performance.now();
    const services = createServices(this.dataSource, loadConfig({ DATABASE_URL: 'sqlite::memory:', KIJI_RESPONSE_CACHE: 'off' }), systemClock);
    await services.related.rebuild();
    this.timings.relatedMs = performance.now() - started;
    started = performance.now();
    // A real archive gets its statistics from autovacuum / `PRAGMA optimize` sooner or later;
    // the benchmark should not depend on when.
    if (this.postgres) {
      await this.dataSource.query('VACUUM ANALYZE');
      const [{ db }] = await this.dataSource.query<{ db: string }[]>('SELECT current_database() AS db');
      await this.dataSource.query(`ALTER DATABASE "${db}" RESET synchronous_commit`);
    } else await this.dataSource.query('ANALYZE');
    this.timings.analyzeMs = performance.now() - started;
  }

  async close(): Promise<void> {
    await this.dataSource.destroy();
  }
}

export interface BuildOptions {
  posts: number;
  seed: number;
  sqlite: string | null;
  postgres: string | null;
  /** Concurrent search-index transactions on PostgreSQL, each writing its share of a batch. */
  pgWorkers?: number;
  log?: (line: string) => void;
}

/** Builds the archive into fresh databases (an existing file or database of that name is replaced). */
export async function buildArchive(options: BuildOptions): Promise<BuildTimings[]> {
  const log = options.log ?? ((line: string) => process.stdout.write(line + '\n'));
  const started = performance.now();
  const targets: Target[] = [];
  if (options.sqlite) {
    const file = path.resolve(REPO_ROOT, options.sqlite);
    for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(file + suffix, { force: true });
    targets.push(await Target.open(`sqlite ${path.relative(REPO_ROOT, file)}`, `sqlite:${file}`, options.posts));
  }
  if (options.postgres) {
    const name = databaseName(options.postgres);
    await dropDatabase(adminUrlFor(options.postgres), name);
    await createDatabase(adminUrlFor(options.postgres), name);
    // Only for the build: thousands of small commits need not each wait for the disk.
    await withAdminQuery(adminUrlFor(options.postgres), `ALTER DATABASE "${name}" SET synchronous_commit = off`);
    targets.push(await Target.open(`postgres ${name}`, options.postgres, options.posts));
  }
  try {
    const gen = new ArchiveGenerator(options.posts, options.seed);
    const tagName = new Map(gen.tags.map((t) => [t.id, t.name]));
    for (const t of targets) await t.writeTerms(gen);
    let done = 0;
    let generateMs = 0;
    let lastLog = performance.now();
    let t0 = performance.now();
    for (const batch of gen.batches()) {
      generateMs += performance.now() - t0;
      for (const t of targets) await t.writeBatch(batch, (id) => tagName.get(id)!, options.pgWorkers ?? 2);
      done += batch.length;
      if (performance.now() - lastLog > 10_000 || done === options.posts) {
        lastLog = performance.now();
        log(`  ${fmt(done)} / ${fmt(options.posts)} posts written (${fmt((performance.now() - started) / 1000, 1)} s)`);
      }
      t0 = performance.now();
    }
    log(
      `  generated and rendered ${fmt(options.posts)} posts in ${fmt(generateMs / 1000, 1)} s (of which renderMarkdown/makeExcerpt/readingTime ${fmt(gen.renderMs / 1000, 1)} s)`,
    );
    for (const t of targets) {
      log(`  ${t.label}: related index rebuild and ANALYZE…`);
      await t.finish();
      t.timings.totalMs = t.timings.migrateMs + t.timings.writeMs + t.timings.searchAndStatsMs + t.timings.relatedMs + t.timings.analyzeMs;
    }
    const timings = targets.map((t) => t.timings);
    log('');
    log(`archive: ${fmt(options.posts)} posts, seed ${options.seed}; shared generation + rendering ${fmt(generateMs / 1000, 1)} s`);
    log(
      table(
        ['target', 'migrate s', 'rows s', 'search+stats s', '(search', 'stats)', 'related s', 'analyze s', 'total s', 'posts/s'],
        timings.map((t) => [
          t.target,
          fmt(t.migrateMs / 1000, 1),
          fmt(t.writeMs / 1000, 1),
          fmt(t.searchAndStatsMs / 1000, 1),
          fmt(t.searchMs / 1000, 1),
          fmt(t.statsMs / 1000, 1),
          fmt(t.relatedMs / 1000, 1),
          fmt(t.analyzeMs / 1000, 1),
          fmt(t.totalMs / 1000, 1),
          fmt(t.posts / (t.totalMs / 1000)),
        ]),
      ),
    );
    log(`wall time ${fmt((performance.now() - started) / 1000, 1)} s`);
    return timings;
  } finally {
    for (const t of targets) await t.close();
  }
}

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2), {
    posts: 'string',
    seed: 'string',
    sqlite: 'string',
    postgres: 'string',
    db: 'string',
    json: 'string',
    'pg-workers': 'string',
  });
  const db = (o.db as string | undefined) ?? 'both';
  if (!['sqlite', 'postgres', 'both'].includes(db)) throw new Error('--db must be sqlite, postgres or both');
  const posts = intOption(o.posts, DEFAULT_POSTS, 'posts');
  const seed = o.seed === undefined ? 42 : Number(o.seed);
  const timings = await buildArchive({
    posts,
    seed,
    pgWorkers: intOption(o['pg-workers'], 2, 'pg-workers'),
    sqlite: db === 'postgres' ? null : ((o.sqlite as string) ?? DEFAULT_SQLITE),
    postgres: db === 'sqlite' ? null : ((o.postgres as string) ?? process.env.BENCH_POSTGRES_URL ?? DEFAULT_POSTGRES),
  });
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const out = (o.json as string) ?? path.join(RESULTS_DIR, `data-${posts}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(out, JSON.stringify({ posts, seed, timings }, null, 2));
  process.stdout.write(`timings written to ${path.relative(REPO_ROOT, out)}\n`);
}

if (require.main === module) {
  main().catch((error) => {
    process.stderr.write(`bench:data: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  });
}
