import { ConfigError, DEFAULT_WEBHOOKS, loadConfig } from '../../../src/config';
import type { Post } from '../../../src/entities';
import { eventOf, webhookPostUrl } from '../../../src/services/webhooks/events';
import { refusalOf } from '../../../src/services/webhooks/address-guard';

const NOW = new Date('2026-06-01T00:00:00Z');
const HOUR = 3_600_000;

function post(state: 'draft' | 'published' | 'scheduled' | 'deleted' | 'deleted-draft'): Post {
  return {
    id: 7,
    slug: 'hello',
    version: 3,
    status: state === 'draft' || state === 'deleted-draft' ? 'draft' : 'published',
    publishedAt: state === 'scheduled' ? new Date(NOW.getTime() + HOUR) : new Date(NOW.getTime() - HOUR),
    deletedAt: state.startsWith('deleted') ? NOW : null,
    updatedAt: new Date(NOW.getTime() - HOUR),
  } as Post;
}

describe('webhook events: what a write tells receivers', () => {
  it.each([
    [null, 'published', 'post.published'],
    [null, 'draft', null],
    [null, 'scheduled', null],
    ['draft', 'published', 'post.published'],
    ['scheduled', 'published', 'post.published'],
    ['published', 'published', 'post.updated'],
    ['published', 'draft', 'post.unpublished'],
    ['published', 'scheduled', 'post.unpublished'],
    ['published', 'deleted', 'post.deleted'],
    ['deleted', 'published', 'post.restored'],
    ['deleted-draft', 'draft', null],
    ['draft', 'deleted-draft', null],
    ['scheduled', 'deleted', null],
    ['draft', 'scheduled', null],
    ['scheduled', 'draft', null],
    ['scheduled', 'scheduled', null],
    ['draft', 'draft', null],
  ] as const)('%s -> %s: %s', (before, after, expected) => {
    expect(eventOf(before === null ? null : post(before), post(after), NOW)).toBe(expected);
  });
});

describe('webhook events of a post that went live by its schedule, before the sweeper announced it', () => {
  // Last written two hours ago, dated an hour ago: it went live with no write since.
  const wentLive = { ...post('published'), updatedAt: new Date(NOW.getTime() - 2 * HOUR) };
  const notSweptYet = new Date(NOW.getTime() - 90 * 60_000);
  const swept = new Date(NOW.getTime() - 30 * 60_000);

  it('counts as not visible yet: an edit publishes it, taking it back says nothing', () => {
    expect(eventOf(wentLive, post('published'), NOW, notSweptYet)).toBe('post.published');
    expect(eventOf(wentLive, post('draft'), NOW, notSweptYet)).toBeNull();
    expect(eventOf(wentLive, post('deleted'), NOW, notSweptYet)).toBeNull();
  });

  it('counts as visible once the sweeper has come past its date', () => {
    expect(eventOf(wentLive, post('published'), NOW, swept)).toBe('post.updated');
    expect(eventOf(wentLive, post('draft'), NOW, swept)).toBe('post.unpublished');
  });

  it('counts a post written after its date as announced by that write, whatever the sweeper did', () => {
    expect(eventOf(post('published'), post('published'), NOW, notSweptYet)).toBe('post.updated');
  });
});

describe('webhook delivery addresses', () => {
  it.each([
    '127.0.0.1',
    '10.0.0.8',
    '172.20.1.1',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    '::',
    'fe80::1',
    'fd00:ec2::254',
    '::ffff:127.0.0.1',
    '::ffff:a9fe:a9fe',
    '64:ff9b::10.0.0.1',
    '224.0.0.1',
  ])('refuses %s', (address) => expect(refusalOf(address)).toMatch(/private, loopback, link-local or reserved/));

  it.each(['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111', '::ffff:8.8.8.8'])('allows %s', (address) => expect(refusalOf(address)).toBeNull());

  it('gives receivers absolute post URLs when a site URL is set, keeping its path prefix', () => {
    const relative = (slug: string) => `/posts/${slug}`;
    expect(webhookPostUrl(null, relative)('hello')).toBe('/posts/hello');
    expect(webhookPostUrl('https://example.com/blog', relative)('hello')).toBe('https://example.com/blog/posts/hello');
    expect(webhookPostUrl('https://example.com', relative)('液浸冷却')).toBe('https://example.com/posts/%E6%B6%B2%E6%B5%B8%E5%86%B7%E5%8D%B4');
    expect(webhookPostUrl('https://example.com', (slug) => `https://cdn.example.org/${slug}`)('a')).toBe('https://cdn.example.org/a');
  });
});

describe('webhook settings', () => {
  it('default to 8 attempts over about a day, no private addresses, the worker on', () => {
    const settings = loadConfig({}).webhooks!;
    expect(settings).toEqual(DEFAULT_WEBHOOKS);
    expect(settings).toMatchObject({ worker: true, allowPrivate: false });
    expect(settings.retryDelaysMs).toHaveLength(7);
    const total = settings.retryDelaysMs.reduce((a, b) => a + b, 0);
    expect(total / HOUR).toBeGreaterThan(24);
    expect(total / HOUR).toBeLessThan(30);
  });

  it('reads each variable', () => {
    expect(
      loadConfig({
        KIJI_WEBHOOK_WORKER: 'off',
        KIJI_WEBHOOK_ALLOW_PRIVATE: 'on',
        KIJI_WEBHOOK_RETRIES: '500ms, 2s,1m,1h',
        KIJI_WEBHOOK_TIMEOUT_MS: '3000',
        KIJI_WEBHOOK_POLL_MS: '50',
        KIJI_WEBHOOK_LEASE_MS: '20000',
        KIJI_WEBHOOK_RETENTION_DAYS: '7',
      }).webhooks,
    ).toEqual({ worker: false, allowPrivate: true, retryDelaysMs: [500, 2000, 60_000, HOUR], timeoutMs: 3000, pollMs: 50, leaseMs: 20000, retentionDays: 7 });
    expect(loadConfig({}).webhooks!.retentionDays).toBe(30);
  });

  it.each([
    ['KIJI_WEBHOOK_RETRIES', '5 minutes'],
    ['KIJI_WEBHOOK_RETRIES', '25h'],
    ['KIJI_WEBHOOK_RETRIES', '0s'],
    ['KIJI_WEBHOOK_ALLOW_PRIVATE', 'yes'],
    ['KIJI_WEBHOOK_POLL_MS', '1'],
    ['KIJI_WEBHOOK_RETENTION_DAYS', '0'],
    ['KIJI_WEBHOOK_RETENTION_DAYS', 'a month'],
  ])('refuses %s=%s, naming it', (variable, value) => {
    expect(() => loadConfig({ [variable]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [variable]: value })).toThrow(variable);
  });
});
