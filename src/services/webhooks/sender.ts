import http from 'node:http';
import https from 'node:https';
import { Webhook } from 'standardwebhooks';
import { guardedLookup, refusalOfUrl } from './address-guard';

/** How much of a receiver's answer is read: its status is what counts, the body is only drained. */
const MAX_RESPONSE_BYTES = 4096;

export interface SendOptions {
  timeoutMs: number;
  allowPrivate: boolean;
  /** Aborts the request (the worker is stopping). */
  signal?: AbortSignal;
}

export interface SendResult {
  /** The answer's status; null when none came. */
  statusCode: number | null;
  latencyMs: number;
  /** Why it failed, for people; null on a 2xx. */
  error: string | null;
}

/**
 * One signed POST, as Standard Webhooks says: `webhook-id`, `webhook-timestamp` (now, in seconds)
 * and `webhook-signature` (`v1,` and the base64 HMAC-SHA256 of `id.timestamp.body`, made by the
 * standardwebhooks library receivers verify with). Redirects are not followed (a 3xx is a
 * failure: the registered URL is the only target), and it never throws: failures are results.
 */
export async function sendSigned(url: string, secret: string, id: string, body: string, options: SendOptions): Promise<SendResult> {
  const started = performance.now();
  const result = (statusCode: number | null, error: string | null): SendResult => ({ statusCode, latencyMs: Math.round(performance.now() - started), error });
  const target = new URL(url);
  const refused = refusalOfUrl(target, options.allowPrivate);
  if (refused) return result(null, `refused: ${refused}`);
  const timestamp = new Date();
  const headers = {
    'content-type': 'application/json',
    'user-agent': 'Kiji-Webhooks/1',
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign(id, timestamp, body),
  };
  const client = target.protocol === 'https:' ? https : http;
  return new Promise<SendResult>((resolve) => {
    const request = client.request(
      target,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': Buffer.byteLength(body) },
        signal: options.signal,
        lookup: options.allowPrivate ? undefined : guardedLookup,
        agent: false,
      },
      (response) => {
        let read = 0;
        response.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > MAX_RESPONSE_BYTES) response.destroy();
        });
        const finish = () => {
          const status = response.statusCode ?? 0;
          resolve(result(status, status >= 200 && status < 300 ? null : `HTTP ${status}`));
        };
        response.on('end', finish);
        response.on('close', finish);
      },
    );
    // The whole request, not only idle time: a receiver trickling bytes is cut off too. It starts
    // before the lookup and ends at 'close', after the response's end, so a socket (idle) timeout
    // of the same length could never act before it: there is none.
    const deadline = setTimeout(() => request.destroy(new Error(`timed out after ${options.timeoutMs} ms`)), options.timeoutMs);
    request.on('error', (error: Error & { code?: string }) => resolve(result(null, describe(error))));
    request.on('close', () => clearTimeout(deadline));
    request.end(body);
  });
}

/** An error as an attempt records it: what happened, without internals. */
function describe(error: Error & { code?: string }): string {
  if (error.name === 'AbortError') return 'aborted: Kiji was stopping';
  if (error.code === 'ECONNREFUSED') return 'connection refused';
  if (error.code === 'ENOTFOUND') return 'host not found';
  return error.message.slice(0, 300);
}
