import { Arg, Args, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { Post as PostEntity } from '../../entities';
import { fromGlobalId } from '../../services/cursor';
import { badInput } from '../../services/errors';
import { postCursor, PostOrderKey } from '../../services/post-order';
import type { Context } from '../context';
import { ConnectionArgs, PostFilterInput } from '../types/args';
import { ConnectionValue, toConnection } from '../types/connection';
import { PostOrder } from '../types/enums';
import { Post, PostConnection } from '../types/Post';

@Resolver()
export class PostQueries {
  @Query(() => Post, { nullable: true, description: 'A post by slug or by ID; null when there is none you may see.' })
  async post(
    @Ctx() ctx: Context,
    @Arg('slug', () => String, { nullable: true }) slug?: string | null,
    @Arg('id', () => ID, { nullable: true }) id?: string | null,
  ): Promise<PostEntity | null> {
    if ((slug == null) === (id == null)) throw badInput('Pass exactly one of `slug` or `id`', { argument: 'slug' });
    if (slug != null) return ctx.loaders.postBySlug.load(slug);
    const ref = fromGlobalId(id!);
    return ref.type === 'Post' ? ctx.loaders.postById.load(ref.id) : null;
  }

  @Query(() => PostConnection)
  async posts(
    @Ctx() ctx: Context,
    @Args() args: ConnectionArgs,
    @Arg('filter', () => PostFilterInput, { nullable: true }) filter?: PostFilterInput | null,
    @Arg('orderBy', () => PostOrder, { defaultValue: PostOrder.NEWEST }) orderBy: PostOrder = PostOrder.NEWEST,
  ): Promise<ConnectionValue<PostEntity>> {
    const order = orderBy as PostOrderKey;
    const f = filter ?? {};
    const page = await ctx.services.posts.page(ctx.viewer, f, order, args);
    for (const post of page.rows) ctx.loaders.postById.prime(post.id, post);
    return toConnection(page, (post) => postCursor(order, post), () => ctx.services.posts.count(ctx.viewer, f));
  }
}
