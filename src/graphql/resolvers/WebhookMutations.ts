import { Arg, Ctx, ID, Int, Mutation, Resolver } from 'type-graphql';
import type { EndpointView } from '../../services/webhooks';
import type { Context } from '../context';
import { WebhookEndpoint } from '../types/WebhookEndpoint';
import { WebhookEndpointCreation } from '../types/WebhookEndpointCreation';
import { WebhookEventType } from '../types/WebhookEventType';
import { ADMINS } from './WebhookQueries';

const ENDPOINT_ID = 'The endpoint: its global ID (`WebhookEndpoint.id`); BAD_USER_INPUT for any other ID, NOT_FOUND when there is no such endpoint.';

/** Admins' webhook administration; the rules are in WebhookEndpoints. */
@Resolver()
export class WebhookMutations {
  @Mutation(() => WebhookEndpointCreation, {
    description: `Registers a receiver for webhook events and returns its signing secret, once. ${ADMINS}`,
  })
  createWebhookEndpoint(
    @Arg('url', {
      description:
        'Where to POST events: http or https, at most 2,000 characters, no user name or password. Private, loopback and link-local addresses are ' +
        'refused (BAD_USER_INPUT here for an address, at each delivery for a name that resolves to one) unless KIJI_WEBHOOK_ALLOW_PRIVATE is on.',
    })
    url: string,
    @Arg('events', () => [WebhookEventType], { description: 'The events to receive, at least one.' }) events: WebhookEventType[],
    @Ctx() ctx: Context,
  ): Promise<{ endpoint: EndpointView; secret: string }> {
    return ctx.services.webhooks.create(ctx.viewer, url, events);
  }

  @Mutation(() => ID, { description: `Removes an endpoint, with its deliveries; returns its id. ${ADMINS}` })
  async deleteWebhookEndpoint(@Arg('id', () => ID, { description: ENDPOINT_ID }) id: string, @Ctx() ctx: Context): Promise<string> {
    await ctx.services.webhooks.remove(ctx.viewer, id);
    return id;
  }

  @Mutation(() => WebhookEndpoint, {
    description: `Enables an endpoint Kiji disabled: its held deliveries go out again (failed ones need \`replayWebhookDeliveries\`). ${ADMINS}`,
  })
  enableWebhookEndpoint(@Arg('id', () => ID, { description: ENDPOINT_ID }) id: string, @Ctx() ctx: Context): Promise<EndpointView> {
    return ctx.services.webhooks.enable(ctx.viewer, id);
  }

  @Mutation(() => Int, {
    description:
      "Queues an endpoint's FAILED deliveries again, with fresh attempts and their original `webhook-id`; returns how many. It does not " +
      'enable a disabled endpoint: on one, the deliveries are counted and queued now but sent only once `enableWebhookEndpoint` enables it ' +
      `(so the receiver can be fixed first). ${ADMINS}`,
  })
  replayWebhookDeliveries(
    @Arg('endpointId', () => ID, { description: ENDPOINT_ID }) endpointId: string,
    @Arg('since', () => Date, { nullable: true, description: 'Only deliveries of events from this instant on; all of them when absent.' }) since: Date | null,
    @Ctx() ctx: Context,
  ): Promise<number> {
    return ctx.services.webhooks.replay(ctx.viewer, endpointId, since ?? null);
  }
}
