import { rateLimitKeyOf } from '../../../src/http/client-address';

describe('rate-limit key of a client address', () => {
  it('keeps an IPv4 address, also when it arrives IPv4-mapped', () => {
    expect(rateLimitKeyOf('203.0.113.7')).toBe('203.0.113.7');
    expect(rateLimitKeyOf('::ffff:203.0.113.7')).toBe('203.0.113.7');
  });

  it('groups an IPv6 address by its /64, however it is written', () => {
    expect(rateLimitKeyOf('2001:db8:0:1::7')).toBe('2001:db8:0:1::/64');
    expect(rateLimitKeyOf('2001:0db8:0000:0001:ffff:0:0:9')).toBe('2001:db8:0:1::/64');
    expect(rateLimitKeyOf('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(rateLimitKeyOf('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(rateLimitKeyOf('::1')).toBe('0:0:0:0::/64');
  });
});
