/**
 * SEO fields as the front matter declares them (jekyll-seo-tag's `description`, `seo.*`,
 * `canonical_url`, `image`; Hugo's and Ghost's `og_image`, `noindex`, `sitemap: false`,
 * `robots`). Only what is declared is kept; the fallbacks (title, excerpt, the post's URL, the
 * cover image) are applied when the post is read, so they follow later edits and settings.
 */
import { readBoolean, scalarText } from './fields';
import { siteImageSource } from './media';
import type { SeoFields } from './types';

export interface DeclaredSeo {
  /** Null when the front matter declares none of the fields. */
  seo: SeoFields | null;
  /** `noindex: true`, `seo.noindex: true`, `sitemap: false`, or `robots` containing `noindex`. */
  noindex: boolean;
}

/** The SEO fields a post's front matter declares; `seo.*` wins over the top-level keys. */
export function declaredSeo(data: Record<string, unknown>): DeclaredSeo {
  const nested = isObject(data.seo) ? data.seo : {};
  const fields: SeoFields = {};
  const title = text(nested.title) ?? text(nested.meta_title) ?? text(data.meta_title);
  if (title) fields.title = title;
  const description = text(nested.description) ?? text(nested.meta_description) ?? text(data.meta_description) ?? text(data.description);
  if (description) fields.description = description;
  const canonical = address(nested.canonical_url) ?? address(nested.canonical) ?? address(data.canonical_url);
  if (canonical) fields.canonicalUrl = canonical;
  const image = declaredImage(nested.image) ?? declaredImage(nested.og_image) ?? declaredImage(data.og_image);
  if (image) fields.ogImage = image;

  const noindex =
    readBoolean(data.noindex) === true ||
    readBoolean(nested.noindex) === true ||
    readBoolean(data.sitemap) === false ||
    (isObject(data.sitemap) && readBoolean(data.sitemap.exclude) === true) ||
    robotsSayNoindex(data.robots) ||
    robotsSayNoindex(nested.robots);
  return { seo: Object.keys(fields).length > 0 ? fields : null, noindex };
}

/** `robots: noindex, follow` (or a list of directives). */
function robotsSayNoindex(value: unknown): boolean {
  const directives = Array.isArray(value) ? value.map(scalarText).join(',') : scalarText(value);
  return directives ? /(^|[\s,])noindex($|[\s,])/i.test(directives) : false;
}

/** One line of plain text: descriptions are sometimes written as folded YAML blocks. */
function text(value: unknown): string | null {
  const t = scalarText(value);
  return t ? t.replace(/\s+/g, ' ').trim() || null : null;
}

/** A canonical address: an http(s) URL or a path on the site; anything else (`javascript:`) is ignored. */
function address(value: unknown): string | null {
  const t = scalarText(value);
  if (!t || /\s/.test(t)) return null;
  if (/^https?:\/\//i.test(t)) return URL.canParse(t) ? t : null;
  return t.startsWith('/') && !t.startsWith('//') ? t : null;
}

/** An image given as a string or as `{ path|url|src }`. */
function declaredImage(value: unknown): string | null {
  if (isObject(value)) value = value.path ?? value.url ?? value.src;
  const t = scalarText(value);
  return t ? siteImageSource(t) : null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
