/**
 * `npm run bench:data -- [--posts 100000] [--seed 42] [--sqlite PATH] [--postgres URL] [--db sqlite|postgres|both]
 *   [--pg-workers 2] [--render-workers N]`
 *
 * Builds a reproducible synthetic archive for the benchmarks. Posts, authors, tags and links are
 * written with bulk multi-row INSERTs in large transactions (an importer call per post would
 * take hours at 100,000 posts), but everything that serves reads is built by Kiji's own code:
 * the schema by its migrations, bodyHtml/excerpt/headings/reading time by the content functions,
 * the full-text index by the search index writer, term statistics as TokenStatistics keeps them
 * (counted in memory, written once), and related articles by RelatedIndex.rebuild().
 *
 * Posts are generated on the main thread (one seeded sequence) and rendered by worker threads
 * (render-pool.ts); both databases are filled side by side, PostgreSQL's work being done in its
 * own processes.
 */
process.env.TZ = 'UTC';
import 'reflect-metadata';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DataSource, EntityManager } from 'typeorm';
import { loadConfig } from '../../src/config';
import { slugify } from '../../src/content';
import { openDatabase } from '../../src/db/data-source';
import { POST_LINKS, PostLinkName } from '../../src/entities';
import { chunks, dialectOf } from '../../src/db/dialect';
import { systemClock } from '../../src/services/shared/clock';
import { createServices } from '../../src/services/registry';
import { createSearchIndex } from '../../src/services/search/search-index';
import { listedAtOf } from '../../src/services/posts/write/statements';
import { adminUrlFor, createDatabase, withAdminQuery, databaseName, dropDatabase, fmt, intOption, parseOptions, prng, REPO_ROOT, RESULTS_DIR, table, zipf } from './common';
import { deferIndexes } from './deferred-indexes';
import { recountListedPosts } from './listed-counts';
import { RenderedBody, RenderPool } from './render-pool';
import { authorName, CATEGORIES, makePost, makeVocabulary, tagNames } from './text';

/** The archive size the targets are set for. */
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

/** A post as generated, before rendering. */
interface DraftPost {
  id: number;
  slug: string;
  title: string;
  bodyMarkdown: string;
  language: string;
  status: 'draft' | 'published';
  publishedAt: Date | null;
  createdAt: string;
  authorId: number;
  tagIds: number[];
  categoryIds: number[];
}

type GeneratedPost = DraftPost & RenderedBody;

/** TypeORM's own text form of a UTC instant (SQLite stores it as is; PostgreSQL parses it). */
function sqlDate(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}

function sqlDateOrNull(date: Date | null): string | null {
  return date && sqlDate(date.getTime());
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

/** The whole archive as a deterministic stream of batches of unrendered posts: terms first, then posts. */
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

  *batches(size = BATCH): Generator<DraftPost[]> {
    for (let from = 1; from <= this.posts; from += size) {
      const batch: DraftPost[] = [];
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

  private post(id: number): DraftPost {
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
    return {
      id,
      slug,
      title,
      bodyMarkdown: body,
      language,
      status: draft ? 'draft' : 'published',
      publishedAt: draft ? null : new Date(published),
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
  /** Posts, terms and links. */
  writeMs: number;
  /** SearchIndex.write, post by post. */
  searchMs: number;
  /** Term statistics and the terms' listed counts, written once at the end. */
  statsMs: number;
  /** Building the secondary indexes dropped for the load (deferred-indexes.ts). */
  indexMs: number;
  relatedMs: number;
  analyzeMs: number;
  /** From opening the database to the end of its ANALYZE (the targets are filled side by side). */
  totalMs: number;
}

/** Tables filled in bulk: their secondary indexes are built after the load. */
const LOADED_TABLES = ['posts', 'post_authors', 'post_tags', 'post_categories', 'post_search', 'post_search_head'];
/** Tables RelatedIndex.rebuild() fills: the same, around the rebuild. */
const RELATED_TABLES = ['post_terms', 'related_posts'];

/** One target database being filled batch by batch. */
class Target {
  readonly timings: BuildTimings;
  private readonly search;
  private constructor(
    readonly label: string,
    readonly dataSource: DataSource,
    posts: number,
    private readonly started: number,
    private readonly buildIndexes: () => Promise<void>,
  ) {
    this.search = createSearchIndex(dataSource);
    this.timings = { target: label, posts, migrateMs: performance.now() - started, writeMs: 0, searchMs: 0, statsMs: 0, indexMs: 0, relatedMs: 0, analyzeMs: 0, totalMs: 0 };
  }

  static async open(label: string, url: string, posts: number): Promise<Target> {
    const started = performance.now();
    const dataSource = await openDatabase(loadConfig({ DATABASE_URL: url }).database, 'warn');
    return new Target(label, dataSource, posts, started, await deferIndexes(dataSource, LOADED_TABLES));
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
          sqlDateOrNull(p.publishedAt),
          p.createdAt,
          p.createdAt,
          1,
          '{}',
          '[]',
        ]),
        100,
      );
      const links = (name: PostLinkName, rows: unknown[][]) => insertRows(m, POST_LINKS[name].table, ['postId', POST_LINKS[name].column, 'position', 'listedAt'], rows, 2000);
      // Listed as the write path lists them; the terms' counts are made at the end (`finish`).
      const listedAt = (p: GeneratedPost) => sqlDateOrNull(listedAtOf({ ...p, deletedAt: null }));
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
    const index = async (m: EntityManager, posts: GeneratedPost[]) => {
      for (const p of posts)
        await this.search.write(m, { postId: p.id, title: p.title, excerpt: p.excerpt, bodyMarkdown: p.bodyMarkdown, tags: p.tagIds.map(tagNameOf), tokens: p.tokens });
    };
    // One transaction per worker and batch; on PostgreSQL a few side by side, each on its own part.
    const parts = this.postgres ? Math.max(1, workers) : 1;
    await Promise.all(
      Array.from({ length: parts }, (_, k) => {
        const part = batch.filter((_, i) => i % parts === k);
        return this.dataSource.transaction((m) => index(m, part));
      }),
    );
    this.timings.searchMs += performance.now() - written;
  }

  /**
   * The term statistics TokenStatistics.apply leaves after every post was applied once (before:
   * none): each term's document frequency, terms over 64 characters left out, and under the term
   * '' the number of posts. Written in term order, whatever order the counts came in.
   */
  private async writeStats(df: ReadonlyMap<string, number>): Promise<void> {
    const rows: [string, number][] = [...df].filter(([term]) => term.length > 0 && term.length <= 64);
    rows.push(['', this.timings.posts]);
    rows.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    await this.dataSource.transaction((m) => insertRows(m, 'term_stats', ['term', 'df'], rows, 1000));
  }

  /** After the last batch: ids' sequences, indexes, counts, term statistics, related lists, planner statistics. */
  async finish(df: ReadonlyMap<string, number>): Promise<void> {
    let started = performance.now();
    if (this.postgres) {
      // Ids were given explicitly; the sequences must continue after them for later writes.
      for (const t of ['posts', 'authors', 'tags', 'categories']) {
        await this.dataSource.query(`SELECT setval(pg_get_serial_sequence('${t}', 'id'), (SELECT COALESCE(MAX(id), 1) FROM ${t}))`);
      }
    }
    // Before the counts: counting a term's links without the link tables' indexes reads them all.
    await this.buildIndexes();
    const buildRelatedIndexes = await deferIndexes(this.dataSource, RELATED_TABLES);
    this.timings.indexMs = performance.now() - started;
    started = performance.now();
    await recountListedPosts(this.dataSource.manager);
    await this.writeStats(df);
    this.timings.statsMs = performance.now() - started;
    started = performance.now();
    const services = createServices(this.dataSource, loadConfig({ DATABASE_URL: 'sqlite::memory:', KIJI_RESPONSE_CACHE: 'off' }), systemClock);
    await services.related.rebuild();
    this.timings.relatedMs = performance.now() - started;
    started = performance.now();
    await buildRelatedIndexes();
    this.timings.indexMs += performance.now() - started;
    started = performance.now();
    // A real archive gets its statistics from autovacuum / `PRAGMA optimize` sooner or later, and
    // its full-text index merged (the GIN pending list by VACUUM; FTS5 segments by their automerge,
    // here all at once): the benchmark should not depend on when.
    if (this.postgres) {
      await this.dataSource.query('VACUUM ANALYZE');
      const [{ db }] = await this.dataSource.query<{ db: string }[]>('SELECT current_database() AS db');
      await this.dataSource.query(`ALTER DATABASE "${db}" RESET synchronous_commit`);
      await this.dataSource.query(`ALTER DATABASE "${db}" RESET session_replication_role`);
    } else {
      for (const table of ['post_search', 'post_search_head']) await this.dataSource.query(`INSERT INTO ${table} (${table}) VALUES ('optimize')`);
      await this.dataSource.query('ANALYZE');
    }
    this.timings.analyzeMs = performance.now() - started;
    this.timings.totalMs = performance.now() - this.started;
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
  /** Worker threads rendering posts; by default one per core. */
  renderWorkers?: number;
  log?: (line: string) => void;
}

/** Builds the archive into fresh databases (an existing file or database of that name is replaced). */
export async function buildArchive(options: BuildOptions): Promise<BuildTimings[]> {
  const log = options.log ?? ((line: string) => process.stdout.write(line + '\n'));
  const started = performance.now();
  const targets: Target[] = [];
  const pool = new RenderPool(options.renderWorkers ?? os.availableParallelism());
  try {
    if (options.sqlite) {
      const file = path.resolve(REPO_ROOT, options.sqlite);
      for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(file + suffix, { force: true });
      targets.push(await Target.open(`sqlite ${path.relative(REPO_ROOT, file)}`, `sqlite:${file}`, options.posts));
    }
    if (options.postgres) {
      const name = databaseName(options.postgres);
      await dropDatabase(adminUrlFor(options.postgres), name);
      await createDatabase(adminUrlFor(options.postgres), name);
      // Only for the build: thousands of small commits need not each wait for the disk, and rows
      // generated consistent need not each check their foreign keys (as pg_restore --disable-triggers
      // does): the related rebuild alone writes millions of rows that each checked their posts.
      await withAdminQuery(adminUrlFor(options.postgres), `ALTER DATABASE "${name}" SET synchronous_commit = off`);
      await withAdminQuery(adminUrlFor(options.postgres), `ALTER DATABASE "${name}" SET session_replication_role = replica`);
      targets.push(await Target.open(`postgres ${name}`, options.postgres, options.posts));
    }
    const gen = new ArchiveGenerator(options.posts, options.seed);
    const tagName = new Map(gen.tags.map((t) => [t.id, t.name]));
    await Promise.all(targets.map((t) => t.writeTerms(gen)));
    const writeAll = (batch: GeneratedPost[]) => Promise.all(targets.map((t) => t.writeBatch(batch, (id) => tagName.get(id)!, options.pgWorkers ?? 2)));
    let done = 0;
    let generateMs = 0;
    let lastLog = performance.now();
    // A pipeline: batch k is written while batch k + 1 is rendered and batch k + 2 generated.
    let rendering: Promise<GeneratedPost[]> | null = null;
    let writing: Promise<unknown> = Promise.resolve();
    const generated = gen.batches();
    for (;;) {
      const t0 = performance.now();
      const next = generated.next();
      generateMs += performance.now() - t0;
      const drafts = next.done ? null : next.value;
      const renderNext = drafts && pool.render(drafts).then((bodies) => drafts.map((d, i) => ({ ...d, ...bodies[i] })));
      // Awaited below, after the next batch is generated; handled now, so a failure is not reported as unhandled meanwhile.
      renderNext?.catch(() => undefined);
      if (rendering) {
        const batch = await rendering;
        await writing;
        writing = writeAll(batch).then(() => {
          done += batch.length;
          if (performance.now() - lastLog > 10_000 || done === options.posts) {
            lastLog = performance.now();
            log(`  ${fmt(done)} / ${fmt(options.posts)} posts written (${fmt((performance.now() - started) / 1000, 1)} s)`);
          }
        });
        writing.catch(() => undefined);
      }
      if (!renderNext) break;
      rendering = renderNext;
    }
    await writing;
    const df = await pool.documentFrequencies();
    log(
      `  generated ${fmt(options.posts)} posts in ${fmt(generateMs / 1000, 1)} s; worker threads rendered them in ${fmt(pool.renderMs / 1000, 1)} s and tokenized and counted their terms in ${fmt(pool.countMs / 1000, 1)} s`,
    );
    log(`  term statistics, indexes, related index rebuild and ANALYZE…`);
    await Promise.all(targets.map((t) => t.finish(df)));
    const timings = targets.map((t) => t.timings);
    log('');
    log(
      `archive: ${fmt(options.posts)} posts, seed ${options.seed}; shared generation ${fmt(generateMs / 1000, 1)} s, rendering ${fmt(pool.renderMs / 1000, 1)} s and tokenizing and term counting ${fmt(pool.countMs / 1000, 1)} s (worker threads)`,
    );
    log(
      table(
        ['target', 'migrate s', 'rows s', 'search s', 'stats s', 'indexes s', 'related s', 'analyze s', 'total s', 'posts/s'],
        timings.map((t) => [
          t.target,
          fmt(t.migrateMs / 1000, 1),
          fmt(t.writeMs / 1000, 1),
          fmt(t.searchMs / 1000, 1),
          fmt(t.statsMs / 1000, 1),
          fmt(t.indexMs / 1000, 1),
          fmt(t.relatedMs / 1000, 1),
          fmt(t.analyzeMs / 1000, 1),
          fmt(t.totalMs / 1000, 1),
          fmt(t.posts / (t.totalMs / 1000)),
        ]),
      ),
    );
    log(`wall time ${fmt((performance.now() - started) / 1000, 1)} s (the targets are filled side by side: their times overlap)`);
    return timings;
  } finally {
    await pool.close();
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
    'render-workers': 'string',
  });
  const db = (o.db as string | undefined) ?? 'both';
  if (!['sqlite', 'postgres', 'both'].includes(db)) throw new Error('--db must be sqlite, postgres or both');
  const posts = intOption(o.posts, DEFAULT_POSTS, 'posts');
  const seed = o.seed === undefined ? 42 : Number(o.seed);
  const timings = await buildArchive({
    posts,
    seed,
    pgWorkers: intOption(o['pg-workers'], 2, 'pg-workers'),
    renderWorkers: intOption(o['render-workers'], os.availableParallelism(), 'render-workers'),
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
