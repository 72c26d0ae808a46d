import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, Info, Query, Resolver } from 'type-graphql';
import type { Post as PostEntity } from '../../entities';
import { FULL_POST } from '../../services/posts/read';
import type { Context } from '../context';
import { postInclude } from '../post-include';
import { Post } from '../types/Post';

@Resolver()
export class PreviewQueries {
  /**
   * The post is read whole (body and SEO columns too): a field that would otherwise fetch it again
   * through the request's loaders would look as the caller (anonymous, say) and find no draft.
   */
  @Query(() => Post, {
    nullable: true,
    description:
      'The post a preview link shows, whatever its status (a draft, a scheduled post), to whoever holds its token, with no API key. ' +
      'Null, as for `post(slug:)`, when the token is unknown, expired or revoked, or the post was deleted; it unlocks nothing ' +
      'else (`related`, `author { posts }` and every other read stay as the caller sees them). Never cached: the answer is ' +
      '`Cache-Control: no-store`. Pass the token in a variable, by POST, so that it stays out of URLs and query text (over GET: BAD_USER_INPUT).',
  })
  previewPost(
    @Arg('token', { description: 'The token `createPreviewLink` gave (`kpv_…`).' }) token: string,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<PostEntity | null> {
    return ctx.services.previews.post(token, ctx.loaders.read({ ...postInclude(info), ...FULL_POST }));
  }
}
