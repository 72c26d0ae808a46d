import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request a receiver got, as it came. */
export interface ReceivedWebhook {
  headers: Record<string, string>;
  body: string;
  /** `performance.now()` when its body had arrived. */
  receivedAt: number;
}

/**
 * A real webhook receiver on loopback: it records every request and answers what `answer` says
 * (200 by default); `hold` keeps requests waiting until `release` (a slow receiver).
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  /** The status to answer the next request with. */
  answer: (request: ReceivedWebhook) => number = () => 200;
  private holding = false;
  private held: (() => void)[] = [];
  private server: http.Server | null = null;

  static async start(port = 0): Promise<WebhookReceiver> {
    const receiver = new WebhookReceiver();
    await receiver.listen(port);
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/hooks/kiji`;
  }

  /** Requests waiting for `release`. */
  get waiting(): number {
    return this.held.length;
  }

  hold(): void {
    this.holding = true;
  }

  release(): void {
    this.holding = false;
    for (const answer of this.held.splice(0)) answer();
  }

  /** The bodies received, parsed. */
  payloads<T = { type: string; timestamp: string; data: Record<string, unknown> }>(): T[] {
    return this.received.map((r) => JSON.parse(r.body) as T);
  }

  async listen(port: number): Promise<void> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const request = { headers: req.headers as Record<string, string>, body: Buffer.concat(chunks).toString('utf8'), receivedAt: performance.now() };
        this.received.push(request);
        const reply = () => res.writeHead(this.answer(request)).end('ok');
        if (this.holding) this.held.push(reply);
        else reply();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    this.release();
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

/** A port nothing listens on (taken, then given back). */
export async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

type Truthy<T> = Exclude<T, false | null | undefined | 0 | ''>;

/** Waits until `condition` holds (checked every 20 ms); fails with `what` after `timeoutMs`, and returns what it held with. */
export async function eventually<T>(what: string, condition: () => T | Promise<T>, timeoutMs = 20_000): Promise<Truthy<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (value) return value as Truthy<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
