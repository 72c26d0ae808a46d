import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Post as PostEntity, PreviewLink as PreviewLinkEntity } from '../../entities';
import { requireEditor } from '../../services/access';
import type { Context } from '../context';
import { Post } from '../types/Post';
import { PreviewLink } from '../types/PreviewLink';

/** `Post.previewLinks`, beside the preview links' own resolvers rather than in PostResolver: editors' data, not the post's. */
@Resolver(() => Post)
export class PostPreviewLinksResolver {
  @FieldResolver(() => [PreviewLink], {
    description:
      "The post's preview links that still work (neither expired nor revoked), newest first. Editors and admins only " +
      '(UNAUTHENTICATED without a key, FORBIDDEN with a lesser one). `createPreviewLink` makes one.',
  })
  previewLinks(@Root() post: PostEntity, @Ctx() ctx: Context): Promise<PreviewLinkEntity[]> {
    requireEditor(ctx.viewer);
    return ctx.loaders.previewLinksOf.load(post.id);
  }
}
