import type { NextFunction, Request, Response } from 'express';
import { DatabaseAvailability, isDatabaseUnavailable } from '../db/availability';
import type { CacheState } from '../services/cache';
import type { Services } from '../services/registry';
import { DEFAULT_MAX_AGE_SECONDS } from './cache';
import { maxAgeBefore } from './cache-policy';
import type { EncodedBodies } from './compression';
import { recordOf } from './request-log';
import { CacheFreshness, readCacheState, ResponseStore, sendStored, storeKey, StoredResponse, weakEtag } from './response-cache';
import { KijiError } from '../services/shared';
import { refuse } from './refusal';
import { refuseUnavailable } from './unavailable';

/**
 * Feeds and sitemaps answered like anonymous GraphQL reads (response-cache.ts, cache-policy.ts):
 * kept in the same response store, keyed by the content generation and the next scheduled
 * publication read for each request (so never stale after a write that returned, and a
 * scheduled post appears when its time comes), `max-age=60, public` capped at that publication,
 * a weak ETag of the body with 304 for If-None-Match, and compressed copies kept by ETag.
 * They differ from GraphQL answers only in their key (the path and the site's base URL, since
 * the documents hold absolute URLs) and in their media types, so they share the store, not the
 * GraphQL middleware, which is keyed by operation and negotiates GraphQL's media types.
 *
 * Two middlewares, with what a miss needs between them (feeds.ts: the database gate, the
 * client's budget, the request's deadline), as /graphql mounts them past its cache:
 * `lookup` answers from the store, `produce` makes the document, stores it and answers.
 */

/** Which document a request is for, and how to make it. */
export interface DocumentRequest {
  /** The site's base URL the document's links start with. */
  base: string;
  /** What else tells documents apart: the path and the parameters that matter. */
  key: string;
  /** Its media type. */
  type: string;
  /** False: neither looked up nor kept in the store, nor shared with concurrent requests (no KIJI_SITE_URL: feeds.ts). */
  cacheable: boolean;
  /** What making it is charged against the client's budget (document-cost.ts). */
  cost: number;
  /** Makes the document's text; null when there is nothing at this address. */
  produce(): Promise<string | null>;
  /** Answers a request for which `produce` gave null (a 404). */
  missing(res: Response): void;
}

export interface DocumentCacheParts {
  services: Services;
  /** The whole-response store; null when KIJI_RESPONSE_CACHE=off (documents are then made for each request). */
  responses: ResponseStore | null;
  /** Where lookups read the content state (server.ts: the same as /graphql's). */
  freshness: CacheFreshness;
  availability: DatabaseAvailability;
  encoded: EncodedBodies;
}

/** What `lookup` leaves for the steps after it, on the response. */
interface Pending {
  document: DocumentRequest;
  state: CacheState;
  storeKey: string;
  /** Taken before the state was read: whether every read since saw only committed rows (CacheFreshness.quietFromNow). */
  stillQuiet: () => boolean;
}

/** A document being made, and whether its reads (and the state it is keyed by) saw only committed rows. */
interface Making {
  text: Promise<string | null>;
  stillQuiet: () => boolean;
}

const PENDING = 'kijiDocument';

/** The document a request is for, set by the route before `lookup` (feeds.ts). */
export function setDocument(res: Response, document: DocumentRequest): void {
  res.locals[PENDING] = { document } as Partial<Pending>;
}

export function documentOf(res: Response): DocumentRequest {
  return (res.locals[PENDING] as Pending).document;
}

export class DocumentCache {
  /**
   * Documents being made, by store key: concurrent misses of one document wait for the same
   * making instead of each running its SQL (after a write, every crawler would otherwise rebuild
   * the whole sitemap at once). The key holds the content generation, so no one joins a making
   * started before a write they saw, and no one joins a making that read inside a write
   * transaction (SQLite: a rollback would take back what it read).
   */
  private readonly making = new Map<string, Making>();

  constructor(private readonly parts: DocumentCacheParts) {}

  /** The document's text, made once for every request that asks for it while it is being made. */
  private make(document: DocumentRequest, storeKey: string, stillQuiet: () => boolean): Making {
    // Documents that are not kept (no KIJI_SITE_URL, or KIJI_RESPONSE_CACHE=off) are each made for their request.
    if (!document.cacheable || !this.parts.responses) return { text: document.produce(), stillQuiet };
    const current = this.making.get(storeKey);
    if (current?.stillQuiet()) return current;
    // The first, or one that read inside a write transaction: this request makes its own.
    const making: Making = {
      text: document.produce().finally(() => {
        if (this.making.get(storeKey) === making) this.making.delete(storeKey);
      }),
      stillQuiet,
    };
    this.making.set(storeKey, making);
    return making;
  }

  /** Answers from the store when it holds the document for the current content and base URL; else on to the next step. */
  readonly lookup = async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const pending = res.locals[PENDING] as Pending;
    const { base, key, type, cacheable } = pending.document;
    const { services, responses, freshness } = this.parts;
    pending.stillQuiet = freshness.quietFromNow();
    // Not even tried while the database is known to be down and no state was ever read: refused at once.
    const read = freshness.databaseAvailable() || freshness.lastKnown() ? await readCacheState(freshness) : undefined;
    if (!read) return refuseUnavailable(res);
    const { state, stale } = read;
    pending.state = state;
    pending.storeKey = storeKey(services.config.cacheNamespace, 'document', state, `${base}|${key}`);
    try {
      const hit = responses && cacheable ? await responses.get(pending.storeKey) : undefined;
      if (hit) return await sendStored(req, res, hit, { type, cache: stale ? 'stale' : 'hit', encoded: this.parts.encoded });
    } catch (error) {
      return next(error);
    }
    // Nothing is made under a state that could not be confirmed.
    if (stale) return refuseUnavailable(res);
    next();
  };

  /** Makes the document, keeps it (when it may be kept) and answers with it. */
  readonly produce = async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const { document, state, storeKey, stillQuiet } = res.locals[PENDING] as Pending;
    const { services, responses, availability } = this.parts;
    const record = recordOf(res);
    try {
      // Out of time already (a slow budget store), or the client is gone: start no SQL for it.
      record?.throwIfAborted();
      // Once made, a document is kept even if its deadline passed meanwhile: it is current, and spares the next request the work.
      const making = this.make(document, storeKey, stillQuiet);
      const text = await making.text;
      if (text === null) return document.missing(res);
      const body = Buffer.from(text, 'utf8');
      // No longer than until the next scheduled post appears (cache-policy.ts); not at all, by any
      // cache, when its reads may have seen an open write transaction (a rollback takes that back).
      const ttl = making.stillQuiet() ? maxAgeBefore(state.nextScheduledAt, services.clock.now(), DEFAULT_MAX_AGE_SECONDS) : 0;
      const entry: StoredResponse = {
        body,
        etag: weakEtag(body),
        cacheControl: ttl > 0 ? `max-age=${ttl}, public` : 'no-store',
        storedAt: Date.now(),
      };
      // In the background: a slow or failing store must not hold up or fail the answer.
      if (responses && document.cacheable && ttl > 0) responses.set(storeKey, entry, ttl).catch(() => undefined);
      await sendStored(req, res, entry, { type: document.type, cache: document.cacheable && responses ? 'miss' : 'bypass', encoded: this.parts.encoded });
    } catch (error) {
      const unavailable = isDatabaseUnavailable(error);
      // So that the gate refuses what follows, whether or not this request can still be answered.
      if (unavailable) availability.report(error);
      // The deadline's answer has gone out (or no one is listening): nothing to answer, and the connection stays open.
      if (record?.aborted) {
        if (error !== record.aborted && !unavailable) record.log.warn({ err: error }, 'document failed after its request was stopped');
        return;
      }
      if (unavailable) return refuseUnavailable(res);
      // What the address asks for cannot be (a slug no text column can hold): the client's mistake, as GraphQL answers it.
      if (error instanceof KijiError && error.code === 'BAD_USER_INPUT') return refuse(res, 400, error.code, error.message, { extensions: error.details });
      next(error);
    }
  };
}
