import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType('WebhookAttempt', { description: 'One request Kiji made to deliver an event.' })
export class WebhookAttempt {
  @Field(() => Date, { description: 'When the request started.' })
  attemptedAt: Date;

  @Field(() => Int, { nullable: true, description: "The receiver's HTTP status; null when no answer came (refused, unreachable, timed out)." })
  statusCode: number | null;

  @Field(() => Int, { description: 'How long the request took, in milliseconds.' })
  latencyMs: number;

  @Field(() => String, { nullable: true, description: 'Why the attempt failed; null when it succeeded (2xx).' })
  error: string | null;
}
