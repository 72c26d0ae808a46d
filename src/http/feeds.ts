import { Router, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { DEFAULT_LIMITS } from '../config';
import { checkFeedSize, DEFAULT_FEED_SIZE, FEED_FOLDERS, FEED_FORMATS, FeedFormat, FeedScope, TermKind } from '../services/feeds';
import { KijiError } from '../services/shared';
import { corsFor } from './cors';
import type { Deadlines } from './deadline';
import { documentBudget } from './document-budget';
import { DocumentCache, DocumentCacheParts, documentOf, DocumentRequest, setDocument } from './document-cache';
import type { DocumentCosts } from './document-cost';
import { inSequence } from './pipeline';
import type { CostBudgets } from './rate-limit';
import { refuse } from './refusal';
import { databaseGate } from './unavailable';

/*
 * Feeds and the sitemap (README "Partners → Feeds and sitemap"):
 *   /feeds/posts.{rss,atom,json}                        the whole site
 *   /feeds/{tags,authors,categories}/{slug}.{rss,atom,json}
 *   /sitemap.xml, and /sitemaps/{n}.xml when it is an index
 * Always the public view: an Authorization header changes nothing, so every answer is cacheable.
 * Errors are Kiji's GraphQL-shaped JSON (refusal.ts), like every answer outside /graphql.
 * A request meets what one to /graphql meets: CORS, the methods (GET and HEAD), the response
 * cache (hits end there, free); then, for a document to make, the database gate, the client's
 * budget (document-budget.ts) and the request's deadline.
 */

export interface FeedRouteParts extends DocumentCacheParts {
  deadlines: Deadlines;
  /** The per-client budgets GraphQL requests are charged to (rate-limit.ts). */
  budgets: CostBudgets;
  costs: DocumentCosts;
}

const MEDIA_TYPES: Record<FeedFormat, string> = {
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  json: 'application/feed+json; charset=utf-8',
};
const SITEMAP_TYPE = 'application/xml; charset=utf-8';

const KIND_BY_FOLDER = new Map<string, TermKind>(Object.entries(FEED_FOLDERS).map(([kind, folder]) => [folder, kind as TermKind]));

/**
 * A document is the same whoever asks and however it is asked for, but for its encoding; CORS adds
 * `Origin` when origins are listed. Set first, so that CORS adds to it rather than being overwritten.
 */
function varyByEncoding(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader('vary', 'Accept-Encoding');
  next();
}

/** Documents are read with GET or HEAD (a CORS preflight, answered before this, by OPTIONS). */
function readMethodsOnly(req: Request, res: Response, next: NextFunction): void {
  if (req.method === 'GET' || req.method === 'HEAD') return next();
  res.setHeader('allow', 'GET, HEAD');
  refuse(res, 405, 'METHOD_NOT_ALLOWED', 'Feeds and sitemaps are read with GET or HEAD');
}

/** `name.ext` with a known feed format, split at the last dot; null otherwise. */
function feedFile(file: string): { name: string; format: FeedFormat } | null {
  const dot = file.lastIndexOf('.');
  const format = file.slice(dot + 1) as FeedFormat;
  return dot > 0 && FEED_FORMATS.includes(format) ? { name: file.slice(0, dot), format } : null;
}

/** `?limit=`: absent, or a whole number from 1 to MAX_FEED_SIZE; undefined after answering 400. */
function feedSize(req: Request, res: Response): number | undefined {
  const value = req.query.limit;
  if (value === undefined) return DEFAULT_FEED_SIZE;
  // Digits only: Number() would also read `1e1`, ` 5` or `0x10`.
  const size = typeof value === 'string' && /^\d{1,3}$/.test(value) ? Number(value) : NaN;
  try {
    checkFeedSize(size);
    return size;
  } catch (error) {
    if (!(error instanceof KijiError)) throw error;
    refuse(res, 400, error.code, error.message, { extensions: error.details });
    return undefined;
  }
}

const HOST = /^(?:[a-z0-9.-]+|\[[0-9a-f:.]+\])(?::\d{1,5})?$/;

/**
 * The site's base URL, and whether documents for it may be kept in the store: KIJI_SITE_URL,
 * else the origin the request was sent to (README: production sets KIJI_SITE_URL). Without it,
 * the Host header is the client's to write and each host's documents differ (their links), so
 * none is kept: whichever host the store kept would be the first one asked for, an attacker's
 * or a curl's after a deploy. Every document is then made for its request and charged to its
 * sender (the server warns once at start: server.ts).
 */
class SiteBase {
  constructor(private readonly siteUrl: string | null | undefined) {}

  /** undefined after answering 400 (no Host, or not a host[:port]). */
  of(req: Request, res: Response): { base: string; cacheable: boolean } | undefined {
    if (this.siteUrl) return { base: this.siteUrl, cacheable: true };
    const host = req.headers.host?.toLowerCase();
    if (host && HOST.test(host)) return { base: `${req.protocol}://${host}`, cacheable: false };
    refuse(res, 400, 'BAD_REQUEST', 'The Host header is missing or malformed: feeds link to the host they are asked from (set KIJI_SITE_URL)');
    return undefined;
  }
}

/** What the server logs once at start without KIJI_SITE_URL. */
export const UNCACHED_DOCUMENTS_WARNING =
  'KIJI_SITE_URL is not set: feeds and the sitemap link to the host each request names and are not cached (each is made for its request and charged to its sender) until it is set';

function noFeed(scope: FeedScope) {
  const message = scope.kind === 'site' ? 'No such feed' : `No feed for this ${scope.kind}: no published post has it`;
  return (res: Response) => refuse(res, 404, 'NOT_FOUND', message);
}

/** What a route makes of a request: the document it is for, null when the path names none (404), undefined once answered (400). */
type DocumentRoute = (req: Request<Record<string, string>>, res: Response) => DocumentRequest | null | undefined;

export function feedRoutes(parts: FeedRouteParts): Router {
  const { services, availability, costs } = parts;
  const config = services.config;
  const cache = new DocumentCache(parts);
  const site = new SiteBase(config.siteUrl);
  const cors = corsFor(config.corsOrigins, ['GET', 'HEAD']);
  const serve = inSequence(
    cache.lookup,
    databaseGate(availability),
    documentBudget(parts.budgets, config.limits ?? DEFAULT_LIMITS, (res) => documentOf(res).cost),
    parts.deadlines.middleware,
    cache.produce,
  );
  const route =
    (resolve: DocumentRoute): RequestHandler<Record<string, string>> =>
    (req, res, next) => {
      const document = resolve(req, res);
      if (document === null) return next();
      if (document === undefined) return;
      setDocument(res, document);
      serve(req, res, next);
    };

  const feed = (scope: FeedScope, format: FeedFormat, req: Request, res: Response): DocumentRequest | undefined => {
    const size = feedSize(req, res);
    const at = size && site.of(req, res);
    if (!size || !at) return undefined;
    const subject = scope.kind === 'site' ? 'site' : `${scope.kind}:${scope.slug}`;
    return {
      ...at,
      key: `feed|${subject}|${format}|${size}`,
      type: MEDIA_TYPES[format],
      cost: costs.feed(scope.kind, size),
      produce: () => services.feeds.feed(scope, format, size, services.feeds.linksFor(at.base)),
      missing: noFeed(scope),
    };
  };

  const router = Router();
  router.use(['/feeds', '/sitemaps', '/sitemap.xml'], inSequence(varyByEncoding, ...(cors ? [cors] : []), readMethodsOnly));

  router.get(
    '/feeds/:file',
    route((req, res) => {
      const file = feedFile(req.params.file);
      return file?.name === 'posts' ? feed({ kind: 'site' }, file.format, req, res) : null;
    }),
  );

  router.get(
    '/feeds/:folder/:file',
    route((req, res) => {
      const kind = KIND_BY_FOLDER.get(req.params.folder);
      const file = feedFile(req.params.file);
      return kind && file?.name ? feed({ kind, slug: file.name }, file.format, req, res) : null;
    }),
  );

  router.get(
    '/sitemap.xml',
    route((req, res) => {
      const at = site.of(req, res);
      if (!at) return undefined;
      return {
        ...at,
        key: 'sitemap',
        type: SITEMAP_TYPE,
        cost: costs.sitemap(),
        produce: () => services.feeds.sitemap(services.feeds.linksFor(at.base)),
        missing: (r) => refuse(r, 404, 'NOT_FOUND', 'No sitemap'),
      };
    }),
  );

  router.get(
    '/sitemaps/:file',
    route((req, res) => {
      const n = /^([1-9]\d{0,5})\.xml$/.exec(req.params.file)?.[1];
      const at = n && site.of(req, res);
      if (!n) return null;
      if (!at) return undefined;
      return {
        ...at,
        key: `sitemap|${n}`,
        type: SITEMAP_TYPE,
        cost: costs.sitemap(),
        produce: () => services.feeds.sitemapPart(Number(n), services.feeds.linksFor(at.base)),
        missing: (r) => refuse(r, 404, 'NOT_FOUND', 'No such sitemap part: /sitemap.xml lists the parts there are'),
      };
    }),
  );

  return router;
}
