import { refusalOf } from '../../../src/services/webhooks/address-guard';

/*
 * Where a webhook may go, address by address: every IPv6 form that reaches a private, loopback or
 * reserved network (directly, or through the IPv4 address it carries) is refused like that network.
 */

const REFUSED = /private, loopback, link-local or reserved/;

describe('webhook delivery addresses: IPv6 forms', () => {
  it.each([
    ['IPv4-compatible (::/96), loopback inside', '::127.0.0.1'],
    ['IPv4-compatible (::/96), public inside', '::8.8.8.8'],
    ['IPv4-compatible in hex', '::7f00:1'],
    ['IPv4-mapped, private inside', '::ffff:10.0.0.1'],
    ['IPv4-mapped in hex, metadata inside', '::ffff:a9fe:a9fe'],
    ['IPv4-translated (::ffff:0:0:0/96), loopback inside', '::ffff:0:127.0.0.1'],
    ['NAT64 (64:ff9b::/96), metadata inside', '64:ff9b::169.254.169.254'],
    ['NAT64 in hex, loopback inside', '64:ff9b::7f00:1'],
    ['local-use NAT64 (64:ff9b:1::/48)', '64:ff9b:1::808:808'],
    ['6to4 (2002::/16), loopback inside', '2002:7f00:1::1'],
    ['6to4, private inside', '2002:c0a8:101::'],
    ['Teredo (2001::/32), private server', '2001:0:a00:1::'],
    ['Teredo, client 127.0.0.1 (stored inverted)', '2001:0:808:808:0:0:80ff:fffe'],
    ['site-local (fec0::/10)', 'fec0::1'],
    ['discard-only (100::/64)', '100::1'],
    ['documentation (2001:db8::/32)', '2001:db8::1'],
    ['benchmarking (2001:2::/48)', '2001:2::1'],
    ['unique-local', 'fd12:3456::1'],
    ['link-local', 'fe80::1'],
    ['multicast', 'ff02::1'],
    ['unspecified', '::'],
    ['loopback', '::1'],
  ])('refuses %s: %s', (_form, address) => expect(refusalOf(address)).toMatch(REFUSED));

  it.each([
    ['IPv4 benchmarking (198.18.0.0/15)', '198.18.0.1'],
    ['IPv4 documentation', '192.0.2.1'],
    ['IPv4 broadcast', '255.255.255.255'],
    ['IPv4 reserved (240.0.0.0/4)', '240.0.0.1'],
  ])('refuses %s: %s', (_form, address) => expect(refusalOf(address)).toMatch(REFUSED));

  it.each([
    ['a public IPv6 address', '2606:4700:4700::1111'],
    ['IPv4-mapped, public inside', '::ffff:8.8.8.8'],
    ['NAT64, public inside', '64:ff9b::8.8.8.8'],
    ['6to4, public inside', '2002:808:808::1'],
    ['Teredo, public server and client', '2001:0:808:808:0:0:f7f7:f7f7'],
    ['a public IPv4 address', '93.184.216.34'],
  ])('allows %s: %s', (_form, address) => expect(refusalOf(address)).toBeNull());

  it('says when the text is not an address', () => {
    expect(refusalOf('example.com')).toBe('example.com is not an IP address');
  });
});
