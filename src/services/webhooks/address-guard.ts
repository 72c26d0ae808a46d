import dns from 'node:dns';
import net from 'node:net';

/*
 * Where deliveries may go. A registered URL's host name is resolved when each request connects, and
 * every address it resolves to is checked there (the `lookup` given to http.request), so a name
 * that resolved to a public address at registration and to 169.254.169.254 later (DNS rebinding)
 * is still refused. URLs with an address for a host are checked before connecting.
 */

const BLOCKED = new net.BlockList();
for (const [prefix, bits] of [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, cloud metadata (169.254.169.254)
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  BLOCKED.addSubnet(prefix, bits, 'ipv4');
}
for (const [prefix, bits] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['fc00::', 7], // unique-local (and fd00:ec2::254, a cloud metadata address)
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
] as const) {
  BLOCKED.addSubnet(prefix, bits, 'ipv6');
}

/** Why `address` may not be delivered to; null when it may. IPv4 inside IPv6 (`::ffff:10.0.0.1`, NAT64) is checked as IPv4. */
export function refusalOf(address: string): string | null {
  const family = net.isIP(address);
  if (family === 0) return `${address} is not an IP address`;
  const embedded = family === 6 ? /^(?:::ffff:|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1] : undefined;
  if (embedded) return refusalOf(embedded);
  if (family === 6 && /^(?:::ffff:|64:ff9b::)[0-9a-f]{1,4}:[0-9a-f]{1,4}$/i.test(address)) {
    // The same addresses written in hex (`::ffff:7f00:1`).
    const [hi, lo] = address
      .split(':')
      .slice(-2)
      .map((h) => parseInt(h, 16));
    return refusalOf(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`);
  }
  return BLOCKED.check(address, family === 4 ? 'ipv4' : 'ipv6') ? `${address} is a private, loopback, link-local or reserved address` : null;
}

/** The host of a URL as an IP address (without IPv6 brackets), or null when it is a name. */
export function literalAddressOf(url: URL): string | null {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return net.isIP(host) ? host : null;
}

export class AddressRefused extends Error {
  readonly code = 'EADDRREFUSED';
}

/** A `lookup` for http.request that resolves as usual, then refuses the connection when any address found is refused. */
export const guardedLookup: net.LookupFunction = (hostname, options, callback) => {
  dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, '', 4);
    const list = addresses;
    const refused = list.map((a) => refusalOf(a.address)).find((reason) => reason !== null);
    if (refused) return callback(new AddressRefused(`refused: ${hostname} resolves to ${refused}`), '', 4);
    if (options.all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
    callback(null, list[0].address, list[0].family);
  });
};
