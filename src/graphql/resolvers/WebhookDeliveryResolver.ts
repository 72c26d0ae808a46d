import { FieldResolver, ID, Resolver, Root } from 'type-graphql';
import { toGlobalId } from '../../services/shared';
import type { DeliveryView } from '../../services/webhooks';
import { NODE_ID_DESCRIPTION } from '../types/Node';
import { WebhookDelivery } from '../types/WebhookDelivery';

/** A delivery's key is the `webhook-id` receivers see; its global ID wraps that key. */
@Resolver(() => WebhookDelivery)
export class WebhookDeliveryResolver {
  @FieldResolver(() => ID, { description: NODE_ID_DESCRIPTION })
  id(@Root() delivery: DeliveryView): string {
    return toGlobalId('WebhookDelivery', delivery.id);
  }

  @FieldResolver(() => String)
  webhookId(@Root() delivery: DeliveryView): string {
    return delivery.id;
  }
}
