import { DataSource, EntityManager, In, IsNull } from 'typeorm';
import { ContentIssue, PreparedArticle, SourceFile } from '../../content';
import { normalizeSitePath, permalinkForms, postUrlMatcher } from '../../content/redirects';
import { normalizeNewlines, parseFrontMatter, splitFrontMatter } from '../../content/frontMatter';
import { pagePermalink, pageSlug } from '../../content/pages';
import { Page } from '../../entities';
import { bumpContentGeneration } from '../cache';
import type { WriteLock } from '../posts/write';
import type { Clock } from '../shared';

export type PageOutcome = 'imported' | 'updated' | 'unchanged';

/** A page needs no date: what the pipeline says about a post's date does not apply. */
const DATE_ISSUES = /^(DATE_|NO_DATE$)/;

/**
 * Stores imported pages (`pages`): each file in one write transaction that bumps the content
 * generation, so cached answers go; a file keeps its page across imports by its path, and an
 * unchanged file (same hash) is not written again. Pages are not posts: they never enter the
 * post feed, search, related lists, the partners' change log or webhooks, and have no revisions.
 */
export class PageWriter {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly lock: WriteLock,
    /** KIJI_PAGE_URL: the address of a page without a usable permalink. */
    pageUrlTemplate = '/{slug}',
  ) {
    this.slugAt = postUrlMatcher(pageUrlTemplate);
  }

  private readonly slugAt: (path: string, query: string) => string | null;

  /** Which of `paths` are a page's address (its permalink or the page URL template's): path → its slug. */
  pagesAt(manager: EntityManager, paths: readonly string[]): Promise<Map<string, string>> {
    return pagesAt(manager, paths, this.slugAt);
  }

  /**
   * The file at `sourcePath` is a post now: its page, if it had one, goes (pages have no soft
   * delete) and cached answers with it. In the caller's write transaction; answers the page's slug.
   */
  async removeBySource(manager: EntityManager, sourcePath: string): Promise<string | null> {
    const page = await manager.findOne(Page, { where: { sourcePath }, select: { id: true, slug: true } });
    if (!page) return null;
    await manager.delete(Page, { id: page.id });
    await bumpContentGeneration(manager);
    return page.slug;
  }

  /**
   * Imports one page file. `hash` is the importer's hash of the file and how it is read;
   * `prepare` renders it (only when it changed); `warn` hears what the import should report.
   */
  async importPage(
    source: SourceFile,
    hash: string,
    prepare: () => PreparedArticle,
    warn: (issue: ContentIssue) => void,
    /** Runs in the transaction that inserts a new page (the file was a post, maybe: the caller retires it). */
    onInsert?: (manager: EntityManager) => Promise<void>,
  ): Promise<PageOutcome> {
    const stored = await this.dataSource.getRepository(Page).findOne({ where: { sourcePath: source.path }, select: { id: true, sourceHash: true } });
    if (stored?.sourceHash === hash) return 'unchanged';
    const article = prepare();
    for (const issue of article.contentIssues) if (!DATE_ISSUES.test(issue.code)) warn(issue);
    const declared = parseFrontMatter(source.path, splitFrontMatter(source.path, normalizeNewlines(source.text))).data;
    return this.lock.transaction(async (manager) => {
      // Again, in turn with other writers: another import may have stored this file meanwhile.
      const existing = await manager.findOne(Page, { where: { sourcePath: source.path } });
      if (existing?.sourceHash === hash) return 'unchanged';
      const wanted = pageSlug(source.path, declared, article.title);
      const slug = await freePageSlug(manager, wanted, existing?.id ?? null);
      if (slug !== wanted) {
        warn({ file: source.path, line: 1, code: 'SLUG_TAKEN', message: `page slug "${wanted}" is already used by another page; this page gets "${slug}"` });
      }
      const columns = {
        slug,
        path: pagePermalink(article.frontMatter),
        title: article.title,
        excerpt: article.excerpt,
        bodyMarkdown: article.bodyMarkdown,
        bodyHtml: article.bodyHtml,
        headings: article.headings,
        language: article.language,
        status: article.draft ? ('draft' as const) : ('published' as const),
        frontMatter: article.frontMatter,
        coverImage: article.coverImage,
        seo: article.seo,
        noindex: article.noindex,
        sourcePath: source.path,
      };
      if (existing && sameColumns(existing, columns)) {
        // A new pipeline that reads this file as before: remember the hash, change nothing else.
        await manager.update(Page, { id: existing.id }, { sourceHash: hash });
        return 'unchanged';
      }
      const now = this.clock.now();
      // simple-json columns are serialized by the driver; TypeORM's partial type cannot say so.
      if (existing) await manager.update(Page, { id: existing.id }, { ...columns, sourceHash: hash, updatedAt: now } as never);
      else {
        await manager.insert(Page, { ...columns, sourceHash: hash, createdAt: now, updatedAt: now } as never);
        await onInsert?.(manager);
      }
      await bumpContentGeneration(manager);
      return existing ? 'updated' : 'imported';
    });
  }
}

/**
 * Which of `paths` (normalized, content/redirects.ts) are some page's address, draft or not:
 * path → the page's slug. A page's address is its permalink, else the page URL template's. One
 * statement; run in the caller's write transaction.
 */
export async function pagesAt(manager: EntityManager, paths: readonly string[], slugAt: (path: string, query: string) => string | null): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  if (paths.length === 0) return found;
  const forms = [...new Set(paths.flatMap(permalinkForms))];
  const slugs = [...new Set(paths.flatMap((p) => slugAt(p, '') ?? []))];
  const rows = await manager.find(Page, {
    where: [{ path: In(forms) }, ...(slugs.length ? [{ path: IsNull(), slug: In(slugs) }] : [])],
    select: { slug: true, path: true },
  });
  for (const path of paths) {
    const page = rows.find((r) => (r.path === null ? r.slug === slugAt(path, '') : addressOf(r.path) === path));
    if (page) found.set(path, page.slug);
  }
  return found;
}

function addressOf(permalink: string): string | null {
  const reading = normalizeSitePath(permalink);
  return 'path' in reading ? reading.path : null;
}

/** The slug itself when no other page has it, else the first free `slug-N`, N ≥ 2 (pages and posts have slugs of their own). */
async function freePageSlug(manager: EntityManager, slug: string, pageId: number | null): Promise<string> {
  for (let from = 1; ; from += 10) {
    const candidates = Array.from({ length: 10 }, (_, i) => (from + i === 1 ? slug : `${slug}-${from + i}`));
    const taken = await manager.createQueryBuilder(Page, 'g').select(['g.id', 'g.slug']).where('g.slug IN (:...candidates)', { candidates }).getMany();
    const free = candidates.find((c) => !taken.some((t) => t.slug === c && t.id !== pageId));
    if (free) return free;
  }
}

function sameColumns(page: Page, columns: Partial<Page>): boolean {
  return Object.entries(columns).every(([key, value]) => JSON.stringify(page[key as keyof Page] ?? null) === JSON.stringify(value ?? null));
}
