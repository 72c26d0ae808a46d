import type http from 'node:http';
import type { Duplex } from 'node:stream';

/**
 * Time bounds on the HTTP connection itself. Node's default gives a client five minutes to send a
 * request, checked every 30 s: a client dribbling its body a byte at a time holds a socket (and
 * a slot of every proxy in front) that long. Here it has `receiveMs` for headers and body, checked
 * every second; idle kept-alive connections close after 5 s.
 */

const HEADERS_TIMEOUT_MS = 10_000;
const KEEP_ALIVE_TIMEOUT_MS = 5_000;

export function httpServerOptions(receiveMs: number): http.ServerOptions {
  return {
    headersTimeout: Math.min(HEADERS_TIMEOUT_MS, receiveMs),
    requestTimeout: receiveMs,
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
    connectionsCheckingInterval: 1000,
  };
}

/** Node's own answers to requests it could not read are bare (or empty) 4xx; these are GraphQL JSON like every other. */
const ANSWERS: Record<string, [number, string, string, string]> = {
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request Timeout', 'REQUEST_TIMEOUT', 'The request was not received in time'],
  HPE_HEADER_OVERFLOW: [431, 'Request Header Fields Too Large', 'BAD_REQUEST', 'The request headers are too large'],
};
const MALFORMED: [number, string, string, string] = [400, 'Bad Request', 'BAD_REQUEST', 'The request is not valid HTTP'];

/** `clientError` listener: answers once if nothing was written yet, then closes the socket. */
export function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  const [status, reason, code, message] = ANSWERS[error.code ?? ''] ?? MALFORMED;
  if (socket.writable && (socket as Duplex & { bytesWritten?: number }).bytesWritten === 0) {
    const body = JSON.stringify({ errors: [{ message, extensions: { code } }] });
    socket.write(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}
