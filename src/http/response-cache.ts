import { createHash } from 'node:crypto';
import { InMemoryLRUCache, KeyValueCache } from '@apollo/utils.keyvaluecache';
import type { NextFunction, Request, Response } from 'express';
import type { CacheState } from '../services/cache';
import Negotiator from 'negotiator';
import { EncodedBodies, encodingFor } from './compression';
import type { SingleFlight } from './single-flight';
import { countedStatements, recordOf } from './request-log';

/**
 * The whole-response cache for anonymous reads, in front of Apollo: a hit is answered from the
 * stored body without parsing, validating or executing anything, which is what lets a cached
 * read outrun a hand-written SQL server.
 *
 * - Only anonymous requests (no Authorization header) are looked up or stored, and only answers
 *   that cache-policy.ts marked `public` with a max-age (anonymous reads, no longer than until
 *   the next scheduled post) and that carry no errors. They are kept that long at most.
 * - The key holds the content generation, bumped by every write in its own transaction, and the
 *   next scheduled publication. The state is read for every lookup (`fresh` below shares one read
 *   among the lookups that arrive while it is running, never one that started before them), so
 *   a response is never served after a write that returned before the request came in.
 * - GET and POST share entries: the key is made of the operation, not of the transport.
 * - Identical misses arriving together make their answer once (single-flight.ts, when the store has `flights`).
 */

export interface StoredResponse {
  /** UTF-8, ready to write: a hit costs no encoding, and bodies live outside the JavaScript heap. */
  body: Buffer;
  etag: string;
  cacheControl: string;
  storedAt: number;
}

/** How stored responses are kept: in this process, or encoded as text in a shared store. */
export interface ResponseStore {
  get(key: string): Promise<StoredResponse | undefined>;
  set(key: string, value: StoredResponse, ttlSeconds: number): Promise<void>;
  /** Makes each missed answer once for the requests that miss it together; absent: each miss makes its own. */
  readonly flights?: SingleFlight;
}

export class MemoryResponseStore implements ResponseStore {
  private readonly lru: InMemoryLRUCache<StoredResponse>;

  /** `maxBytes` bounds the bodies kept. */
  constructor(
    maxBytes: number,
    readonly flights?: SingleFlight,
  ) {
    this.lru = new InMemoryLRUCache<StoredResponse>({ maxSize: maxBytes, sizeCalculation: (r) => r.body.length + 256 });
  }

  async get(key: string): Promise<StoredResponse | undefined> {
    return this.lru.get(key);
  }

  async set(key: string, value: StoredResponse, ttlSeconds: number): Promise<void> {
    await this.lru.set(key, value, { ttl: ttlSeconds });
  }
}

/** Responses in a KeyValueCache of strings (Redis): three header lines, then the body. */
export class TextResponseStore implements ResponseStore {
  constructor(
    private readonly cache: KeyValueCache<string>,
    readonly flights?: SingleFlight,
  ) {}

  async get(key: string): Promise<StoredResponse | undefined> {
    const text = await this.cache.get(key);
    if (text === undefined) return undefined;
    const [storedAt, etag, cacheControl] = text.split('\n', 3);
    const body = Buffer.from(text.slice(storedAt.length + etag.length + cacheControl.length + 3));
    return { storedAt: Number(storedAt), etag, cacheControl, body };
  }

  async set(key: string, value: StoredResponse, ttlSeconds: number): Promise<void> {
    await this.cache.set(key, `${value.storedAt}\n${value.etag}\n${value.cacheControl}\n${value.body.toString()}`, { ttl: ttlSeconds });
  }
}

/** The parts of a GraphQL request that decide its answer, from a POST body or a GET query string. */
function operationOf(req: Request): string | null {
  const source = (req.method === 'GET' ? req.query : req.body) as Record<string, unknown> | undefined;
  if (!source || typeof source !== 'object' || Array.isArray(source)) return null;
  const json = (value: unknown): unknown => (typeof value === 'string' && req.method === 'GET' ? JSON.parse(value) : value);
  try {
    // All of `extensions`, not only an APQ hash: a malformed one must reach Apollo (400), not a cached answer.
    return JSON.stringify([source.query ?? null, source.operationName ?? null, json(source.variables) ?? null, json(source.extensions) ?? null]);
  } catch {
    return null; // malformed variables: Apollo answers with the error
  }
}

/** Apollo's media types for a single answer, in the order Apollo negotiates them (runHttpQuery). */
const JSON_TYPE = 'application/json; charset=utf-8';
const GRAPHQL_RESPONSE_TYPE = 'application/graphql-response+json; charset=utf-8';
const CALLBACK_TYPE = 'application/json; callbackSpec=1.0; charset=utf-8';

/**
 * The content type Apollo would give this request's answer, so that a hit and a miss answer alike;
 * null where Apollo would answer otherwise (406, or the callback form): those go to Apollo.
 */
function answerTypeFor(req: Request): string | null {
  const accept = req.headers.accept;
  if (!accept) return JSON_TYPE;
  const negotiator = new Negotiator({ headers: { accept } });
  // A browser opening the URL (a GET preferring HTML) gets the explorer from Apollo, never a stored answer.
  if (req.method === 'GET' && negotiator.mediaType([JSON_TYPE, GRAPHQL_RESPONSE_TYPE, 'text/html']) === 'text/html') return null;
  const preferred = negotiator.mediaType([JSON_TYPE, GRAPHQL_RESPONSE_TYPE, CALLBACK_TYPE]);
  return preferred === JSON_TYPE || preferred === GRAPHQL_RESPONSE_TYPE ? preferred : null;
}

/** If-None-Match against a stored ETag, compared weakly (RFC 9110 13.1.2: a list, or `*`). */
export function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const opaque = etag.replace(/^W\//, '');
  return ifNoneMatch.split(',').some((tag) => {
    const candidate = tag.trim();
    return candidate === '*' || candidate.replace(/^W\//, '') === opaque;
  });
}

const PUBLIC_MAX_AGE = /(?:^|,)\s*max-age=(\d+)/;

/** Whether Apollo's answer may be kept, and for how many seconds. */
function storableFor(res: Response, body: string): number {
  const cacheControl = String(res.getHeader('cache-control') ?? '');
  const maxAge = Number(PUBLIC_MAX_AGE.exec(cacheControl)?.[1] ?? 0);
  if (res.statusCode !== 200 || !/\bpublic\b/.test(cacheControl) || maxAge <= 0) return 0;
  // `"errors":[` cannot occur inside a JSON string (its quotes would be escaped).
  return body.includes('"errors":[') ? 0 : maxAge;
}

/** How a stored (or just made) answer goes out; `cache` is the `x-kiji-cache` header. */
export interface StoredAnswer {
  type: string;
  /** `coalesced`: made by an identical request that missed at the same time (single-flight.ts). */
  cache: 'hit' | 'miss' | 'stale' | 'bypass' | 'coalesced';
  /** Compressed copies of stored bodies, by ETag. */
  encoded: EncodedBodies;
}

/**
 * Sends `entry` with its caching headers: 304 for a matching If-None-Match, else the body,
 * compressed when the client accepts an encoding. Shared by GraphQL hits and feed documents
 * (document-cache.ts), so that both answer revalidations and encodings alike.
 */
export async function sendStored(req: Request, res: Response, entry: StoredResponse, answer: StoredAnswer): Promise<void> {
  res.setHeader('cache-control', entry.cacheControl);
  if (answer.cache === 'hit' || answer.cache === 'stale') res.setHeader('age', String(Math.max(0, Math.floor((Date.now() - entry.storedAt) / 1000))));
  res.setHeader('etag', entry.etag);
  res.setHeader('x-kiji-cache', answer.cache);
  // What the answer cost in SQL, so that tests and operators can see a hit costs (next to) none.
  const statements = countedStatements(recordOf(res));
  if (statements !== undefined) res.setHeader('x-kiji-sql-statements', String(statements));
  res.setHeader('content-type', answer.type);
  // Express's own check sends the whole body whenever the request says `Cache-Control: no-cache`,
  // which fetch() adds to any request that sets If-None-Match by hand (ETag caches, service workers).
  if (matchesEtag(req.headers['if-none-match'], entry.etag)) return void res.status(304).end();
  const encoding = encodingFor(req, entry.body.length);
  if (!encoding) return void res.send(entry.body);
  const compressed = answer.encoded.get(entry.etag, encoding, entry.body);
  res.setHeader('content-encoding', encoding);
  res.send(compressed instanceof Buffer ? compressed : await compressed);
}

/** Where the middleware learns which content generation a lookup is for. */
export interface CacheFreshness {
  /** The state as read now; rejects when the database fails or does not answer in time. */
  fresh(): Promise<CacheState>;
  /** The newest state read, for when the database cannot be asked. */
  lastKnown(): CacheState | undefined;
  /** False while the database is known to be unreachable: the read is not even tried. */
  databaseAvailable(): boolean;
  /** A failed read, so that an unreachable database is marked down. */
  report(error: unknown): void;
  /**
   * Called when a lookup starts: a check that, when the answer is made, tells whether every read
   * since saw only committed rows (WriteLock.quietFromNow). An answer is kept only then.
   */
  quietFromNow(): () => boolean;
}

/** The content state a lookup is for; `stale` when the database could not confirm it (the last one read). */
export interface CacheRead {
  state: CacheState;
  stale: boolean;
}

/**
 * Reads the content state for a lookup: fresh when the database is up, else (down, frozen or
 * locked: the failure is reported) the last one read, stale; undefined when none was ever read.
 */
export async function readCacheState(freshness: CacheFreshness): Promise<CacheRead | undefined> {
  const last = freshness.databaseAvailable() ? undefined : freshness.lastKnown();
  if (last) return { state: last, stale: true };
  try {
    return { state: await freshness.fresh(), stale: false };
  } catch (error) {
    freshness.report(error);
    const known = freshness.lastKnown();
    return known && { state: known, stale: true };
  }
}

/** A store key: the content generation and next scheduled publication, so a write or a due post misses, then the rest. */
export function storeKey(namespace: string, kind: string, state: CacheState, rest: string): string {
  const digest = createHash('sha1')
    .update(`${state.generation}|${state.nextScheduledAt?.getTime() ?? ''}|${rest}`)
    .digest('base64url');
  return `${namespace}:${kind}:${digest}`;
}

/** The weak ETag of a stored body. */
export function weakEtag(body: Buffer): string {
  return `W/"${createHash('sha1').update(body).digest('base64url')}"`;
}

/**
 * The content state the middleware read for the request `res` answers, if it read one: Apollo's
 * cache hints need the same state (the next scheduled post), so the context takes it from here.
 */
export function cacheStateOf(res: Response): Promise<CacheState> | undefined {
  return res.locals.cacheState as Promise<CacheState> | undefined;
}

/** The check the middleware took before it read the content state (CacheFreshness.quietFromNow), for the context. */
export function readsCommittedOf(res: Response): (() => boolean) | undefined {
  return res.locals.readsCommitted as (() => boolean) | undefined;
}

/** `encoded`: compressed copies of stored bodies, for clients that accept an encoding. */
export function responseCacheMiddleware(store: ResponseStore, freshness: CacheFreshness, namespace: string, encoded: EncodedBodies) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    if ((req.method !== 'GET' && req.method !== 'POST') || req.headers.authorization) return next();
    const answerType = answerTypeFor(req);
    const operation = answerType && operationOf(req);
    if (!operation) return next();
    try {
      // Before the state is read: the state and the answer are both read after this. The answer's
      // Cache-Control (cache-policy.ts) asks it, and `storableFor` keeps nothing sent `no-store`.
      res.locals.readsCommitted = freshness.quietFromNow(); // for readsCommittedOf
      const read = await readCacheState(freshness);
      if (!read) return next();
      const { state, stale } = read;
      if (!stale) res.locals.cacheState = Promise.resolve(state); // for cacheStateOf
      const key = storeKey(namespace, 'response', state, operation);
      const hit = await store.get(key);
      // `stale`: served while the database could not confirm the content generation.
      if (hit) return await sendStored(req, res, hit, { type: answerType, cache: stale ? 'stale' : 'hit', encoded });
      // Nothing is stored under a state that could not be confirmed.
      if (stale) return next();
      const turn = store.flights ? await store.flights.turn(store, key) : undefined;
      if (turn?.entry) return await sendStored(req, res, turn.entry, { type: answerType, cache: 'coalesced', encoded });
      // Stored in the background (by `finish`, or here): a slow or failing store must not hold up or fail the answer.
      const finish = turn?.finish ?? ((entry: StoredResponse | null, ttl: number) => entry && store.set(key, entry, ttl).catch(() => undefined));
      // An answer that never goes through `send` (the client gone, a failure) is nothing to share; after `send`, a no-op.
      if (turn) res.once('close', () => finish(null, 0));
      res.setHeader('x-kiji-cache', 'miss');
      const send = res.send.bind(res);
      res.send = (body?: unknown) => {
        const ttl = typeof body === 'string' ? storableFor(res, body) : 0;
        if (ttl === 0) {
          finish(null, 0);
          return send(body);
        }
        const bytes = Buffer.from(body as string);
        const etag = weakEtag(bytes);
        res.setHeader('etag', etag);
        finish({ body: bytes, etag, cacheControl: String(res.getHeader('cache-control')), storedAt: Date.now() }, ttl);
        return send(bytes);
      };
    } catch (error) {
      return next(error);
    }
    next();
  };
}
