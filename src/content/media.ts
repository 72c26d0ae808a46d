/**
 * Cover images: from the front-matter forms real Jekyll themes use, else the body's first image.
 * Sources are kept as the site names them (an absolute URL, or a path on the site from its root),
 * so a change of KIJI_SITE_URL or KIJI_ASSET_URL moves every address at read time.
 */
import { scalarText } from './fields';
import type { MdToken } from './markdown';
import type { CoverImageSource, ImageSize } from './types';

/** An image as a body or front matter gives it: `src` is an absolute URL or a root-relative path. */
export interface ImageRef {
  src: string;
  alt: string | null;
}

/** Keys of an image object holding its address, in the order themes use them. */
const SOURCE_KEYS = ['path', 'feature', 'url', 'src', 'image'];
const ALT_KEYS = ['alt', 'image_alt'];

/**
 * The cover image the front matter names, in the order themes give them weight: `image` (string,
 * or `{ path|feature|url|src, alt }`), minimal-mistakes' `header.image`, `header.og_image`,
 * `header.teaser`, then `og_image`, `cover`, `thumbnail`. `image_alt` (or minimal-mistakes'
 * `header.image_description`) is the alt text of an image given as a string.
 */
export function frontMatterImage(data: Record<string, unknown>): ImageRef | null {
  const alt = scalarText(data.image_alt);
  const header = isObject(data.header) ? data.header : {};
  const headerAlt = scalarText(header.image_description) ?? alt;
  const candidates: [unknown, string | null][] = [
    [data.image, alt],
    [header.image, headerAlt],
    [header.og_image, headerAlt],
    [header.teaser, headerAlt],
    [data.og_image, alt],
    [data.cover, alt],
    [data.thumbnail, alt],
  ];
  for (const [value, fallbackAlt] of candidates) {
    const image = imageOf(value, fallbackAlt);
    if (image) return image;
  }
  return null;
}

/** The front matter's cover image, else the body's first image, with its size where known. */
export function coverImage(data: Record<string, unknown>, bodyImage: ImageRef | null, imageSize?: ImageSize): CoverImageSource | null {
  const image = frontMatterImage(data) ?? bodyImage;
  if (!image) return null;
  const size = imageSize && image.src.startsWith('/') ? readImageSize(imageSize, image.src) : null;
  // Alt text is one line in an attribute, however the YAML folded it (`image_alt: |`).
  const alt = image.alt?.replace(/\s+/g, ' ').trim() || null;
  return { src: image.src, alt, width: size?.width ?? null, height: size?.height ?? null };
}

/**
 * The body's first image in document order: a Markdown image or a raw `<img>`. `resolve` turns
 * a document-relative source into a path on the site (the body's own address decides it).
 */
export function firstBodyImage(tokens: MdToken[], resolve: (src: string) => string | null): ImageRef | null {
  for (const token of tokens) {
    if (token.type === 'html_block') {
      const image = firstRawImage(token.content, resolve);
      if (image) return image;
    }
    if (!token.children) continue;
    for (const child of token.children) {
      if (child.type === 'image') {
        const src = resolve(child.attrGet('src') ?? '');
        if (src) return { src, alt: child.content.trim() || null };
      } else if (child.type === 'html_inline') {
        const image = firstRawImage(child.content, resolve);
        if (image) return image;
      }
    }
  }
  return null;
}

/**
 * An image source made a site's address: http(s) URLs as they are, protocol-relative ones with
 * https, relative paths from the site root (front matter has no document to be relative to);
 * null for empty values, other schemes (`data:`, `javascript:`) and anything that would leave the
 * site. Tabs and newlines are dropped first, as a browser's URL parser drops them, so one written
 * as an entity (`a&#10;b:x`) cannot hide a scheme from the check; the path's leading slashes are
 * collapsed, so `/.//evil.com/x.png` is stored as `/evil.com/x.png`, never as a protocol-relative URL.
 */
export function siteImageSource(value: string, base = '/'): string | null {
  const src = urlText(value).trim();
  if (!src || src.startsWith('#')) return null;
  if (src.startsWith('//')) return canonical(`https:${src}`);
  if (/^https?:\/\//i.test(src)) return canonical(src);
  if (/^[a-z][a-z0-9+.-]*:/i.test(src)) return null;
  try {
    const root = new URL(base, SITE);
    const url = new URL(src, root);
    // `\\host/x` is a host to the URL parser: such a source is on no path of the site.
    if (url.origin !== root.origin) return null;
    return `/${url.pathname.replace(/^\/+/, '')}${url.search}${url.hash}`;
  } catch {
    return null;
  }
}

const SITE = 'http://site.invalid';

/** A URL as the URL parser reads it: ASCII tabs and newlines removed, C0 controls and spaces trimmed. */
export function urlText(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\t\n\r]/g, '').replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '');
}

/** Reads the size of the image at a site path without letting a failing reader fail the import: an unknown size is null. */
export function readImageSize(imageSize: ImageSize, src: string): { width: number; height: number } | null {
  let path: string;
  try {
    path = decodeURIComponent(src.replace(/[?#].*$/, ''));
  } catch {
    return null;
  }
  try {
    const size = imageSize(path);
    return size && size.width > 0 && size.height > 0 ? size : null;
  } catch {
    return null;
  }
}

function imageOf(value: unknown, fallbackAlt: string | null): ImageRef | null {
  if (typeof value === 'string') {
    const src = siteImageSource(value);
    return src ? { src, alt: fallbackAlt } : null;
  }
  if (!isObject(value)) return null;
  for (const key of SOURCE_KEYS) {
    const text = scalarText(value[key]);
    const src = text ? siteImageSource(text) : null;
    if (src) return { src, alt: firstText(value, ALT_KEYS) ?? fallbackAlt };
  }
  return null;
}

const RAW_IMG = /<img\b[^>]*>/gi;

function firstRawImage(html: string, resolve: (src: string) => string | null): ImageRef | null {
  if (!html.includes('<img') && !html.includes('<IMG')) return null;
  for (const tag of html.match(RAW_IMG) ?? []) {
    const raw = attribute(tag, 'src');
    const src = raw ? resolve(decodeEntities(raw)) : null;
    if (src) {
      const alt = attribute(tag, 'alt');
      return { src, alt: alt ? decodeEntities(alt).trim() || null : null };
    }
  }
  return null;
}

function attribute(tag: string, name: string): string | null {
  const m = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
  return m ? (m[1] ?? m[2] ?? m[3]) : null;
}

function decodeEntities(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39|apos);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", apos: "'" })[e] ?? _);
}

function firstText(object: Record<string, unknown>, keys: string[]): string | null {
  for (const key of keys) {
    const text = scalarText(object[key]);
    if (text) return text;
  }
  return null;
}

function canonical(url: string): string | null {
  try {
    return new URL(url).href;
  } catch {
    return null;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
