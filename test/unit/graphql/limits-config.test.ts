import { ConfigError, DEFAULT_LIMITS, loadConfig } from '../../../src/config';

describe('limits from the environment', () => {
  it('has the documented defaults', () => {
    expect(loadConfig({}).limits).toEqual(DEFAULT_LIMITS);
    expect(DEFAULT_LIMITS).toMatchObject({ cost: { anonymous: 10_000, reader: 25_000, editor: 50_000 }, trustProxy: false, maxTokens: 20_000 });
  });

  it('reads each tier, the window and the shape limits', () => {
    const limits = loadConfig({
      KIJI_COST_LIMIT_ANONYMOUS: '500',
      KIJI_RATE_LIMIT_ANONYMOUS: '0',
      KIJI_RATE_LIMIT_EDITOR: '60000',
      KIJI_RATE_LIMIT_WINDOW_S: '3600',
      KIJI_MAX_ALIASES: '10',
      KIJI_MAX_POST_NESTING: '2',
    }).limits!;
    expect(limits.cost.anonymous).toBe(500);
    expect(limits.budget).toEqual({ anonymous: 0, reader: DEFAULT_LIMITS.budget.reader, editor: 60_000 });
    expect(limits).toMatchObject({ windowSeconds: 3600, maxAliases: 10, maxPostListNesting: 2 });
  });

  it('refuses a budget smaller than one allowed operation', () => {
    expect(() => loadConfig({ KIJI_RATE_LIMIT_READER: '1000' })).toThrow(/KIJI_RATE_LIMIT_READER="1000".*at least KIJI_COST_LIMIT_READER \(25000\)/);
    expect(() => loadConfig({ KIJI_COST_LIMIT_EDITOR: 'lots' })).toThrow(ConfigError);
  });

  it('trusts no proxy by default, or a number of them, or the addresses given', () => {
    expect(loadConfig({ KIJI_TRUST_PROXY: 'off' }).limits!.trustProxy).toBe(false);
    expect(loadConfig({ KIJI_TRUST_PROXY: '2' }).limits!.trustProxy).toBe(2);
    expect(loadConfig({ KIJI_TRUST_PROXY: 'loopback, 10.0.0.0/8' }).limits!.trustProxy).toEqual(['loopback', '10.0.0.0/8']);
    expect(() => loadConfig({ KIJI_TRUST_PROXY: 'everyone' })).toThrow(/KIJI_TRUST_PROXY/);
    expect(() => loadConfig({ KIJI_TRUST_PROXY: '0' })).toThrow(/KIJI_TRUST_PROXY/);
  });
});
