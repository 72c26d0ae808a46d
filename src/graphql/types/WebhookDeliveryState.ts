import { registerEnumType } from 'type-graphql';

export enum WebhookDeliveryState {
  DELIVERED = 'delivered',
  FAILED = 'failed',
  PENDING = 'pending',
}

registerEnumType(WebhookDeliveryState, {
  name: 'WebhookDeliveryState',
  description: 'Where a delivery is.',
  valuesConfig: {
    DELIVERED: { description: 'The receiver answered 2xx.' },
    FAILED: { description: 'Every attempt failed; `replayWebhookDeliveries` queues it again.' },
    PENDING: { description: 'To be sent: now, at `nextAttemptAt`, or once its endpoint is enabled again.' },
  },
});
