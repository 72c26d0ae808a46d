import type http from 'node:http';
import net from 'node:net';
import type { Response } from 'express';
import { muteLateAnswer } from './deadline';
import { refuse } from './refusal';

/**
 * Graceful shutdown without a single reset connection. On SIGTERM readiness turns 503, the server
 * stops accepting connections, and every request in flight is answered. Each answer from then on
 * carries `Connection: close`, so a client learns from the answer itself not to send on that
 * connection again (closing a kept-alive connection under a client's feet is what resets its next
 * request). Connections left idle are closed once nothing has been in flight for a moment. Past
 * the grace period what is left gets a 503 and the process goes.
 */

/** How long idle kept-alive connections are left open after the last answer, for requests already on their way. */
const IDLE_LINGER_MS = 500;
/** After the grace period: time for the 503 answers to reach their clients before sockets are destroyed. */
const FLUSH_MS = 200;

export type DrainOutcome = 'drained' | 'forced';

export class Drain {
  private draining = false;
  /** Set once the listener is closed: from then on every answer closes its connection. */
  private closing = false;
  private readonly inFlight = new Set<Response>();
  private idle: (() => void) | undefined;

  get isDraining(): boolean {
    return this.draining;
  }

  /** A request came in (request-frame.ts tells, for every request on every path). */
  track(res: Response): void {
    if (this.closing) res.setHeader('connection', 'close');
    this.inFlight.add(res);
  }

  /** Its answer is done, or its client is gone. */
  release(res: Response): void {
    this.inFlight.delete(res);
    if (this.inFlight.size === 0) this.idle?.();
  }

  async drain(server: http.Server, graceMs: number): Promise<DrainOutcome> {
    this.draining = true;
    let graceTimer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<'forced'>((resolve) => (graceTimer = setTimeout(() => resolve('forced'), graceMs)));
    // Closing a listener resets the connections still waiting in its queue, which clients have
    // already sent requests on: it is closed at a quiet turn of the event loop, once everything
    // queued has been accepted. Until then no answer says `Connection: close`, or clients would
    // reconnect into that queue.
    await acceptQueued(server);
    const closed = new Promise<void>((resolve) => {
      // net's close, not http's: http's also drops idle kept-alive connections at once, and a
      // request sent on one at that instant would be reset.
      net.Server.prototype.close.call(server, () => resolve());
    });
    this.closing = true;
    for (const res of this.inFlight) if (!res.headersSent) res.setHeader('connection', 'close');
    const settled = this.settled().then(() => {
      server.closeIdleConnections();
      return closed;
    });
    const outcome = await Promise.race([settled.then(() => 'drained' as const), graceOver]);
    clearTimeout(graceTimer);
    if (outcome === 'forced') await this.cutOff(server);
    return outcome;
  }

  /** Resolves once nothing has been in flight for IDLE_LINGER_MS. */
  private settled(): Promise<void> {
    return new Promise((resolve) => {
      let linger: NodeJS.Timeout | undefined;
      const check = () => {
        clearTimeout(linger);
        if (this.inFlight.size === 0) linger = setTimeout(() => (this.inFlight.size === 0 ? resolve() : undefined), IDLE_LINGER_MS);
      };
      this.idle = check;
      check();
    });
  }

  private async cutOff(server: http.Server): Promise<void> {
    for (const res of this.inFlight) {
      if (res.headersSent) continue;
      refuse(res, 503, 'SERVICE_UNAVAILABLE', 'The server is shutting down; try again', { headers: { connection: 'close', 'retry-after': '1' } });
      muteLateAnswer(res);
    }
    await new Promise((resolve) => setTimeout(resolve, FLUSH_MS));
    server.closeAllConnections();
  }
}

/** The listener is closed after this many turns of the event loop in a row accepted no connection, or after MAX_ACCEPT_MS. */
const QUIET_TURNS = 2;
const MAX_ACCEPT_MS = 250;

async function acceptQueued(server: http.Server): Promise<void> {
  let accepted = 0;
  const count = () => void (accepted += 1);
  server.on('connection', count);
  const until = Date.now() + MAX_ACCEPT_MS;
  try {
    for (let quiet = 0; quiet < QUIET_TURNS && Date.now() < until;) {
      const before = accepted;
      await new Promise((resolve) => setImmediate(resolve));
      quiet = accepted === before ? quiet + 1 : 0;
    }
  } finally {
    server.off('connection', count);
  }
}

/** Runs `stop` on the first SIGTERM or SIGINT; a second one exits at once. */
export function onShutdownSignals(stop: (signal: NodeJS.Signals) => Promise<number>): void {
  let stopping = false;
  const handle = (signal: NodeJS.Signals) => {
    if (stopping) {
      process.stderr.write(`kiji: ${signal} again, exiting now\n`);
      process.exit(1);
    }
    stopping = true;
    stop(signal).then(
      (code) => process.exit(code),
      (error) => {
        process.stderr.write(`kiji: shutdown failed: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', handle);
  process.on('SIGINT', handle);
}
