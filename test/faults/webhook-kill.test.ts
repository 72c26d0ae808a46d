import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Webhook } from 'standardwebhooks';
import { PROJECT_ROOT } from '../../src/paths';
import { createTestDatabase, DatabaseKind, describeEachDatabase, TestDatabase, databaseUrlOf } from '../support/databases';
import { KijiProcess, startKiji } from '../support/kiji-process';
import { eventually, WebhookReceiver } from '../support/webhook-receiver';

/*
 * `kill -9` of an instance in the middle of a delivery: its lease runs out, another instance sends
 * the same delivery (same `webhook-id`, so the receiver can tell), and the receiver gets it.
 */

function kiji(databaseUrl: string, ...args: string[]) {
  const result = spawnSync(process.execPath, [path.join(PROJECT_ROOT, 'dist/src/main.js'), ...args], {
    env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'error', KIJI_WEBHOOK_ALLOW_PRIVATE: 'on' },
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`kiji ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return result.stdout;
}

describeEachDatabase('a Kiji instance killed while delivering a webhook', (kind: DatabaseKind) => {
  let database: TestDatabase;
  let databaseUrl: string;
  let receiver: WebhookReceiver;
  let folder: string;
  const servers: KijiProcess[] = [];
  // A request may take 1 s, so a lease lasts 2 s (README "Webhooks").
  const env = () => ({
    DATABASE_URL: databaseUrl,
    KIJI_WEBHOOK_ALLOW_PRIVATE: 'on',
    KIJI_WEBHOOK_POLL_MS: '50',
    KIJI_WEBHOOK_TIMEOUT_MS: '1000',
    KIJI_WEBHOOK_LEASE_MS: '100',
  });

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    databaseUrl = databaseUrlOf(database);
    receiver = await WebhookReceiver.start();
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'kiji-webhook-kill-'));
    fs.writeFileSync(path.join(folder, '2024-05-01-killed-delivery.md'), '---\ntitle: Killed delivery\ndate: 2024-05-01 09:00:00 +0900\n---\n\nA post.\n');
  });
  afterAll(async () => {
    for (const server of servers) await server.kill();
    await receiver?.stop();
    await database?.drop();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('has its delivery sent by another instance once its lease has run out', async () => {
    kiji(databaseUrl, 'migrate');
    const { secret } = JSON.parse(kiji(databaseUrl, 'webhooks', 'add', receiver.url, '--events', 'post.published', '--json')) as { secret: string };
    receiver.hold();
    const first = await startKiji('serve', env());
    servers.push(first);
    kiji(databaseUrl, 'import', folder);
    await eventually('the first instance sending the event', () => receiver.waiting === 1);
    await first.kill();
    receiver.release();
    const second = await startKiji('serve', env());
    servers.push(second);
    await eventually('the event sent again', () => receiver.received.length === 2);
    const [lost, resent] = receiver.received;
    expect(resent.headers['webhook-id']).toBe(lost.headers['webhook-id']);
    const event = new Webhook(secret).verify(resent.body, resent.headers) as { type: string; data: { slug: string } };
    expect(event).toMatchObject({ type: 'post.published', data: { slug: 'killed-delivery' } });
    second.signal('SIGTERM');
    expect(await second.exited).toBe(0);
    expect(receiver.received).toHaveLength(2);
  });
});
