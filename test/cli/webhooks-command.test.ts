import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { Webhook } from 'standardwebhooks';
import { PROJECT_ROOT, SAMPLE_CONTENT_DIR } from '../../src/paths';
import { createTestDatabase, DatabaseKind, describeEachDatabase, TestDatabase, databaseUrlOf } from '../support/databases';
import { graphqlPost, KijiProcess, startKiji } from '../support/kiji-process';
import { eventually, WebhookReceiver } from '../support/webhook-receiver';

/** The `kiji` command as an admin runs it (the built CLI). */
function kiji(databaseUrl: string, ...args: string[]) {
  const result = spawnSync(process.execPath, [path.join(PROJECT_ROOT, 'dist/src/main.js'), ...args], {
    env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'error', KIJI_WEBHOOK_ALLOW_PRIVATE: 'on' },
    encoding: 'utf8',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/*
 * The whole path as deployed: an endpoint added with the CLI, `kiji serve` delivering, and the
 * events caused by another process (`kiji import`) writing through the same write path.
 */
describeEachDatabase('kiji webhooks, with kiji serve delivering what kiji import writes', (kind: DatabaseKind) => {
  let database: TestDatabase;
  let databaseUrl: string;
  let receiver: WebhookReceiver;
  let server: KijiProcess | undefined;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    databaseUrl = databaseUrlOf(database);
    receiver = await WebhookReceiver.start();
  });
  afterAll(async () => {
    await server?.kill();
    await receiver?.stop();
    await database?.drop();
  });

  it('adds an endpoint showing its secret once, and the running server sends it signed events for an import', async () => {
    expect(kiji(databaseUrl, 'migrate').code).toBe(0);
    const added = kiji(databaseUrl, 'webhooks', 'add', receiver.url, '--events', 'post.published,post.deleted', '--json');
    expect(added.code).toBe(0);
    const { id, secret } = JSON.parse(added.stdout) as { id: string; secret: string };
    expect(secret).toMatch(/^whsec_/);
    const listed = kiji(databaseUrl, 'webhooks', 'list');
    expect(listed.stdout).toContain(`${id}  enabled   ${receiver.url}  post.published,post.deleted`);
    expect(listed.stdout).not.toContain(secret);
    expect(kiji(databaseUrl, 'webhooks', 'add', receiver.url, '--events', 'post.exploded').code).toBe(1);

    server = await startKiji('serve', { DATABASE_URL: databaseUrl, KIJI_WEBHOOK_ALLOW_PRIVATE: 'on', KIJI_WEBHOOK_POLL_MS: '50' });
    expect(kiji(databaseUrl, 'import', '--json', SAMPLE_CONTENT_DIR).code).toBe(0);
    const visible = (await graphqlPost<{ posts: { totalCount: number } }>(server.graphql, '{ posts(first: 1) { totalCount } }')).body.data!.posts.totalCount;
    expect(visible).toBeGreaterThan(5);
    await eventually('an event for every visible imported post', () => receiver.received.length >= visible);
    const hooks = new Webhook(secret);
    const events = receiver.received.map((r) => hooks.verify(r.body, r.headers) as { type: string; data: { slug: string } });
    expect(new Set(events.map((e) => e.type))).toEqual(new Set(['post.published']));
    expect(new Set(events.map((e) => e.data.slug)).size).toBe(visible);

    // Shown by its global ID (as GraphQL takes it); its key (`ep_…`) is taken too.
    const key = Buffer.from(id, 'base64url').toString('utf8').split(':')[1];
    expect(key).toMatch(/^ep_/);
    const enabled = kiji(databaseUrl, 'webhooks', 'enable', key);
    expect(enabled.code).toBe(0);
    expect(enabled.stdout).toContain(`enabled ${id}`);
    // Retention: with no days to keep, every delivered delivery goes (once its outcome is written).
    let purged = 0;
    await eventually('every delivered delivery purged', () => {
      const run = kiji(databaseUrl, 'webhooks', 'purge', '--days', '0');
      expect(run.code).toBe(0);
      purged += Number(/^purged (\d+) /.exec(run.stdout)?.[1]);
      return purged >= visible;
    });
    expect(kiji(databaseUrl, 'webhooks', 'purge', '--days', 'many').code).not.toBe(0);

    expect(kiji(databaseUrl, 'webhooks', 'remove', id).code).toBe(0);
    const again = kiji(databaseUrl, 'webhooks', 'remove', id);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`no webhook endpoint ${id}`);
    server.signal('SIGTERM');
    expect(await server.exited).toBe(0);
  });
});
