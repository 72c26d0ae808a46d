import type { DataSource, SelectQueryBuilder } from 'typeorm';
import { Page } from '../../entities';
import { seesUnpublished, Viewer } from '../access';
import { badInput, decodeCursor, encodeCursor, Page as ListPage, PageArgs, pageWindow, toPage } from '../shared';

export function pageCursor(page: Page): string {
  return encodeCursor([page.slug, page.id]);
}

/**
 * Reads pages as a viewer may see them: published ones for everyone, drafts (`published: false`)
 * also for editors, admins and preview keys. Each method is one statement.
 */
export class PageReader {
  constructor(
    private readonly dataSource: DataSource,
    /** `Page.url` of a page without a usable permalink, from KIJI_PAGE_URL (`/{slug}`). */
    private readonly pageUrl: (slug: string) => string,
  ) {}

  /** The page's public address: its front matter's `permalink`, else the page URL template's. */
  urlOf(page: Page): string {
    return page.path ?? this.pageUrl(page.slug);
  }

  private visible(viewer: Viewer): SelectQueryBuilder<Page> {
    const qb = this.dataSource.getRepository(Page).createQueryBuilder('g');
    return seesUnpublished(viewer) ? qb : qb.andWhere("g.status = 'published'");
  }

  async byIds(viewer: Viewer, ids: readonly number[]): Promise<Page[]> {
    if (ids.length === 0) return [];
    return this.visible(viewer)
      .andWhere('g.id IN (:...ids)', { ids: [...ids] })
      .getMany();
  }

  async bySlugs(viewer: Viewer, slugs: readonly string[]): Promise<Page[]> {
    if (slugs.length === 0) return [];
    return this.visible(viewer)
      .andWhere('g.slug IN (:...slugs)', { slugs: [...slugs] })
      .getMany();
  }

  /** Pages in slug order, a window at a time (one more row than asked, to tell whether more follow). */
  async page(viewer: Viewer, args: PageArgs): Promise<ListPage<Page>> {
    const window = pageWindow(args);
    if (window.limit === 0) return toPage<Page>(window, [], pageCursor);
    const qb = this.visible(viewer);
    const [after, before] = window.direction === 'forward' ? [window.cursor, window.bound] : [window.bound, window.cursor];
    for (const [cursor, side] of [
      [after, 'after'],
      [before, 'before'],
    ] as const) {
      if (cursor == null) continue;
      const [slug, id] = decodeCursor(cursor, 2, side);
      if (typeof slug !== 'string' || typeof id !== 'number') throw badInput(`\`${side}\` is not a valid cursor for this list`, { argument: side });
      const op = side === 'after' ? '>' : '<';
      qb.andWhere(`(g.slug ${op} :${side}Slug OR (g.slug = :${side}Slug AND g.id ${op} :${side}Id))`, { [`${side}Slug`]: slug, [`${side}Id`]: id });
    }
    const dir = window.direction === 'forward' ? 'ASC' : 'DESC';
    qb.orderBy('g.slug', dir)
      .addOrderBy('g.id', dir)
      .limit(window.limit + 1);
    return toPage<Page>(window, await qb.getMany(), pageCursor);
  }

  count(viewer: Viewer): Promise<number> {
    return this.visible(viewer).getCount();
  }
}
