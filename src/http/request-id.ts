import { randomUUID } from 'node:crypto';

/**
 * The id a request is logged under and answered with (`x-request-id`). A caller's id (a proxy's or
 * a client's) is kept so that their logs and ours join up, but only when it is short and plain: it
 * is echoed in a header and written into log lines, where newlines, quotes or a megabyte of text
 * have no business. Anything else gets a fresh UUID.
 */
const ACCEPTED = /^[A-Za-z0-9._:-]{1,128}$/;

export function requestIdFrom(header: string | string[] | undefined): string {
  return typeof header === 'string' && ACCEPTED.test(header) ? header : randomUUID();
}
