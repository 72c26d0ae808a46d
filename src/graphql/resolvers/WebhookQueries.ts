import { Arg, Ctx, ID, Int, Query, Resolver } from 'type-graphql';
import { DeliveryView, EndpointView, MAX_DELIVERIES_PAGE } from '../../services/webhooks';
import type { Context } from '../context';
import { WebhookDelivery } from '../types/WebhookDelivery';
import { WebhookEndpoint } from '../types/WebhookEndpoint';

/** Said in the description of every webhook query and mutation (WebhookMutations.ts too). */
export const ADMINS = 'Admins only: other keys get FORBIDDEN, no key UNAUTHENTICATED.';

@Resolver()
export class WebhookQueries {
  @Query(() => [WebhookEndpoint], { description: `Every registered webhook endpoint, the oldest first (secrets are never shown again). ${ADMINS}` })
  webhookEndpoints(@Ctx() ctx: Context): Promise<EndpointView[]> {
    return ctx.services.webhooks.list(ctx.viewer);
  }

  @Query(() => [WebhookDelivery], { description: `An endpoint's latest deliveries, the newest first, each with its attempts. ${ADMINS}` })
  webhookDeliveries(
    @Arg('endpointId', () => ID, { description: 'The endpoint: its global ID (`WebhookEndpoint.id`); NOT_FOUND when there is no such endpoint.' }) endpointId: string,
    @Arg('first', () => Int, { defaultValue: 20, description: `How many, 1 to ${MAX_DELIVERIES_PAGE}.` }) first: number,
    @Ctx() ctx: Context,
  ): Promise<DeliveryView[]> {
    return ctx.services.webhooks.deliveries(ctx.viewer, endpointId, first);
  }
}
