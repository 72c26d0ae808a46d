import type { GraphQLResolveInfo } from 'graphql';
import { Ctx, FieldResolver, ID, Info, Resolver, Root } from 'type-graphql';
import type { Post as PostEntity, PreviewLink as PreviewLinkEntity } from '../../entities';
import { toGlobalId } from '../../services/shared';
import type { Context } from '../context';
import { postInclude } from '../post-include';
import { NODE_ID_DESCRIPTION } from '../types/Node';
import { Post } from '../types/Post';
import { PreviewLink } from '../types/PreviewLink';

/** A preview link's global ID wraps its key (`pl_…`); its post comes through the request's loaders. */
@Resolver(() => PreviewLink)
export class PreviewLinkResolver {
  @FieldResolver(() => ID, { description: NODE_ID_DESCRIPTION })
  id(@Root() link: PreviewLinkEntity): string {
    return toGlobalId('PreviewLink', link.id);
  }

  @FieldResolver(() => Post, { nullable: true, description: 'The post it shows; null when you may not see it.' })
  post(@Root() link: PreviewLinkEntity, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): Promise<PostEntity | null> {
    return ctx.loaders.postById(postInclude(info)).load(link.postId);
  }
}
