import { parentPort, Worker } from 'node:worker_threads';

/*
 * Worker threads for the CPU-bound halves of bulk work (rendering an import's files, a related
 * rebuild's vectors and neighbours): the same pure functions, run on every core. A worker answers
 * its requests in order, so each keeps a queue of the callers waiting for it.
 */

type Answer<Reply> = { ok: true; reply: Reply } | { ok: false; message: string };

export interface WorkerPoolOptions {
  /**
   * Workers that keep the process alive only while a caller waits for them: a server's, started
   * on its first use and idle most of the time, must not hold a finished script open.
   */
  detached?: boolean;
}

export class WorkerPool<Request, Reply> {
  private readonly workers: { worker: Worker; waiting: { resolve: (reply: Reply) => void; reject: (error: Error) => void }[] }[];
  private lostWorker: Error | null = null;
  private readonly detached: boolean;

  /** `script`: a compiled worker file that calls `answerRequests`. */
  constructor(script: string, size: number, options: WorkerPoolOptions = {}) {
    this.detached = options.detached ?? false;
    this.workers = Array.from({ length: size }, () => {
      const entry = { worker: new Worker(script), waiting: [] as { resolve: (reply: Reply) => void; reject: (error: Error) => void }[] };
      entry.worker.on('message', (answer: Answer<Reply>) => {
        const caller = entry.waiting.shift();
        if (this.detached && entry.waiting.length === 0) entry.worker.unref();
        if (answer.ok) caller?.resolve(answer.reply);
        else caller?.reject(new Error(answer.message));
      });
      entry.worker.on('error', (error) => {
        this.lostWorker ??= error;
        entry.waiting.splice(0).forEach((w) => w.reject(error));
      });
      // A worker that ends without an error event (out of memory, terminated) must not leave its callers waiting.
      entry.worker.on('exit', (code) => {
        const error = new Error(`a worker thread exited (code ${code}) before answering`);
        this.lostWorker ??= error;
        entry.waiting.splice(0).forEach((w) => w.reject(error));
      });
      // After the listeners: adding one refs the worker again.
      if (this.detached) entry.worker.unref();
      return entry;
    });
  }

  /** Whether a worker has failed or ended: it answers nothing more, and neither does the pool. */
  get lost(): boolean {
    return this.lostWorker !== null;
  }

  get size(): number {
    return this.workers.length;
  }

  /** Worker `index`'s reply to `request`. */
  ask(index: number, request: Request): Promise<Reply> {
    const entry = this.workers[index];
    // A message to an ended worker is dropped: its caller would wait forever.
    if (this.lostWorker) return Promise.reject(this.lostWorker);
    return new Promise((resolve, reject) => {
      if (this.detached) entry.worker.ref();
      entry.waiting.push({ resolve, reject });
      entry.worker.postMessage(request);
    });
  }

  /** Every worker's reply to the same request. */
  everyWorker(request: Request): Promise<Reply[]> {
    return Promise.all(this.workers.map((_, i) => this.ask(i, request)));
  }

  /** Each worker's contiguous share of `[0, count)`, in order; the replies to `requestFor` each share, in that order. */
  byShares(count: number, requestFor: (from: number, to: number) => Request): Promise<Reply[]> {
    const size = Math.ceil(count / this.workers.length);
    return Promise.all(this.workers.map((_, i) => this.ask(i, requestFor(Math.min(count, i * size), Math.min(count, (i + 1) * size)))));
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((entry) => entry.worker.terminate()));
  }
}

/** In a worker's script: answers each request with `answer`'s reply (its typed arrays' buffers moved, not copied). */
export function answerRequests<Request, Reply>(answer: (request: Request) => { reply: Reply; transfer?: ArrayBuffer[] }): void {
  parentPort!.on('message', (request: Request) => {
    try {
      const { reply, transfer } = answer(request);
      parentPort!.postMessage({ ok: true, reply } satisfies Answer<Reply>, transfer ?? []);
    } catch (error) {
      parentPort!.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error) } satisfies Answer<Reply>);
    }
  });
}
