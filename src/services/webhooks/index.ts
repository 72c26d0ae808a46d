/**
 * Signed webhooks (README "Partners → webhooks"): the outbox every post write fills in its own
 * transaction (outbox.ts, events.ts), the worker that delivers it with leases, retries and
 * signatures (worker.ts, outcomes.ts, sender.ts, address-guard.ts), the sweeper of scheduled posts
 * going live (sweeper.ts), retention (retention.ts), and the admins' endpoints (endpoints.ts). The statements are in statements.ts.
 * This file is the folder's public face: code outside it imports from here.
 */
export { WEBHOOK_EVENTS, webhookPostUrl } from './events';
export type { WebhookEventName, WebhookPayload } from './events';
export { WebhookEndpoints, MAX_DELIVERIES_PAGE } from './endpoints';
export type { DeliveryView, EndpointView } from './endpoints';
export { WebhookOutbox } from './outbox';
export { WebhookWorker } from './worker';
export { refusalOf } from './address-guard';
