import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { DataSource, EntityManager, EntityTarget, In } from 'typeorm';
import { ContentError, prepareArticle, PreparedArticle, slugify, SourceFile } from '../content';
import { Author, Category, Post, PostAuthor, PostCategory, PostTag, Tag } from '../entities';
import { termFrequencies } from '../content/searchTerms';
import type { Clock } from './clock';
import type { RelatedIndex } from './related-index';
import type { SearchIndex } from './search-index';
import { displayPath, listArticleFiles } from './source-files';
import type { TermStatistics } from './term-stats';

/** Bumped when the content pipeline changes what it produces, so re-imports pick the change up. */
export const PIPELINE_VERSION = '1';

/** Used when a file names no author: `Post.author` is never null. */
export const FALLBACK_AUTHOR = 'Anonymous';

export interface ImportFailure {
  file: string;
  line: number;
  message: string;
}

export interface ImportWarning {
  file: string;
  message: string;
}

export interface ImportSummary {
  imported: number;
  updated: number;
  unchanged: number;
  failed: ImportFailure[];
  warnings: ImportWarning[];
}

export type ImportOutcome = 'imported' | 'updated' | 'unchanged' | 'failed';

export interface ImportProgress {
  done: number;
  total: number;
  file: string;
}

type Named = Author | Tag | Category;

/**
 * Imports Markdown files: each file in its own transaction, so a bad file is reported and the
 * rest go on, and nothing stored before is damaged. Unchanged files (same text, same pipeline)
 * are not written again; a file keeps its post across re-imports by its path.
 */
export class Importer {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly postUrl: (slug: string) => string,
    private readonly search: SearchIndex,
    private readonly stats: TermStatistics,
    private readonly related: RelatedIndex,
  ) {}

  async importPaths(paths: string[], onProgress?: (progress: ImportProgress) => void): Promise<ImportSummary> {
    const files = listArticleFiles(paths);
    return this.importSources(
      files.map((file) => ({ path: displayPath(file), read: () => fs.readFileSync(file, 'utf8') })),
      onProgress,
    );
  }

  async importSources(
    sources: { path: string; read: () => string }[],
    onProgress?: (progress: ImportProgress) => void,
  ): Promise<ImportSummary> {
    const summary: ImportSummary = { imported: 0, updated: 0, unchanged: 0, failed: [], warnings: [] };
    const changed: number[] = [];
    let done = 0;
    for (const source of sources) {
      try {
        const { outcome, postId } = await this.importOne({ path: source.path, text: source.read() }, summary.warnings);
        summary[outcome] += 1;
        if (outcome !== 'unchanged') changed.push(postId);
      } catch (error) {
        summary.failed.push(failureOf(source.path, error));
      }
      onProgress?.({ done: ++done, total: sources.length, file: source.path });
    }
    // Related lists depend on many posts at once: brought up to date once, after the whole run.
    await this.related.refresh(changed);
    return summary;
  }

  /**
   * Imports one file in one transaction (post, links, search index, term statistics); throws
   * ContentError for content that cannot be imported. Related lists are the caller's to refresh.
   */
  async importOne(
    source: SourceFile,
    warnings: ImportWarning[] = [],
  ): Promise<{ outcome: Exclude<ImportOutcome, 'failed'>; postId: number }> {
    const hash = createHash('sha256').update(PIPELINE_VERSION).update('\0').update(source.text).digest('hex');
    const posts = this.dataSource.getRepository(Post);
    const existing = await posts.findOne({ where: { sourcePath: source.path } });
    if (existing && existing.sourceHash === hash) return { outcome: 'unchanged', postId: existing.id };
    const article = prepareArticle(source, { postUrl: this.postUrl });
    return this.dataSource.transaction(async (manager) => {
      const slug = await this.freeSlug(manager, article.slug, existing?.id ?? null);
      if (slug !== article.slug) {
        warnings.push({
          file: source.path,
          message: `slug "${article.slug}" is already used by another file; this post gets "${slug}"`,
        });
      }
      const before = existing && existing.status !== 'deleted' ? termSet(existing.title, existing.bodyMarkdown) : null;
      const post = await this.savePost(manager, existing, article, slug, hash);
      await this.link(manager, post.id, article);
      await this.search.write(manager, { postId: post.id, ...article });
      await this.stats.apply(manager, before, termSet(article.title, article.bodyMarkdown));
      return { outcome: existing ? 'updated' : 'imported', postId: post.id };
    });
  }

  private async savePost(
    manager: EntityManager,
    existing: Post | null,
    article: PreparedArticle,
    slug: string,
    hash: string,
  ): Promise<Post> {
    const now = this.clock.now();
    const post = existing ?? manager.create(Post, { createdAt: now, version: 0 });
    Object.assign(post, {
      slug,
      title: article.title,
      excerpt: article.excerpt,
      bodyMarkdown: article.bodyMarkdown,
      bodyHtml: article.bodyHtml,
      headings: article.headings,
      readingTimeMinutes: article.readingTimeMinutes,
      language: article.language,
      status: article.draft ? 'draft' : 'published',
      // A published file with no date at all is published when it is first imported.
      publishedAt: article.publishedAt ?? (article.draft ? null : (existing?.publishedAt ?? now)),
      updatedAt: now,
      version: post.version + 1,
      frontMatter: article.frontMatter,
      contentIssues: article.contentIssues,
      sourcePath: article.sourcePath,
      sourceHash: hash,
    });
    return manager.save(Post, post);
  }

  /** The slug itself when free (or already this post's), else the first free `slug-N`, N ≥ 2. */
  private async freeSlug(manager: EntityManager, slug: string, postId: number | null): Promise<string> {
    // Candidates are asked for ten at a time by exact slug, which the unique index answers.
    for (let from = 1; ; from += 10) {
      const candidates = Array.from({ length: 10 }, (_, i) => (from + i === 1 ? slug : `${slug}-${from + i}`));
      const taken = await manager.getRepository(Post).find({ select: { id: true, slug: true }, where: { slug: In(candidates) } });
      const owner = new Map(taken.map((p) => [p.slug, p.id]));
      const free = candidates.find((c) => !owner.has(c) || owner.get(c) === postId);
      if (free) return free;
    }
  }

  private async link(manager: EntityManager, postId: number, article: PreparedArticle): Promise<void> {
    const authorNames = article.authors.length ? article.authors : [FALLBACK_AUTHOR];
    const links: [EntityTarget<PostAuthor | PostTag | PostCategory>, string, Named[]][] = [
      [PostAuthor, 'authorId', await this.terms(manager, Author, authorNames)],
      [PostTag, 'tagId', await this.terms(manager, Tag, article.tags)],
      [PostCategory, 'categoryId', await this.terms(manager, Category, article.categories)],
    ];
    for (const [entity, column, terms] of links) {
      await manager.delete(entity, { postId });
      if (terms.length === 0) continue;
      await manager.insert(
        entity,
        terms.map((term, position) => ({ postId, [column]: term.id, position })),
      );
    }
  }

  /**
   * The terms with these names, created when new. Names that slugify alike are one term (the
   * first spelling is kept), so `dirtyf` and `DirtyF` are one author.
   */
  private async terms<T extends Named>(manager: EntityManager, entity: EntityTarget<T>, names: string[]): Promise<T[]> {
    const bySlug = new Map<string, string>();
    for (const name of names) {
      const slug = slugify(name);
      if (!bySlug.has(slug)) bySlug.set(slug, name.trim());
    }
    if (bySlug.size === 0) return [];
    const slugs = [...bySlug.keys()];
    const repo = manager.getRepository(entity);
    const found = await repo.findBy({ slug: In(slugs) } as never);
    const missing = slugs.filter((slug) => !found.some((t) => t.slug === slug));
    if (missing.length) {
      await repo
        .createQueryBuilder()
        .insert()
        .values(missing.map((slug) => ({ slug, name: bySlug.get(slug)!.slice(0, 200) })) as never)
        .orIgnore()
        .execute();
      found.push(...(await repo.findBy({ slug: In(missing) } as never)));
    }
    const order = new Map(slugs.map((slug, i) => [slug, i]));
    return found.sort((a, b) => order.get(a.slug)! - order.get(b.slug)!);
  }
}

function termSet(title: string, bodyMarkdown: string): Set<string> {
  return new Set(termFrequencies(title, bodyMarkdown).keys());
}

function failureOf(file: string, error: unknown): ImportFailure {
  if (error instanceof ContentError) return { file, line: error.line, message: error.message };
  const message = error instanceof Error ? error.message : String(error);
  return { file, line: 0, message: `could not be stored: ${message.split('\n')[0]}` };
}
