import zlib from 'node:zlib';
import { EncodedBodies } from '../../../src/http/compression';
import { inSequence } from '../../../src/http/pipeline';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

const BODY = Buffer.from(JSON.stringify({ data: { posts: Array.from({ length: 50 }, (_, i) => ({ title: `記事 ${i}`, slug: `post-${i}` })) } }));

describe('EncodedBodies: cached answers are compressed once per encoding', () => {
  it('compresses a body once and hands the same bytes to every later hit, also to hits that came while it ran', async () => {
    const bodies = new EncodedBodies(1024 * 1024);
    const [first, concurrent] = await Promise.all([bodies.get('W/"a"', 'br', BODY), bodies.get('W/"a"', 'br', BODY)]);
    const later = await bodies.get('W/"a"', 'br', BODY);
    expect(concurrent).toBe(first);
    expect(later).toBe(first);
    expect(zlib.brotliDecompressSync(first).equals(BODY)).toBe(true);
    const gzip = await bodies.get('W/"a"', 'gzip', BODY);
    expect(zlib.gunzipSync(gzip).equals(BODY)).toBe(true);
    expect(first.length).toBeLessThan(BODY.length / 3);
  });
});

describe('inSequence: handlers as one middleware', () => {
  const run = (handlers: RequestHandler[]) =>
    new Promise<unknown>((resolve) => inSequence(...handlers)({} as Request, {} as Response, ((error?: unknown) => resolve(error ?? 'done')) as NextFunction));

  it('runs the handlers in order and then moves on', async () => {
    const seen: number[] = [];
    const step =
      (n: number): RequestHandler =>
      (_req, _res, next) => (seen.push(n), next());
    expect(await run([step(1), step(2), step(3)])).toBe('done');
    expect(seen).toEqual([1, 2, 3]);
  });

  it('stops at an error, whether passed to next, thrown or rejected', async () => {
    const failure = new Error('no');
    const never: RequestHandler = () => {
      throw new Error('should not run');
    };
    expect(await run([(_req, _res, next) => next(failure), never])).toBe(failure);
    expect(
      await run([
        () => {
          throw failure;
        },
        never,
      ]),
    ).toBe(failure);
    expect(await run([() => Promise.reject(failure), never])).toBe(failure);
  });
});
