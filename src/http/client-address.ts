import { isIPv6 } from 'node:net';
import type { NextFunction, Request, Response } from 'express';
import proxyAddr from 'proxy-addr';
import type { Limits } from '../config';
import { currentRequest, recordOf } from './request-log';

/*
 * The address a request comes from, for per-address rate limits. Without KIJI_TRUST_PROXY it is
 * the peer of the TCP connection, X-Forwarded-For ignored (anyone can write that header). Behind
 * proxies, X-Forwarded-For is read from the right, through the proxies trusted, to the first
 * address that is not one: the same rule as Express's `trust proxy`, with the same library.
 */

/**
 * Express middleware: tells the request's record how to find the client's address, worked out
 * when first asked (only anonymous budgets need it) and kept for the rest of the request.
 */
export function rememberClientAddress(trust: Limits['trustProxy']): (req: Request, res: Response, next: NextFunction) => void {
  const trusted = trust === false ? () => false : typeof trust === 'number' ? (_address: string, hop: number) => hop < trust : proxyAddr.compile(trust);
  return (req, res, next) => {
    const record = recordOf(res);
    if (record) {
      let key: string | undefined;
      record.clientAddress = () => (key ??= rateLimitKeyOf(proxyAddr(req, trusted)));
    }
    next();
  };
}

/** The address of the request being served (by rateLimitKeyOf), if it came through the middleware. */
export function currentClientAddress(): string | undefined {
  return currentRequest()?.clientAddress?.();
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
  return `${groups.slice(0, 4).map((group) => parseInt(group, 16).toString(16)).join(':')}::/64`;
}
