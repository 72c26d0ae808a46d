import type { Client } from '@urql/core';
import { Webhook } from 'standardwebhooks';
import { claimDue } from '../../src/services/webhooks/statements';
import {
  CreatePostDocument,
  CreateWebhookEndpointDocument,
  DeletePostDocument,
  DeleteWebhookEndpointDocument,
  EnableWebhookEndpointDocument,
  PublishPostDocument,
  ReplayWebhookDeliveriesDocument,
  RestorePostDocument,
  UnpublishPostDocument,
  UpdatePostDocument,
  WebhookDeliveriesDocument,
  WebhookEndpointsDocument,
  type WebhookEventType,
} from '../generated/graphql';
import { describeEachDatabase } from '../support/databases';
import { startTestServer, TEST_NOW, TestServer } from '../support/server';
import { eventually, freePort, WebhookReceiver } from '../support/webhook-receiver';

type Role = 'anonymous' | 'reader' | 'partner' | 'editor' | 'admin';
const ALL_EVENTS: WebhookEventType[] = ['POST_PUBLISHED', 'POST_UPDATED', 'POST_UNPUBLISHED', 'POST_DELETED', 'POST_RESTORED', 'POST_SCHEDULED_PUBLISHED'];

describeEachDatabase('webhooks', (kind) => {
  let server: TestServer;
  const clients = {} as Record<Role, Client>;
  const receivers: WebhookReceiver[] = [];

  beforeAll(async () => {
    server = await startTestServer(kind, { webhooks: {} });
    clients.anonymous = server.client;
    for (const role of ['reader', 'partner', 'editor', 'admin'] as const) clients[role] = server.clientWith((await server.services.keys.create(role, `${role} tool`)).secret);
  });
  afterAll(async () => {
    await server?.stop();
    await Promise.all(receivers.map((r) => r.stop()));
  });

  async function receiver(port?: number): Promise<WebhookReceiver> {
    const r = await WebhookReceiver.start(port);
    receivers.push(r);
    return r;
  }

  async function register(url: string, events = ALL_EVENTS, client = clients.admin) {
    const result = await client.mutation(CreateWebhookEndpointDocument, { url, events }).toPromise();
    expect(result.error).toBeUndefined();
    return result.data!.createWebhookEndpoint;
  }

  async function deliveries(endpointId: string) {
    const result = await clients.admin.query(WebhookDeliveriesDocument, { endpointId, first: 100 }).toPromise();
    expect(result.error).toBeUndefined();
    return result.data!.webhookDeliveries;
  }

  async function mutate<T>(promise: Promise<{ data?: T; error?: unknown }>): Promise<T> {
    const result = await promise;
    expect(result.error).toBeUndefined();
    return result.data!;
  }

  const editor = {
    create: async (title: string) =>
      (
        await mutate(
          clients.editor
            .mutation(CreatePostDocument, { input: { title, bodyMarkdown: `Body of ${title}.`, author: 'hook-writer', tags: ['hooks'], categories: [] } })
            .toPromise(),
        )
      ).createPost,
    publish: async (id: string, at?: Date) => (await mutate(clients.editor.mutation(PublishPostDocument, { id, at: at?.toISOString() }).toPromise())).publishPost,
    update: async (id: string, expectedVersion: number, title: string) =>
      (await mutate(clients.editor.mutation(UpdatePostDocument, { id, expectedVersion, input: { title } }).toPromise())).updatePost,
    unpublish: async (id: string, expectedVersion: number) =>
      (await mutate(clients.editor.mutation(UnpublishPostDocument, { id, expectedVersion }).toPromise())).unpublishPost,
    delete: async (id: string, expectedVersion: number) => (await mutate(clients.editor.mutation(DeletePostDocument, { id, expectedVersion }).toPromise())).deletePost,
    restore: async (id: string) => (await mutate(clients.editor.mutation(RestorePostDocument, { id }).toPromise())).restorePost,
  };

  const code = (result: { error?: { graphQLErrors: { extensions: Record<string, unknown> }[] } }) => result.error?.graphQLErrors[0]?.extensions.code;

  it('lets only admins manage endpoints: FORBIDDEN for other keys, UNAUTHENTICATED without one', async () => {
    for (const role of ['anonymous', 'reader', 'partner', 'editor'] as const) {
      const expected = role === 'anonymous' ? 'UNAUTHENTICATED' : 'FORBIDDEN';
      expect(code(await clients[role].mutation(CreateWebhookEndpointDocument, { url: 'https://example.com/hook', events: ['POST_PUBLISHED'] }).toPromise())).toBe(expected);
      expect(code(await clients[role].query(WebhookEndpointsDocument, {}).toPromise())).toBe(expected);
      expect(code(await clients[role].mutation(ReplayWebhookDeliveriesDocument, { endpointId: 'ep_x' }).toPromise())).toBe(expected);
    }
    const created = await register('https://example.com/hook', ['POST_PUBLISHED']);
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    const list = await clients.admin.query(WebhookEndpointsDocument, {}).toPromise();
    expect(list.data!.webhookEndpoints).toContainEqual(
      expect.objectContaining({ id: created.endpoint.id, url: 'https://example.com/hook', enabled: true, events: ['POST_PUBLISHED'] }),
    );
    expect(JSON.stringify(list.data)).not.toContain(created.secret);
    expect((await clients.admin.mutation(DeleteWebhookEndpointDocument, { id: created.endpoint.id }).toPromise()).data!.deleteWebhookEndpoint).toBe(created.endpoint.id);
    expect(code(await clients.admin.mutation(DeleteWebhookEndpointDocument, { id: created.endpoint.id }).toPromise())).toBe('NOT_FOUND');
  });

  it('refuses URLs that are not http(s) and empty event lists, naming the argument', async () => {
    for (const [url, events] of [
      ['ftp://example.com/hook', ['POST_PUBLISHED']],
      ['not a url', ['POST_PUBLISHED']],
      ['https://user:pw@example.com/hook', ['POST_PUBLISHED']],
      ['https://example.com/hook', []],
    ] as const) {
      const result = await clients.admin.mutation(CreateWebhookEndpointDocument, { url, events: [...events] }).toPromise();
      expect(code(result)).toBe('BAD_USER_INPUT');
      expect(result.error!.graphQLErrors[0].extensions.field).toBe(events.length ? 'url' : 'events');
    }
  });

  it('sends each event, signed as Standard Webhooks says, for the write that causes it', async () => {
    const hooks = await receiver();
    const { endpoint, secret } = await register(hooks.url);
    let seen = 0;
    // Events are awaited one by one, each before the next write, so they arrive in order.
    const expectNext = async (type: string, post: { id: string; slug: string; version: number }, status: string) => {
      const n = seen++;
      await eventually(`${type} for ${post.slug}`, () => hooks.received.length > n);
      const request = hooks.received[n];
      // Throws unless the signature, the id and a fresh timestamp verify with the endpoint's secret.
      const body = new Webhook(secret).verify(request.body, request.headers) as { type: string; data: Record<string, unknown> };
      expect(request.headers['webhook-id']).toMatch(/^msg_/);
      expect(body.type).toBe(type);
      expect(body.data).toEqual({ id: post.id, slug: post.slug, url: `/posts/${post.slug}`, version: post.version, status });
    };
    const draft = await editor.create('Hooked post');
    const published = await editor.publish(draft.id);
    await expectNext('post.published', published, 'PUBLISHED');
    const updated = await editor.update(draft.id, published.version, 'Hooked post, renamed');
    await expectNext('post.updated', updated, 'PUBLISHED');
    const unpublished = await editor.unpublish(draft.id, updated.version);
    await expectNext('post.unpublished', unpublished, 'DRAFT');
    const republished = await editor.publish(draft.id);
    await expectNext('post.published', republished, 'PUBLISHED');
    const deleted = await editor.delete(draft.id, republished.version);
    await expectNext('post.deleted', deleted, 'DELETED');
    const restored = await editor.restore(draft.id);
    await expectNext('post.restored', restored, 'PUBLISHED');

    // Scheduling says nothing yet; the post going live, with no write, does.
    const later = await editor.create('Scheduled hook');
    const scheduled = await editor.publish(later.id, new Date(TEST_NOW.getTime() + 3_600_000));
    server.clock.set(new Date(TEST_NOW.getTime() + 2 * 3_600_000));
    try {
      await expectNext('post.scheduled_published', scheduled, 'PUBLISHED');
    } finally {
      server.clock.set(TEST_NOW);
    }
    // Nothing for the drafts' creation nor the scheduling: exactly the seven events above.
    // The receiver has them all; their outcomes are written just after.
    const sent = await eventually('every delivery recorded', async () => {
      const list = await deliveries(endpoint.id);
      return list.every((d) => d.state === 'DELIVERED') && list;
    });
    expect(sent.map((d) => d.eventType).sort()).toEqual(
      ['POST_PUBLISHED', 'POST_UPDATED', 'POST_UNPUBLISHED', 'POST_PUBLISHED', 'POST_DELETED', 'POST_RESTORED', 'POST_SCHEDULED_PUBLISHED'].sort(),
    );
    expect(hooks.received).toHaveLength(7);
    for (const d of sent) expect(d).toMatchObject({ state: 'DELIVERED', attemptCount: 1, attempts: [{ statusCode: 200, error: null }] });
    await clients.admin.mutation(DeleteWebhookEndpointDocument, { id: endpoint.id }).toPromise();
  });

  it('announces a scheduled post edited after its time but before the sweeper came to it as published, once', async () => {
    const hooks = await receiver();
    const { endpoint } = await register(hooks.url);
    // Later than the other tests' clocks went: the sweeper has looked up to there already.
    const post = await editor.publish((await editor.create('Edited as it goes live')).id, new Date(TEST_NOW.getTime() + 5 * 3_600_000));
    await server.services.webhookWorker.stop();
    try {
      // Its time comes, and an editor changes it before any sweep.
      server.clock.set(new Date(TEST_NOW.getTime() + 6 * 3_600_000));
      await editor.update(post.id, post.version, 'Edited as it went live');
    } finally {
      server.services.webhookWorker.start();
    }
    await eventually('its event delivered', async () => (await deliveries(endpoint.id)).some((d) => d.state === 'DELIVERED'));
    // A later sweep over that time finds it announced already.
    await server.services.webhookWorker.round();
    server.clock.set(TEST_NOW);
    expect((await deliveries(endpoint.id)).map((d) => d.eventType)).toEqual(['POST_PUBLISHED']);
    expect(hooks.payloads().map((p) => p.type)).toEqual(['post.published']);
    await clients.admin.mutation(DeleteWebhookEndpointDocument, { id: endpoint.id }).toPromise();
  });

  it('does not hold up the write, nor other receivers, while a receiver is slow to answer', async () => {
    const slow = await receiver();
    const fast = await receiver();
    const { endpoint } = await register(slow.url, ['POST_PUBLISHED', 'POST_UPDATED']);
    const other = await register(fast.url, ['POST_PUBLISHED']);
    slow.hold();
    const post = await editor.publish((await editor.create('Slow receiver')).id);
    await eventually('the receiver holding the first delivery', () => slow.waiting === 1);
    await eventually('the other receiver served meanwhile', () => fast.received.length === 1);
    expect(slow.waiting).toBe(1);
    const updated = await editor.update(post.id, post.version, 'Slow receiver, edited');
    // The edit committed and answered while the receiver still holds the first request.
    expect(updated.version).toBe(post.version + 1);
    // (The edit's own event may be held there too by now: deliveries do not wait for each other either.)
    expect(slow.waiting).toBeGreaterThanOrEqual(1);
    expect((await deliveries(endpoint.id)).find((d) => d.eventType === 'POST_PUBLISHED')!.state).toBe('PENDING');
    slow.release();
    await eventually('both events delivered', async () => (await deliveries(endpoint.id)).every((d) => d.state === 'DELIVERED') && slow.received.length === 2);
    expect(
      slow
        .payloads()
        .map((p) => p.type)
        .sort(),
    ).toEqual(['post.published', 'post.updated']);
    await clients.admin.mutation(DeleteWebhookEndpointDocument, { id: endpoint.id }).toPromise();
    await clients.admin.mutation(DeleteWebhookEndpointDocument, { id: other.endpoint.id }).toPromise();
  });

  it('retries a receiver that is down until it is back, and it gets every event', async () => {
    const port = await freePort();
    const { endpoint } = await register(`http://127.0.0.1:${port}/hooks/kiji`, ['POST_PUBLISHED']);
    const posts = [];
    for (const title of ['Down 1', 'Down 2', 'Down 3']) posts.push(await editor.publish((await editor.create(title)).id));
    await eventually('two failed attempts of each', async () => {
      const list = await deliveries(endpoint.id);
      return list.length === 3 && list.every((d) => d.attempts.length >= 2);
    });
    for (const d of await deliveries(endpoint.id)) expect(d.attempts[0]).toMatchObject({ statusCode: null, error: 'connection refused' });
    const back = await receiver(port);
    await eventually('every event delivered', async () => (await deliveries(endpoint.id)).every((d) => d.state === 'DELIVERED'));
    expect(
      back
        .payloads()
        .map((p) => p.data.id)
        .sort(),
    ).toEqual(posts.map((p) => p.id).sort());
    await clients.admin.mutation(DeleteWebhookEndpointDocument, { id: endpoint.id }).toPromise();
  });

  it('disables an endpoint that keeps failing; enabling and replaying delivers what failed and what was held', async () => {
    const failing = await receiver();
    failing.answer = () => 500;
    const { endpoint } = await register(failing.url, ['POST_PUBLISHED']);
    await editor.publish((await editor.create('Failing 1')).id);
    const disabled = await eventually('the endpoint disabled', async () =>
      (await clients.admin.query(WebhookEndpointsDocument, {}).toPromise()).data!.webhookEndpoints.find((e) => e.id === endpoint.id && !e.enabled),
    );
    expect(disabled.disabledReason).toContain('HTTP 500');
    const [failed] = await deliveries(endpoint.id);
    expect(failed).toMatchObject({ state: 'FAILED', attemptCount: 8, nextAttemptAt: null });
    expect(failed.attempts.map((a) => a.statusCode)).toEqual(Array(8).fill(500));
    // Held while disabled: queued, not sent.
    await editor.publish((await editor.create('Failing 2')).id);
    const sentWhileDisabled = failing.received.length;
    expect((await deliveries(endpoint.id)).map((d) => d.state).sort()).toEqual(['FAILED', 'PENDING']);

    failing.answer = () => 204;
    const enabled = await clients.admin.mutation(EnableWebhookEndpointDocument, { id: endpoint.id }).toPromise();
    expect(enabled.data!.enableWebhookEndpoint).toMatchObject({ enabled: true, consecutiveFailures: 0, disabledAt: null });
    expect((await clients.admin.mutation(ReplayWebhookDeliveriesDocument, { endpointId: endpoint.id }).toPromise()).data!.replayWebhookDeliveries).toBe(1);
    await eventually('both delivered', async () => (await deliveries(endpoint.id)).every((d) => d.state === 'DELIVERED'));
    expect(sentWhileDisabled).toBe(8);
    const replayed = (await deliveries(endpoint.id)).find((d) => d.id === failed.id)!;
    expect(replayed.attempts.at(-1)).toMatchObject({ statusCode: 204, error: null });
    // The replay kept the webhook-id, so a receiver that did get it can tell.
    expect(failing.received.at(-1)!.headers['webhook-id'] === failed.webhookId || failing.received.at(-2)!.headers['webhook-id'] === failed.webhookId).toBe(true);
    await clients.admin.mutation(DeleteWebhookEndpointDocument, { id: endpoint.id }).toPromise();
  });

  it('retries, from another worker, a delivery whose worker was killed holding its lease', async () => {
    const hooks = await receiver();
    const { endpoint } = await register(hooks.url, ['POST_PUBLISHED']);
    await server.services.webhookWorker.stop();
    try {
      await editor.publish((await editor.create('Orphaned lease')).id);
      // A worker leases it and dies before sending: nothing else happens to the row.
      const now = new Date();
      const [orphan] = await server.dataSource.transaction((m) => claimDue(m, 'wk_killed', now, 300, 10));
      expect(orphan).toBeDefined();
    } finally {
      server.services.webhookWorker.start();
    }
    await eventually('the orphaned delivery sent', async () => (await deliveries(endpoint.id))[0].state === 'DELIVERED');
    const [delivery] = await deliveries(endpoint.id);
    expect(delivery.attempts).toHaveLength(1);
    expect(hooks.received.map((r) => r.headers['webhook-id'])).toEqual([delivery.webhookId]);
    await clients.admin.mutation(DeleteWebhookEndpointDocument, { id: endpoint.id }).toPromise();
  });

  it('sends each event once when two instances deliver from one database', async () => {
    const hooks = await receiver();
    const { endpoint } = await register(hooks.url, ['POST_PUBLISHED']);
    const other = await startTestServer(kind, { shareDatabaseWith: server, webhooks: {} });
    try {
      const published = await Promise.all(Array.from({ length: 12 }, async (_, i) => editor.publish((await editor.create(`Twice ${i}`)).id)));
      await eventually('every event delivered', async () => {
        const list = await deliveries(endpoint.id);
        return list.length === 12 && list.every((d) => d.state === 'DELIVERED');
      });
      const ids = hooks.received.map((r) => r.headers['webhook-id']);
      expect(new Set(ids).size).toBe(12);
      expect(ids).toHaveLength(12);
      expect(
        hooks
          .payloads()
          .map((p) => p.data.id)
          .sort(),
      ).toEqual(published.map((p) => p.id).sort());
    } finally {
      await other.stop();
    }
    await clients.admin.mutation(DeleteWebhookEndpointDocument, { id: endpoint.id }).toPromise();
  });

  describe('without KIJI_WEBHOOK_ALLOW_PRIVATE', () => {
    let strict: TestServer;
    let admin: Client;
    beforeAll(async () => {
      strict = await startTestServer(kind, { webhooks: { allowPrivate: false } });
      admin = strict.clientWith((await strict.services.keys.create('admin', 'strict admin')).secret);
    });
    afterAll(() => strict?.stop());

    it('refuses private, loopback, link-local and metadata addresses at registration', async () => {
      for (const url of [
        'http://127.0.0.1:8080/hook',
        'http://10.1.2.3/hook',
        'http://169.254.169.254/latest',
        'http://[::1]/hook',
        'http://[fd00:ec2::254]/',
        'http://[::ffff:7f00:1]/',
      ]) {
        const result = await admin.mutation(CreateWebhookEndpointDocument, { url, events: ['POST_PUBLISHED'] }).toPromise();
        expect(code(result)).toBe('BAD_USER_INPUT');
        expect(result.error!.graphQLErrors[0].message).toContain('refused');
      }
    });

    it('refuses, when connecting, a host name that resolves to a loopback address', async () => {
      const hooks = await receiver();
      const port = new URL(hooks.url).port;
      const created = await admin.mutation(CreateWebhookEndpointDocument, { url: `http://localhost:${port}/hooks/kiji`, events: ['POST_PUBLISHED'] }).toPromise();
      expect(created.error).toBeUndefined();
      const endpointId = created.data!.createWebhookEndpoint.endpoint.id;
      const writer = strict.clientWith((await strict.services.keys.create('editor', 'strict editor')).secret);
      const post = await mutate(writer.mutation(CreatePostDocument, { input: { title: 'Private', bodyMarkdown: 'x', author: 'a', tags: [], categories: [] } }).toPromise());
      await mutate(writer.mutation(PublishPostDocument, { id: post.createPost.id }).toPromise());
      const attempt = await eventually('a refused attempt', async () => {
        const list = (await admin.query(WebhookDeliveriesDocument, { endpointId }).toPromise()).data!.webhookDeliveries;
        return list[0]?.attempts[0];
      });
      expect(attempt).toMatchObject({ statusCode: null });
      expect(attempt.error).toMatch(/^refused: localhost resolves to .* is a private, loopback/);
      expect(hooks.received).toHaveLength(0);
    });
  });
});
