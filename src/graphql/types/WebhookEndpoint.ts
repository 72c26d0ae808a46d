import { Field, Int, ObjectType } from 'type-graphql';
import { Node } from './Node';
import { WebhookEventType } from './WebhookEventType';

@ObjectType('WebhookEndpoint', {
  implements: Node,
  description:
    'A receiver an admin registered for webhook events. Its secret is shown only by `createWebhookEndpoint`. Admins only: ' +
    '`node(id:)` gives it to admins and null to anyone else.',
})
export class WebhookEndpoint extends Node {
  @Field({ description: 'Where events are POSTed.' })
  url: string;

  @Field(() => [WebhookEventType], { description: 'The events it receives.' })
  events: WebhookEventType[];

  @Field({ description: 'False once Kiji disabled it for failing; `enableWebhookEndpoint` enables it again.' })
  enabled: boolean;

  @Field(() => Int, { description: 'Failed attempts since its last successful one.' })
  consecutiveFailures: number;

  @Field(() => Date, { nullable: true, description: 'When Kiji disabled it; null while enabled.' })
  disabledAt: Date | null;

  @Field(() => String, { nullable: true, description: 'Why Kiji disabled it; null while enabled.' })
  disabledReason: string | null;

  @Field(() => Date, { description: 'When it was registered.' })
  createdAt: Date;
}
