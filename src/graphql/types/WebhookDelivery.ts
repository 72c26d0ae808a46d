import { Field, Int, ObjectType } from 'type-graphql';
import { Node } from './Node';
import { WebhookAttempt } from './WebhookAttempt';
import { WebhookDeliveryState } from './WebhookDeliveryState';
import { WebhookEventType } from './WebhookEventType';

@ObjectType('WebhookDelivery', {
  implements: Node,
  description: 'One event for one endpoint, with every attempt made to deliver it. Admins only: `node(id:)` gives it to admins and null to anyone else.',
})
export class WebhookDelivery extends Node {
  @Field({ description: 'The `webhook-id` header (`msg_…`): the same at every attempt and replay, so receivers can deduplicate.' })
  webhookId: string;

  @Field(() => WebhookEventType, { description: 'The event.' })
  eventType: WebhookEventType;

  @Field(() => WebhookDeliveryState, { description: 'Delivered, failed, or still to send.' })
  state: WebhookDeliveryState;

  @Field({ description: 'The JSON body sent (and signed), the same bytes at every attempt.' })
  payload: string;

  @Field(() => Date, { description: 'When the event happened.' })
  createdAt: Date;

  @Field(() => Date, { nullable: true, description: 'When the next attempt is due; null unless PENDING.' })
  nextAttemptAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the receiver accepted it; null unless DELIVERED.' })
  deliveredAt: Date | null;

  @Field(() => Int, { description: 'Attempts made since it was queued (or replayed).' })
  attemptCount: number;

  @Field(() => [WebhookAttempt], { description: 'Every attempt, the oldest first (replays included).' })
  attempts: WebhookAttempt[];
}
