import { promisify } from 'node:util';
import zlib from 'node:zlib';
import compression from 'compression';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { LRUCache } from 'lru-cache';
import Negotiator from 'negotiator';

/*
 * Answers over 1 KB are compressed for clients that accept it: brotli at quality 4 (quality 11,
 * zlib's default, takes tens of milliseconds for a page of posts), else gzip. A fresh answer is
 * compressed as Apollo writes it, by the `compression` middleware; a cached answer is compressed
 * once per encoding and the result kept (EncodedBodies), so a hit costs no compression.
 */

/** Below this an answer is sent as it is: the headers would weigh more than the saving. */
export const COMPRESSION_THRESHOLD_BYTES = 1024;
/** Brotli at quality 4, for fresh answers and cached ones alike. */
const BROTLI = { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } };

export type Encoding = 'br' | 'gzip';

/** The `compression` middleware, skipped for requests that accept no encoding (most server-to-server calls). */
export function compressAnswers(): RequestHandler {
  const compress = compression({
    threshold: COMPRESSION_THRESHOLD_BYTES,
    brotli: BROTLI,
  });
  return (req: Request, res: Response, next: NextFunction) => (req.headers['accept-encoding'] ? compress(req, res, next) : next());
}

/** Accept-Encoding headers seen, with the encoding each asks for: clients send a handful of distinct ones. */
const chosenEncodings = new LRUCache<string, Encoding | 'none'>({ max: 256 });

/** The encoding to send a stored body in, by the request's Accept-Encoding (brotli first), or null. */
export function encodingFor(req: Request, size: number): Encoding | null {
  const header = req.headers['accept-encoding'];
  if (size < COMPRESSION_THRESHOLD_BYTES || !header) return null;
  let chosen = chosenEncodings.get(header);
  if (chosen === undefined) {
    // Brotli first where the client weighs both alike, as the `compression` middleware chooses
    // (negotiator 1's `preferred` option, which @types/negotiator, written for 0.6, does not declare).
    const negotiator = new Negotiator(req) as unknown as { encoding(available: string[], options: { preferred: string[] }): string | undefined };
    const accepted = negotiator.encoding(['br', 'gzip', 'identity'], { preferred: ['br', 'gzip'] });
    chosen = accepted === 'br' || accepted === 'gzip' ? accepted : 'none';
    chosenEncodings.set(header, chosen);
  }
  return chosen === 'none' ? null : chosen;
}

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

/**
 * Compressed copies of stored answers, by ETag (a digest of the body, so one body is compressed
 * once whichever key it is stored under) and encoding, in an LRU bounded in bytes. Compression
 * runs on libuv's thread pool; hits that arrive while it runs share it.
 */
export class EncodedBodies {
  private readonly done: LRUCache<string, Buffer>;
  private readonly running = new Map<string, Promise<Buffer>>();

  constructor(maxBytes: number) {
    this.done = new LRUCache<string, Buffer>({ maxSize: maxBytes, sizeCalculation: (body) => body.length + 64 });
  }

  /** The compressed body: at once when it has been compressed before (a hit's usual case), else when it is. */
  get(etag: string, encoding: Encoding, body: Buffer): Buffer | Promise<Buffer> {
    const key = `${encoding} ${etag}`;
    const kept = this.done.get(key);
    if (kept) return kept;
    let pending = this.running.get(key);
    if (!pending) {
      pending = encoding === 'br' ? brotli(body, BROTLI) : gzip(body);
      this.running.set(key, pending);
      pending
        .then((encoded) => this.done.set(key, encoded))
        .catch(() => undefined)
        .finally(() => this.running.delete(key));
    }
    return pending;
  }
}
