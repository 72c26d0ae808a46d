import { Readable } from 'node:stream';
import { SitemapIndexStream, SitemapStream, streamToPromise } from 'sitemap';

/** sitemaps.org's limits for one sitemap file: URLs, and bytes uncompressed. */
export const SITEMAP_LIMITS = { urls: 50_000, bytes: 50 * 1024 * 1024 } as const;
export type SitemapLimits = { urls: number; bytes: number };

/** One `<url>`: an absolute, percent-encoded address and when its page last changed. */
export interface SitemapUrl {
  loc: string;
  lastmod: Date;
}

/** The XML around the URLs of one file, with room to spare (the stream writes less). */
const FILE_OVERHEAD_BYTES = 512;

/**
 * How many bytes a `<url>` takes at most once written: every character of `loc` counted as the
 * longest entity it could become (`&quot;`), so a part stays under the limit whatever it holds.
 */
function urlBytes(url: SitemapUrl): number {
  return '<url><loc></loc><lastmod>2000-01-01T00:00:00.000Z</lastmod></url>'.length + Buffer.byteLength(url.loc) * 6;
}

/**
 * Splits URLs into sitemap files of at most `limits.urls` URLs and `limits.bytes` bytes each, in
 * order. One file (maybe empty) means no index is needed.
 */
export function splitSitemap(urls: readonly SitemapUrl[], limits: SitemapLimits = SITEMAP_LIMITS): SitemapUrl[][] {
  const parts: SitemapUrl[][] = [[]];
  let bytes = FILE_OVERHEAD_BYTES;
  for (const url of urls) {
    const size = urlBytes(url);
    let part = parts[parts.length - 1];
    if (part.length > 0 && (part.length >= limits.urls || bytes + size > limits.bytes)) {
      parts.push((part = []));
      bytes = FILE_OVERHEAD_BYTES;
    }
    part.push(url);
    bytes += size;
  }
  return parts;
}

const EMPTY_URLSET = '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>';

/** A `<urlset>` (sitemap 0.9 namespace only: no image, video or news extensions). */
export async function renderUrlSet(urls: readonly SitemapUrl[]): Promise<string> {
  // The stream refuses to end empty (EmptySitemap), but a site with no published post yet has a valid, empty sitemap.
  if (urls.length === 0) return EMPTY_URLSET;
  const stream = new SitemapStream({ xmlns: { news: false, video: false, image: false, xhtml: false } });
  const items = urls.map((u) => ({ url: u.loc, lastmod: u.lastmod.toISOString() }));
  return (await streamToPromise(Readable.from(items).pipe(stream))).toString('utf8');
}

/** A `<sitemapindex>` pointing at the parts. */
export async function renderIndex(parts: readonly { loc: string; lastmod: Date }[]): Promise<string> {
  const items = parts.map((p) => ({ url: p.loc, lastmod: p.lastmod.toISOString() }));
  return (await streamToPromise(Readable.from(items).pipe(new SitemapIndexStream()))).toString('utf8');
}
