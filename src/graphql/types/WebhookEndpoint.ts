import { Field, ID, Int, ObjectType } from 'type-graphql';
import { WebhookEventType } from './WebhookEventType';

@ObjectType('WebhookEndpoint', { description: 'A receiver an admin registered for webhook events. Its secret is shown only by `createWebhookEndpoint`.' })
export class WebhookEndpoint {
  @Field(() => ID, { description: 'Identifier (`ep_…`), as `kiji webhooks list` shows it.' })
  id: string;

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
