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
import { relatedAhead } from '../related-ahead';
import { ID_ARGUMENT, lookupBySlugOrId, SLUG_ARGUMENT, slugOrId } from './lookup';

@Resolver()
export class PostQueries {
  @Query(() => Post, {
    nullable: true,
    description:
      'A post by slug or by ID (give exactly one; BAD_USER_INPUT otherwise); null when there is none you may see. A slug the post had ' +
      'before it was renamed finds it too (its `slug` is the current one: answer the old address with a redirect, see `redirect`).',
  })
  async post(
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
    @Arg('slug', () => String, { nullable: true, description: SLUG_ARGUMENT }) slug?: string | null,
    @Arg('id', () => ID, { nullable: true, description: ID_ARGUMENT }) id?: string | null,
  ): Promise<PostEntity | null> {
    const include = postInclude(info);
    // An article page (the post and its related posts) by slug is one statement.
    const given = slugOrId(slug, id);
    const ahead = 'slug' in given ? relatedAhead(info) : null;
    if (ahead && 'slug' in given) return ctx.loaders.postWithRelated(given.slug, include, ahead);
    return lookupBySlugOrId(slug, id, 'Post', { bySlug: ctx.loaders.postBySlug(include), byId: ctx.loaders.postById(include) });
  }

  @Query(() => PostConnection, {
    description: 'Posts you may see, newest first (with `filter.query`, best match first), a page at a time.',
  })
  async posts(
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
    @Args() args: ConnectionArgs,
    @Arg('filter', () => PostFilterInput, { nullable: true, description: 'Which posts; all published ones when absent.' }) filter?: PostFilterInput | null,
    @Arg('orderBy', () => PostOrder, { nullable: true, description: 'The order; when absent, NEWEST, or RELEVANCE under a search (`filter.query`).' })
    orderBy?: PostOrder | null,
  ): Promise<ConnectionValue<PostEntity>> {
    const f = filter ?? {};
    requirePlainFilter(f);
    const order = orderBy ?? PostReader.defaultOrder(f);
    const page = await ctx.loaders.postPage(f, order, args, postInclude(info, ['edges', 'node']));
    return toConnection(page, () => ctx.services.posts.count(ctx.viewer, f));
  }
}
