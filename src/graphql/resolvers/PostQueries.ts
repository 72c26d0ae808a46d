import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, ID, Info, Query, Resolver } from 'type-graphql';
import type { Post as PostEntity } from '../../entities';
import { PostReader } from '../../services/posts/read';
import { requirePlainFilter } from '../../services/shared';
import type { Context } from '../context';
import { ConnectionArgs, PostFilterInput } from '../types/args';
import { ConnectionValue, toConnection } from '../types/connection';
import { PostOrder } from '../types/enums';
import { Post, PostConnection } from '../types/Post';
import { postInclude } from '../post-include';
import { lookupBySlugOrId } from './lookup';

@Resolver()
export class PostQueries {
  @Query(() => Post, { nullable: true, description: 'A post by slug or by ID; null when there is none you may see.' })
  async post(
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
    @Arg('slug', () => String, { nullable: true }) slug?: string | null,
    @Arg('id', () => ID, { nullable: true }) id?: string | null,
  ): Promise<PostEntity | null> {
    const include = postInclude(info);
    return lookupBySlugOrId(slug, id, 'Post', { bySlug: ctx.loaders.postBySlug(include), byId: ctx.loaders.postById(include) });
  }

  @Query(() => PostConnection, { description: 'Posts, newest first; with `filter.query`, best match first.' })
  async posts(
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
    @Args() args: ConnectionArgs,
    @Arg('filter', () => PostFilterInput, { nullable: true }) filter?: PostFilterInput | null,
    @Arg('orderBy', () => PostOrder, { nullable: true, description: 'NEWEST, or RELEVANCE under a search.' })
    orderBy?: PostOrder | null,
  ): Promise<ConnectionValue<PostEntity>> {
    const f = filter ?? {};
    requirePlainFilter(f);
    const order = orderBy ?? PostReader.defaultOrder(f);
    const page = await ctx.loaders.postPage(f, order, args, postInclude(info, ['edges', 'node']));
    return toConnection(page, () => ctx.services.posts.count(ctx.viewer, f));
  }
}
