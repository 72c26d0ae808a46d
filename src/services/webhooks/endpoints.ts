import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { WebhookSettings } from '../../config';
import type { WebhookAttempt, WebhookDelivery, WebhookEndpoint } from '../../entities';
import { requireAdmin, Viewer } from '../access';
import type { WriteLock } from '../posts/write';
import type { Clock } from '../shared';
import { badInput, keyOfGlobalId, KijiError } from '../shared';
import { refusalOfUrl } from './address-guard';
import { purgeOlderThan, retentionCutoff } from './retention';
import { WEBHOOK_EVENTS, WebhookEventName } from './events';
import {
  allEndpoints,
  deleteEndpoint,
  deliveriesByIds,
  enableEndpoint,
  endpointById,
  endpointsByIds,
  hasEndpoints,
  insertEndpoint,
  recentDeliveries,
  requeueFailed,
  scheduledMark,
  setScheduledMark,
} from './statements';

/** An endpoint as admins see it: everything but the secret, which is shown once, at creation. */
export type EndpointView = Omit<WebhookEndpoint, 'secret'> & { enabled: boolean };
/** A delivery as admins see it: no lease internals; `nextAttemptAt` only while pending. */
export interface DeliveryView {
  id: string;
  eventType: WebhookDelivery['eventType'];
  state: WebhookDelivery['state'];
  payload: string;
  createdAt: Date;
  nextAttemptAt: Date | null;
  deliveredAt: Date | null;
  attemptCount: number;
  attempts: Pick<WebhookAttempt, 'attemptedAt' | 'statusCode' | 'latencyMs' | 'error'>[];
}

export const MAX_URL_LENGTH = 2000;
export const MAX_DELIVERIES_PAGE = 100;

/**
 * Admins' side of webhooks: register, list, remove, enable endpoints; replay failed deliveries;
 * read recent deliveries. Every method is for admins only (requireAdmin), whoever calls it: the
 * GraphQL resolvers pass the request's viewer, the CLI its own admin.
 */
export class WebhookEndpoints {
  constructor(
    private readonly dataSource: DataSource,
    private readonly lock: WriteLock,
    private readonly clock: Clock,
    private readonly wallClock: Clock,
    private readonly settings: WebhookSettings,
  ) {}

  /** How many days deliveries are kept (KIJI_WEBHOOK_RETENTION_DAYS): what `purge` deletes by default. */
  get retentionDays(): number {
    return this.settings.retentionDays;
  }

  /** A new endpoint and its secret (`whsec_…`, as Standard Webhooks has it), which is not shown again. */
  async create(viewer: Viewer, url: string, events: readonly string[]): Promise<{ endpoint: EndpointView; secret: string }> {
    requireAdmin(viewer);
    const target = this.checkedUrl(url);
    const subscribed = checkedEvents(events);
    const secret = `whsec_${randomBytes(24).toString('base64')}`;
    const endpoint: WebhookEndpoint = {
      id: `ep_${randomBytes(12).toString('base64url')}`,
      url: target,
      events: subscribed,
      secret,
      consecutiveFailures: 0,
      disabledAt: null,
      disabledReason: null,
      createdAt: this.clock.now(),
    };
    await this.lock.transaction(
      async (manager) => {
        // While no endpoint exists the worker does not sweep (worker.ts); posts that went live
        // meanwhile were announced to nobody, so the first endpoint starts the sweep from now
        // (never back: what was swept is not swept again).
        if (!(await hasEndpoints(manager))) {
          const mark = await scheduledMark(manager);
          const now = this.clock.now();
          if (!mark || mark.getTime() < now.getTime()) await setScheduledMark(manager, now);
        }
        await insertEndpoint(manager, endpoint);
      },
      { content: false },
    );
    return { endpoint: viewOf(endpoint), secret };
  }

  async list(viewer: Viewer): Promise<EndpointView[]> {
    requireAdmin(viewer);
    return (await allEndpoints(this.dataSource)).map(viewOf);
  }

  /** Removes an endpoint (its global ID, `argument` names it in errors) with its deliveries; NOT_FOUND when there is none. */
  async remove(viewer: Viewer, id: string, argument = 'id'): Promise<void> {
    requireAdmin(viewer);
    const key = keyOfGlobalId(id, 'WebhookEndpoint', argument);
    if (!(await this.lock.transaction((manager) => deleteEndpoint(manager, key), { content: false }))) throw notFound(id, argument);
  }

  /** Enables a disabled endpoint: its held deliveries go out again; failed ones need `replay`. */
  async enable(viewer: Viewer, id: string, argument = 'id'): Promise<EndpointView> {
    requireAdmin(viewer);
    const key = keyOfGlobalId(id, 'WebhookEndpoint', argument);
    await this.lock.transaction((manager) => enableEndpoint(manager, key), { content: false });
    return viewOf(await this.existing(key, id, argument));
  }

  /**
   * Puts the endpoint's failed deliveries (of events since `since`, if given) back in the queue;
   * how many. It does not enable a disabled endpoint (an admin may want to fix the receiver first):
   * they are counted now and go out once `enable` is called.
   */
  async replay(viewer: Viewer, id: string, since: Date | null, argument = 'endpointId'): Promise<number> {
    requireAdmin(viewer);
    const key = keyOfGlobalId(id, 'WebhookEndpoint', argument);
    await this.existing(key, id, argument);
    return this.lock.transaction((manager) => requeueFailed(manager, key, since, this.wallClock.now()), { content: false });
  }

  /** The endpoint's latest deliveries, newest first, with their attempts. */
  async deliveries(viewer: Viewer, id: string, first: number, argument = 'endpointId'): Promise<DeliveryView[]> {
    requireAdmin(viewer);
    if (!Number.isInteger(first) || first < 1 || first > MAX_DELIVERIES_PAGE) {
      throw badInput(`\`first\` must be from 1 to ${MAX_DELIVERIES_PAGE}`, { argument: 'first', limit: MAX_DELIVERIES_PAGE });
    }
    const key = keyOfGlobalId(id, 'WebhookEndpoint', argument);
    await this.existing(key, id, argument);
    return (await recentDeliveries(this.dataSource, key, first)).map(deliveryViewOf);
  }

  /** Endpoints by key, for `node(id:)`: admins see them, anyone else nothing (no error: Relay expects null). */
  async byIds(viewer: Viewer, keys: readonly string[]): Promise<EndpointView[]> {
    if (viewer.role !== 'admin') return [];
    return (await endpointsByIds(this.dataSource, keys)).map(viewOf);
  }

  /** Deliveries by key (`msg_…`), with their attempts, for `node(id:)`: admins only, as byIds. */
  async deliveriesByIds(viewer: Viewer, keys: readonly string[]): Promise<DeliveryView[]> {
    if (viewer.role !== 'admin') return [];
    return (await deliveriesByIds(this.dataSource, keys)).map(deliveryViewOf);
  }

  /**
   * Deletes delivered and failed deliveries (with their attempts) of events older than
   * `retentionDays` (the configured retention when not given), and deliveries held that long for a
   * disabled endpoint; how many. In batches, each its own short write transaction, so writers are
   * never held up for long.
   */
  async purge(viewer: Viewer, retentionDays = this.settings.retentionDays): Promise<number> {
    requireAdmin(viewer);
    return purgeOlderThan(this.dataSource, this.lock, retentionCutoff(this.clock.now(), retentionDays));
  }

  private async existing(key: string, id: string, argument: string): Promise<WebhookEndpoint> {
    const endpoint = await endpointById(this.dataSource, key);
    if (!endpoint) throw notFound(id, argument);
    return endpoint;
  }

  /** http(s), no credentials, and not a refused address when the host is one (names are checked at each connection). */
  private checkedUrl(url: string): string {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      throw badInput('`url` is not an absolute URL', { argument: 'url' });
    }
    if (target.protocol !== 'http:' && target.protocol !== 'https:') throw badInput('`url` must be an http or https URL', { argument: 'url' });
    if (target.username || target.password) throw badInput('`url` must not carry a user name or password', { argument: 'url' });
    if (target.href.length > MAX_URL_LENGTH) throw badInput(`\`url\` must be at most ${MAX_URL_LENGTH} characters`, { argument: 'url', limit: MAX_URL_LENGTH });
    const refused = refusalOfUrl(target, this.settings.allowPrivate);
    if (refused) throw badInput(`\`url\` is refused: ${refused} (KIJI_WEBHOOK_ALLOW_PRIVATE=on allows it)`, { argument: 'url' });
    return target.href;
  }
}

function checkedEvents(events: readonly string[]): WebhookEventName[] {
  if (events.length === 0) throw badInput('`events` must name at least one event', { argument: 'events' });
  const unknown = events.find((e) => !WEBHOOK_EVENTS.includes(e as WebhookEventName));
  if (unknown !== undefined) throw badInput(`\`events\`: unknown event "${unknown}"; known: ${WEBHOOK_EVENTS.join(', ')}`, { argument: 'events' });
  return [...new Set(events as WebhookEventName[])];
}

function viewOf(endpoint: WebhookEndpoint): EndpointView {
  const { secret: _s, ...rest } = endpoint;
  return { ...rest, enabled: rest.disabledAt === null };
}

function deliveryViewOf({ delivery: d, attempts }: { delivery: WebhookDelivery; attempts: WebhookAttempt[] }): DeliveryView {
  return {
    id: d.id,
    eventType: d.eventType,
    state: d.state,
    payload: d.payload,
    createdAt: d.createdAt,
    nextAttemptAt: d.state === 'pending' ? d.nextAttemptAt : null,
    deliveredAt: d.deliveredAt,
    attemptCount: d.attempts,
    attempts: attempts.map((a) => ({ attemptedAt: a.attemptedAt, statusCode: a.statusCode, latencyMs: a.latencyMs, error: a.error })),
  };
}

function notFound(id: string, argument: string): KijiError {
  return new KijiError('NOT_FOUND', `There is no webhook endpoint ${id}`, { argument });
}
