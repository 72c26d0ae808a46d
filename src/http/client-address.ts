import { isIPv6, Socket } from 'node:net';
import type { Request } from 'express';
import proxyAddr from 'proxy-addr';
import type { Limits } from '../config';

/*
 * The address a request comes from, for per-address rate limits. Without KIJI_TRUST_PROXY it is
 * the peer of the TCP connection, X-Forwarded-For ignored (anyone can write that header). Behind
 * proxies, X-Forwarded-For is read from the right, through the proxies trusted, to the first
 * address that is not one: the same rule as Express's `trust proxy`, with the same library.
 */

/**
 * How to find a request's client key (worked out only when an anonymous budget asks, once per
 * request: RequestRecord.clientAddress). Without trusted proxies it is the connection's peer, the
 * same for every request a kept-alive connection carries, so it is worked out once per connection.
 */
export function clientAddressResolver(trust: Limits['trustProxy']): (req: Request) => string {
  if (trust === false) {
    const bySocket = new WeakMap<Socket, string>();
    return (req) => {
      let key = bySocket.get(req.socket);
      if (key === undefined) bySocket.set(req.socket, (key = rateLimitKeyOf(req.socket.remoteAddress ?? 'unknown')));
      return key;
    };
  }
  const trusted = typeof trust === 'number' ? (_address: string, hop: number) => hop < trust : proxyAddr.compile(trust);
  return (req) => rateLimitKeyOf(proxyAddr(req, trusted));
}

/**
 * One key per client: an IPv4 address as it is; an IPv6 address by its /64 network, since one
 * host commonly holds a whole /64 and could otherwise spread its requests over countless keys.
 */
export function rateLimitKeyOf(address: string): string {
  const plain = address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '').replace(/%.*$/, '');
  if (!isIPv6(plain)) return plain;
  const [head, tail] = plain.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  const prefix = groups.slice(0, 4).map((group) => parseInt(group, 16).toString(16));
  return `${prefix.join(':')}::/64`;
}
