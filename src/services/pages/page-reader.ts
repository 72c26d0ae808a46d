import type { DataSource, SelectQueryBuilder } from 'typeorm';
import { Page } from '../../entities';
import { seesUnpublished, Viewer } from '../access';
import { Page as ListPage, PageArgs, slugOrderPage } from '../shared';

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

  /** Pages in slug order, a window at a time. */
  page(viewer: Viewer, args: PageArgs): Promise<ListPage<Page>> {
    return slugOrderPage(this.visible(viewer), 'g', args);
  }

  count(viewer: Viewer): Promise<number> {
    return this.visible(viewer).getCount();
  }
}
