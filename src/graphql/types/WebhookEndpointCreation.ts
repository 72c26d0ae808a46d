import { Field, ObjectType } from 'type-graphql';
import { WebhookEndpoint } from './WebhookEndpoint';

@ObjectType('WebhookEndpointCreation', { description: 'A new endpoint, with its signing secret: store it now, it is not shown again.' })
export class WebhookEndpointCreation {
  @Field(() => WebhookEndpoint, { description: 'The endpoint.' })
  endpoint: WebhookEndpoint;

  @Field({
    description: 'The Standard Webhooks signing secret (`whsec_` and base64): give it to the receiver, which verifies `webhook-signature` with it.',
  })
  secret: string;
}
