import dns from 'node:dns';
import net from 'node:net';
import ipaddr from 'ipaddr.js';

/*
 * Where deliveries may go. A registered URL's host name is resolved when each request connects, and
 * every address it resolves to is checked there (the `lookup` given to http.request), so a name
 * that resolved to a public address at registration and to 169.254.169.254 later (DNS rebinding)
 * is still refused. URLs with an address for a host are checked before connecting.
 */

/*
 * An address may be delivered to only when ipaddr.js classifies it `unicast` (not private,
 * loopback, link-local, multicast, reserved, …) and it is in none of the ranges below, which
 * ipaddr.js 1.9 calls unicast. IPv6 forms that carry an IPv4 address (mapped, NAT64, 6to4,
 * Teredo) are judged by the IPv4 address inside: `::ffff:127.0.0.1` or `2002:7f00:1::` reach
 * loopback through a translator or relay as surely as `127.0.0.1` does.
 */
const BLOCKED = new net.BlockList();
for (const [prefix, bits] of [
  ['0.0.0.0', 8], // "this network"
  ['100.64.0.0', 10], // carrier-grade NAT
  ['192.0.0.0', 24], // IETF protocol assignments
  ['198.18.0.0', 15], // benchmarking
] as const) {
  BLOCKED.addSubnet(prefix, bits, 'ipv4');
}
for (const [prefix, bits] of [
  ['::', 96], // IPv4-compatible (deprecated; no legitimate target) and the unspecified and loopback addresses
  ['64:ff9b:1::', 48], // NAT64 for local use (RFC 8215): translates to private networks
  ['100::', 64], // discard-only
  ['2001:2::', 48], // benchmarking
  ['2001:10::', 28], // ORCHID
  ['fec0::', 10], // site-local (deprecated, still routed inside some networks)
  ['fc00::', 7], // unique-local (and fd00:ec2::254, a cloud metadata address)
] as const) {
  BLOCKED.addSubnet(prefix, bits, 'ipv6');
}

const REFUSED = 'is a private, loopback, link-local or reserved address';

/** Why `address` may not be delivered to; null when it may. */
export function refusalOf(address: string): string | null {
  const family = net.isIP(address);
  const text = family === 6 ? withHexTail(address) : address;
  if (family === 0 || !ipaddr.isValid(text)) return `${address} is not an IP address`;
  const parsed = ipaddr.parse(text);
  if (parsed.kind() === 'ipv4') {
    const v4 = parsed as ipaddr.IPv4;
    return v4.range() !== 'unicast' || BLOCKED.check(v4.toString(), 'ipv4') ? `${address} ${REFUSED}` : null;
  }
  const v6 = parsed as ipaddr.IPv6;
  if (BLOCKED.check(v6.toNormalizedString(), 'ipv6')) return `${address} ${REFUSED}`;
  const embedded = embeddedIpv4(v6);
  if (embedded !== null) {
    const refused = embedded.map((v4) => refusalOf(v4)).find((reason) => reason !== null);
    return refused ? `${address} ${REFUSED} (${refused})` : null;
  }
  return v6.range() !== 'unicast' ? `${address} ${REFUSED}` : null;
}

/** `64:ff9b::10.0.0.1` as `64:ff9b::a00:1`: ipaddr.js 1.9 reads a dotted tail only after `::ffff:`. */
function withHexTail(address: string): string {
  const match = /^(.*:)(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(address);
  if (!match) return address;
  const [a, b, c, d] = match.slice(2).map(Number);
  return `${match[1]}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
}

/**
 * The IPv4 addresses an IPv6 address stands for, or null when it is a plain IPv6 address:
 * IPv4-mapped (`::ffff:a.b.c.d`) and its translated form (`::ffff:0:a.b.c.d`), NAT64 (`64:ff9b::a.b.c.d`),
 * 6to4 (`2002:AABB:CCDD::`) and Teredo (its server, and its client, stored inverted).
 */
function embeddedIpv4(v6: ipaddr.IPv6): string[] | null {
  const p = v6.parts;
  const v4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  switch (v6.range()) {
    case 'ipv4Mapped':
    case 'rfc6145':
    case 'rfc6052':
      return [v4(p[6], p[7])];
    case '6to4':
      return [v4(p[1], p[2])];
    case 'teredo':
      return [v4(p[2], p[3]), v4(p[6] ^ 0xffff, p[7] ^ 0xffff)];
    default:
      return null;
  }
}

/** The host of a URL as an IP address (without IPv6 brackets), or null when it is a name. */
export function literalAddressOf(url: URL): string | null {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return net.isIP(host) ? host : null;
}

/** Why `url` may not be delivered to when its host is an address (names are checked at each connection); null when it may, or `allowPrivate`. */
export function refusalOfUrl(url: URL, allowPrivate: boolean): string | null {
  const literal = literalAddressOf(url);
  return literal && !allowPrivate ? refusalOf(literal) : null;
}

export class AddressRefused extends Error {
  readonly code = 'EADDRREFUSED';
}

/** A `lookup` for http.request that resolves as usual, then refuses the connection when any address found is refused. */
export const guardedLookup: net.LookupFunction = (hostname, options, callback) => {
  dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, '', 4);
    const refused = addresses.map((a) => refusalOf(a.address)).find((reason) => reason !== null);
    if (refused) return callback(new AddressRefused(`refused: ${hostname} resolves to ${refused}`), '', 4);
    if (options.all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, addresses);
    callback(null, addresses[0].address, addresses[0].family);
  });
};
