import { Ctx, FieldResolver, ID, Resolver, Root } from 'type-graphql';
import type { CoverImageSource } from '../../content';
import type { Page as PageEntity } from '../../entities';
import type { SeoView } from '../../services/media';
import { toGlobalId } from '../../services/shared';
import type { Context } from '../context';
import { NODE_ID_DESCRIPTION } from '../types/Node';
import { Page, PageStatus } from '../types/Page';
import { Seo } from '../types/Seo';

/** Page's fields that are not plain columns: its ID, address, status, cover image and SEO (no database reads). */
@Resolver(() => Page)
export class PageResolver {
  @FieldResolver(() => ID, { description: NODE_ID_DESCRIPTION })
  id(@Root() page: PageEntity): string {
    return toGlobalId('Page', page.id);
  }

  @FieldResolver()
  url(@Root() page: PageEntity, @Ctx() ctx: Context): string {
    return ctx.services.pages.urlOf(page);
  }

  @FieldResolver(() => PageStatus)
  status(@Root() page: PageEntity): PageStatus {
    return page.status === 'draft' ? PageStatus.DRAFT : PageStatus.PUBLISHED;
  }

  @FieldResolver()
  coverImage(@Root() page: PageEntity): CoverImageSource | null {
    return page.coverImage ?? null;
  }

  @FieldResolver(() => Seo)
  seo(@Root() page: PageEntity, @Ctx() ctx: Context): SeoView {
    return ctx.services.presentation.seo({
      declared: page.seo,
      title: page.title,
      description: page.excerpt,
      url: ctx.services.pages.urlOf(page),
      image: page.coverImage?.src ?? null,
      // SQLite hands booleans back as 0 and 1.
      noindex: Boolean(page.noindex),
    });
  }
}
