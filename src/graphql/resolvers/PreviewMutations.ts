import { Arg, Ctx, ID, Int, Mutation, Resolver } from 'type-graphql';
import type { PreviewLink as PreviewLinkEntity } from '../../entities';
import { DEFAULT_PREVIEW_HOURS, PreviewLinkCreation as Creation } from '../../services/previews';
import type { Context } from '../context';
import { PreviewLink } from '../types/PreviewLink';
import { PreviewLinkCreation } from '../types/PreviewLinkCreation';

const EDITORS = 'Editors and admins only (UNAUTHENTICATED without a key, FORBIDDEN with a lesser one, a preview key included).';

/** Editors' preview links; the rules are in PreviewLinks. */
@Resolver()
export class PreviewMutations {
  @Mutation(() => PreviewLinkCreation, {
    description:
      'Makes a link that shows a post, whatever its status, to whoever holds it (`previewPost(token:)`), and returns its token, ' +
      `once. NOT_FOUND when there is no such post or it is deleted. ${EDITORS}`,
  })
  createPreviewLink(
    @Arg('postId', () => ID, { description: 'Global ID of the post (its `id`); BAD_USER_INPUT when it is not the ID of a post.' }) postId: string,
    @Arg('expiresInHours', () => Int, {
      nullable: true,
      description:
        `How long the link works, 1 to KIJI_PREVIEW_MAX_HOURS (720 by default) hours; BAD_USER_INPUT outside that. When absent, ` +
        `${DEFAULT_PREVIEW_HOURS} hours (7 days), or KIJI_PREVIEW_MAX_HOURS when that is less.`,
    })
    expiresInHours: number | null | undefined,
    @Ctx() ctx: Context,
  ): Promise<Creation> {
    return ctx.services.previews.create(ctx.viewer, postId, expiresInHours);
  }

  @Mutation(() => PreviewLink, {
    description: `Revokes a preview link: it stops working from the next request. Revoking it again changes nothing (\`revokedAt\` stays). ${EDITORS}`,
  })
  revokePreviewLink(
    @Arg('id', () => ID, { description: 'The link: its global ID (`PreviewLink.id`); BAD_USER_INPUT for any other ID, NOT_FOUND when there is no such link.' }) id: string,
    @Ctx() ctx: Context,
  ): Promise<PreviewLinkEntity> {
    return ctx.services.previews.revoke(ctx.viewer, id);
  }
}
