import { Arg, Args, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { Page as PageEntity } from '../../entities';
import type { Context } from '../context';
import { ConnectionArgs } from '../types/args';
import { ConnectionValue, toConnection } from '../types/connection';
import { Page, PageConnection } from '../types/Page';
import { ID_ARGUMENT, lookupBySlugOrId, SLUG_ARGUMENT } from './lookup';

@Resolver()
export class PageQueries {
  @Query(() => Page, {
    nullable: true,
    description: 'A page (About, Contact) by slug or by ID (give exactly one; BAD_USER_INPUT otherwise); null when there is none you may see.',
  })
  page(
    @Ctx() ctx: Context,
    @Arg('slug', () => String, { nullable: true, description: SLUG_ARGUMENT }) slug?: string | null,
    @Arg('id', () => ID, { nullable: true, description: ID_ARGUMENT }) id?: string | null,
  ): Promise<PageEntity | null> {
    return lookupBySlugOrId(slug, id, 'Page', { bySlug: ctx.loaders.pageBySlug, byId: ctx.loaders.pageById });
  }

  @Query(() => PageConnection, { description: 'Pages you may see (drafts only with an editor, admin or preview key), in slug order, a page at a time.' })
  async pages(@Ctx() ctx: Context, @Args() args: ConnectionArgs): Promise<ConnectionValue<PageEntity>> {
    const page = await ctx.services.pages.page(ctx.viewer, args);
    for (const row of page.rows) ctx.loaders.pageById.prime(row.id, row);
    return toConnection(page, () => ctx.services.pages.count(ctx.viewer));
  }
}
