import { ConfigError, DEFAULT_TERM_URL_TEMPLATES, DEFAULT_TIMEOUTS, loadConfig, parseDatabaseUrl, postUrlFor } from '../../src/config';

/*
 * Settings other than limits (test/unit/graphql/limits-config.test.ts) and observability
 * (test/unit/http/observability-config.test.ts): what an empty environment means, and that a bad
 * value stops start-up with a message naming the variable, the value and what is accepted.
 */

describe('settings from the environment', () => {
  it('has the documented defaults when nothing is set', () => {
    expect(loadConfig({})).toMatchObject({
      database: { type: 'sqlite', path: 'data/kiji.sqlite' },
      port: 4000,
      logLevel: 'info',
      postUrlTemplate: '/posts/{slug}',
      responseCache: 'memory',
      redisUrl: null,
      cacheNamespace: 'kiji',
      graphqlJit: true,
      responseCacheBytes: 32 * 1024 * 1024,
      timeZone: undefined,
      timeouts: DEFAULT_TIMEOUTS,
    });
    expect(DEFAULT_TIMEOUTS).toEqual({ statementMs: 5000, acquireMs: 2000, requestMs: 10000, receiveMs: 30000, shutdownGraceMs: 10000 });
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ PORT: '', LOG_LEVEL: '', DATABASE_URL: '', REDIS_URL: '', KIJI_TIMEZONE: '', KIJI_REQUEST_TIMEOUT_MS: '' })).toEqual(loadConfig({}));
  });

  it('reads each setting', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://kiji@db:5432/kiji',
      PORT: '8080',
      LOG_LEVEL: 'DEBUG',
      KIJI_POST_URL: 'https://example.org/blog/{slug}/',
      REDIS_URL: 'redis://cache:6379/2',
      KIJI_CACHE_NAMESPACE: 'site-a',
      KIJI_GRAPHQL_JIT: 'OFF',
      KIJI_RESPONSE_CACHE_MB: '64',
      KIJI_TIMEZONE: 'Asia/Tokyo',
      KIJI_REQUEST_TIMEOUT_MS: '2500',
      KIJI_SHUTDOWN_GRACE_MS: '100',
    });
    expect(config).toMatchObject({
      database: { type: 'postgres', url: 'postgres://kiji@db:5432/kiji' },
      port: 8080,
      logLevel: 'debug',
      postUrlTemplate: 'https://example.org/blog/{slug}/',
      redisUrl: 'redis://cache:6379/2',
      responseCache: 'redis', // `on` means Redis once REDIS_URL is set
      cacheNamespace: 'site-a',
      graphqlJit: false,
      responseCacheBytes: 64 * 1024 * 1024,
      timeZone: 'Asia/Tokyo',
      timeouts: { ...DEFAULT_TIMEOUTS, requestMs: 2500, shutdownGraceMs: 100 },
    });
    expect(postUrlFor(config.postUrlTemplate)('vim-registers')).toBe('https://example.org/blog/vim-registers/');
  });

  it('chooses the response cache: on, memory, redis (which needs REDIS_URL) or off', () => {
    expect(loadConfig({ KIJI_RESPONSE_CACHE: 'off', REDIS_URL: 'redis://cache:6379' }).responseCache).toBe('off');
    expect(loadConfig({ KIJI_RESPONSE_CACHE: 'memory', REDIS_URL: 'redis://cache:6379' }).responseCache).toBe('memory');
    expect(loadConfig({ KIJI_RESPONSE_CACHE: 'Redis', REDIS_URL: 'rediss://cache:6380' }).responseCache).toBe('redis');
    expect(() => loadConfig({ KIJI_RESPONSE_CACHE: 'redis' })).toThrow(
      'KIJI_RESPONSE_CACHE="redis" is not valid: expected on (the default: Redis when REDIS_URL is set, else in-process), memory, redis, or off; redis needs REDIS_URL',
    );
  });

  it('reads SQLite paths and PostgreSQL URLs', () => {
    expect(parseDatabaseUrl('sqlite:data/other.sqlite')).toEqual({ type: 'sqlite', path: 'data/other.sqlite' });
    expect(parseDatabaseUrl('sqlite:///var/kiji.sqlite')).toEqual({ type: 'sqlite', path: '/var/kiji.sqlite' });
    expect(parseDatabaseUrl('sqlite::memory:')).toEqual({ type: 'sqlite', path: ':memory:' });
    expect(parseDatabaseUrl('postgresql://u@h/db')).toEqual({ type: 'postgres', url: 'postgresql://u@h/db' });
    expect(parseDatabaseUrl('postgres:///db?host=/var/run/postgresql')).toEqual({ type: 'postgres', url: 'postgres:///db?host=/var/run/postgresql' });
  });

  it('refuses a bad value with a message naming the variable, the value and what it accepts', () => {
    const refused: [Record<string, string>, string][] = [
      [{ DATABASE_URL: 'mysql://db/kiji' }, 'DATABASE_URL="mysql://db/kiji" is not valid: expected `sqlite:PATH`'],
      [{ DATABASE_URL: 'sqlite:' }, 'DATABASE_URL="sqlite:" is not valid'],
      [{ DATABASE_URL: 'postgres:///db' }, 'DATABASE_URL="postgres:///db" is not valid'],
      [{ PORT: '80a' }, 'PORT="80a" is not valid: expected an integer from 0 to 65535'],
      [{ PORT: '65536' }, 'PORT="65536" is not valid'],
      [{ LOG_LEVEL: 'verbose' }, 'LOG_LEVEL="verbose" is not valid: expected error, warn, info, debug'],
      [{ KIJI_POST_URL: '/posts/' }, 'KIJI_POST_URL="/posts/" is not valid: expected a template containing {slug}'],
      [{ REDIS_URL: 'cache:6379' }, 'REDIS_URL="cache:6379" is not valid: expected redis://host:port[/db]'],
      [{ KIJI_RESPONSE_CACHE: 'disk' }, 'KIJI_RESPONSE_CACHE="disk" is not valid'],
      [{ KIJI_CACHE_NAMESPACE: 'a b' }, 'KIJI_CACHE_NAMESPACE="a b" is not valid: expected 1 to 64 letters, digits, _ . -'],
      [{ KIJI_GRAPHQL_JIT: 'yes' }, 'KIJI_GRAPHQL_JIT="yes" is not valid: expected on or off'],
      [{ KIJI_RESPONSE_CACHE_MB: '0' }, 'KIJI_RESPONSE_CACHE_MB="0" is not valid: expected a whole number of megabytes, 1 to 65536'],
      [{ KIJI_TIMEZONE: 'Mars/Olympus' }, 'KIJI_TIMEZONE="Mars/Olympus" is not valid: expected an IANA time zone name'],
      [{ KIJI_DB_STATEMENT_TIMEOUT_MS: '5s' }, 'KIJI_DB_STATEMENT_TIMEOUT_MS="5s" is not valid: expected a whole number of milliseconds from 100 to 3600000'],
      [{ KIJI_RECEIVE_TIMEOUT_MS: '99' }, 'KIJI_RECEIVE_TIMEOUT_MS="99" is not valid'],
    ];
    for (const [env, message] of refused) {
      expect(() => loadConfig(env)).toThrow(ConfigError);
      expect(() => loadConfig(env)).toThrow(message);
    }
  });
});

describe('where feeds and the sitemap link to', () => {
  it('uses the request origin, the host name as title and the default term pages when nothing is set', () => {
    expect(loadConfig({})).toMatchObject({ siteUrl: null, siteTitle: null, termUrlTemplates: DEFAULT_TERM_URL_TEMPLATES });
    expect(DEFAULT_TERM_URL_TEMPLATES).toEqual({ tag: '/tags/{slug}', author: '/authors/{slug}', category: '/categories/{slug}' });
  });

  it('reads KIJI_SITE_URL without its trailing slash, keeping a path prefix, and the term page templates', () => {
    const config = loadConfig({
      KIJI_SITE_URL: 'https://example.com/blog/',
      KIJI_SITE_TITLE: ' 記事 ',
      KIJI_TAG_URL: '/t/{slug}.html',
      KIJI_AUTHOR_URL: '/who/{slug}',
      KIJI_CATEGORY_URL: '/c/{slug}',
    });
    expect(config).toMatchObject({
      siteUrl: 'https://example.com/blog',
      siteTitle: '記事',
      termUrlTemplates: { tag: '/t/{slug}.html', author: '/who/{slug}', category: '/c/{slug}' },
    });
    expect(loadConfig({ KIJI_SITE_URL: 'http://localhost:4000' }).siteUrl).toBe('http://localhost:4000');
  });

  it.each(['example.com', 'ftp://example.com', 'https://example.com/?a=1', 'https://example.com/#top', 'https://user:pw@example.com'])(
    'refuses KIJI_SITE_URL=%s, naming it',
    (value) => {
      expect(() => loadConfig({ KIJI_SITE_URL: value })).toThrow(ConfigError);
      expect(() => loadConfig({ KIJI_SITE_URL: value })).toThrow(/KIJI_SITE_URL=.*expected an http\(s\) URL/);
    },
  );

  it('refuses a term page template without {slug}', () => {
    expect(() => loadConfig({ KIJI_TAG_URL: '/tags/' })).toThrow(/KIJI_TAG_URL="\/tags\/" is not valid: expected a template containing \{slug\}/);
  });

  it('takes a preview link template as a root-relative path or an http(s) URL holding {token}, and refuses anything else', () => {
    expect(loadConfig({ KIJI_PREVIEW_URL: '/drafts/{token}' }).presentation?.previewUrlTemplate).toBe('/drafts/{token}');
    expect(loadConfig({ KIJI_PREVIEW_URL: 'https://staging.example.com/p?t={token}' }).presentation?.previewUrlTemplate).toBe('https://staging.example.com/p?t={token}');
    for (const value of ['/preview/', 'javascript:alert(1)//{token}', '//evil.example.com/{token}', 'preview/{token}', 'ftp://example.com/{token}']) {
      expect(() => loadConfig({ KIJI_PREVIEW_URL: value })).toThrow(ConfigError);
      expect(() => loadConfig({ KIJI_PREVIEW_URL: value })).toThrow(/KIJI_PREVIEW_URL=.*expected a root-relative path or an http\(s\) URL holding \{token\}/);
    }
  });
});
