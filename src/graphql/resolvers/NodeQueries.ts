import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import { parseGlobalId } from '../../services/shared';
import type { Context } from '../context';
import { Node } from '../types/Node';

@Resolver()
export class NodeQueries {
  /**
   * An ID that is not one Kiji could have given (not base64url, an unknown type, an id out of
   * range) names no object, and Relay clients refetch by `node` expecting null for such: it is
   * null here, not an error (the other `id` arguments refuse it with BAD_USER_INPUT).
   */
  @Query(() => Node, {
    nullable: true,
    description:
      'Any object by its global ID (Relay Object Identification). Null, not an error, when there is no such object, when ' +
      'you may not see it (deleted posts, revisions and preview links are for editors and admins only, drafts and scheduled posts ' +
      'also for preview keys, webhook endpoints and deliveries ' +
      'for admins only), or when the ID is not one ' +
      'Kiji gives.',
  })
  async node(@Arg('id', () => ID, { description: 'A global ID, as an `id` field gave it.' }) id: string, @Ctx() ctx: Context): Promise<object | null> {
    const ref = parseGlobalId(id);
    switch (ref?.type) {
      case 'Post':
        return ctx.loaders.postById().load(ref.id);
      case 'Author':
        return ctx.loaders.authors.byId.load(ref.id);
      case 'Tag':
        return ctx.loaders.tags.byId.load(ref.id);
      case 'Category':
        return ctx.loaders.categories.byId.load(ref.id);
      case 'Page':
        return ctx.loaders.pageById.load(ref.id);
      case 'PostRevision':
        return ctx.loaders.revisionById.load(ref.id);
      case 'WebhookEndpoint':
        return ctx.loaders.webhookEndpointById.load(ref.id);
      case 'WebhookDelivery':
        return ctx.loaders.webhookDeliveryById.load(ref.id);
      case 'PreviewLink':
        return ctx.loaders.previewLinkById.load(ref.id);
      default:
        return null;
    }
  }
}
