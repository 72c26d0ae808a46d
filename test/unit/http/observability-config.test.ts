import { ConfigError, DEFAULT_OBSERVABILITY, loadConfig } from '../../../src/config';
import { requestIdFrom } from '../../../src/http/request-id';

describe('observability settings', () => {
  it('serves no metrics unless KIJI_METRICS_PORT is set, and then on loopback', () => {
    expect(loadConfig({}).observability).toEqual(DEFAULT_OBSERVABILITY);
    expect(DEFAULT_OBSERVABILITY).toEqual({ metricsPort: null, metricsHost: '127.0.0.1', slowMs: 1000, sqlTally: true });
    expect(loadConfig({ KIJI_METRICS_PORT: '9464' }).observability).toEqual({ metricsPort: 9464, metricsHost: '127.0.0.1', slowMs: 1000, sqlTally: true });
    expect(loadConfig({ KIJI_METRICS_PORT: '9464', KIJI_METRICS_HOST: '0.0.0.0', KIJI_SLOW_MS: '250' }).observability).toEqual({
      metricsPort: 9464,
      metricsHost: '0.0.0.0',
      slowMs: 250,
      sqlTally: true,
    });
  });

  it('counts SQL statements per request unless in production without metrics, or told otherwise', () => {
    expect(loadConfig({ NODE_ENV: 'production' }).observability?.sqlTally).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', KIJI_METRICS_PORT: '9464' }).observability?.sqlTally).toBe(true);
    expect(loadConfig({ NODE_ENV: 'production', KIJI_SQL_TALLY: 'on' }).observability?.sqlTally).toBe(true);
    expect(loadConfig({ KIJI_SQL_TALLY: 'off' }).observability?.sqlTally).toBe(false);
    expect(() => loadConfig({ KIJI_SQL_TALLY: 'yes' })).toThrow(/KIJI_SQL_TALLY="yes"/);
  });

  it('refuses malformed values, naming the variable', () => {
    expect(() => loadConfig({ KIJI_METRICS_PORT: 'metrics' })).toThrow(/KIJI_METRICS_PORT="metrics"/);
    expect(() => loadConfig({ KIJI_METRICS_PORT: '70000' })).toThrow(ConfigError);
    expect(() => loadConfig({ KIJI_METRICS_HOST: 'a b' })).toThrow(/KIJI_METRICS_HOST/);
    expect(() => loadConfig({ KIJI_SLOW_MS: 'fast' })).toThrow(/KIJI_SLOW_MS/);
  });
});

describe('request ids', () => {
  it('keeps a short plain id and replaces anything else with a UUID', () => {
    expect(requestIdFrom('edge-7f3a.b_9:1')).toBe('edge-7f3a.b_9:1');
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
    for (const sent of [undefined, '', 'x'.repeat(129), 'a b', 'a\nb', '"q"', ['a', 'b']]) expect(requestIdFrom(sent)).toMatch(uuid);
    expect(requestIdFrom(undefined)).not.toBe(requestIdFrom(undefined));
  });
});
