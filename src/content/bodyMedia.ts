/**
 * Addresses in a body as apps need them: a body served by Kiji is read far from the site, so an
 * image or link relative to the site (`/assets/x.png`, `img/x.png`, `../about/`) would not load.
 * Images resolve against the asset base (KIJI_ASSET_URL, else KIJI_SITE_URL), links against the
 * site, and document-relative ones first against the post's own address. Without a base they
 * stay as written: Kiji cannot guess where the site is.
 */
import { readImageSize, siteImageSource, urlText } from './media';
import type { ImageSize, PrepareOptions } from './types';

export interface ImageRewrite {
  src: string;
  /** Intrinsic size when the import knows it (an assets folder); null otherwise. */
  size: { width: number; height: number } | null;
}

export class BodyMedia {
  private readonly documentPath: string;
  private readonly documentUrl: string | null;
  private readonly siteUrl: string | null;
  private readonly assetUrl: string | null;
  private readonly imageSize: ImageSize | undefined;

  constructor(options: PrepareOptions | undefined) {
    this.siteUrl = options?.siteUrl || null;
    this.assetUrl = options?.assetUrl || this.siteUrl;
    this.imageSize = options?.imageSize;
    const document = options?.documentUrl;
    this.documentUrl = document && /^https?:\/\//i.test(document) ? document : null;
    this.documentPath = document ? (this.documentUrl ? safePath(this.documentUrl) : document) : '/';
  }

  /** Whether anything can change: a base to resolve against, or sizes to read. */
  get active(): boolean {
    return this.assetUrl !== null || this.siteUrl !== null || this.imageSize !== undefined;
  }

  /** A relative source as a path on the site from its root; absolute ones as they are; null for other schemes. */
  sitePath(src: string): string | null {
    return siteImageSource(src, this.documentPath);
  }

  image(src: string): ImageRewrite {
    if (!isRelative(src)) return { src, size: null };
    const path = this.sitePath(src);
    if (!path) return { src, size: null };
    return { src: (this.assetUrl && join(this.assetUrl, path)) ?? src, size: this.sizeOf(path) };
  }

  link(href: string): string {
    if (!isRelative(href) || !this.siteUrl) return href;
    if (this.documentUrl) return sameOrigin(href, this.documentUrl) ?? href;
    const path = this.sitePath(href);
    return (path && join(this.siteUrl, path)) ?? href;
  }

  /** `srcset` of a `<source>`: each candidate's URL resolved like an image's. */
  srcset(value: string): string {
    return value
      .split(',')
      .map((candidate) => {
        const [url, ...descriptor] = candidate.trim().split(/\s+/);
        return [this.image(url).src, ...descriptor].join(' ');
      })
      .join(', ');
  }

  private sizeOf(path: string): { width: number; height: number } | null {
    return this.imageSize ? readImageSize(this.imageSize, path) : null;
  }
}

/**
 * Relative to the site or the document: not a fragment, not protocol-relative, no scheme. Read as
 * the URL parser reads it (tabs and newlines dropped), so `a&#10;b:x` counts as the scheme it is.
 */
export function isRelative(url: string): boolean {
  const value = urlText(url).trim();
  return value !== '' && !value.startsWith('#') && !value.startsWith('//') && !/^[a-z][a-z0-9+.-]*:/i.test(value);
}

/**
 * A root-relative path under a base that may carry a path prefix (`https://x.org/blog`): resolved
 * by the URL parser, never pasted, and null unless the result stays on the base's origin.
 */
function join(base: string, path: string): string | null {
  return sameOrigin(path.replace(/^\/+/, ''), base.endsWith('/') ? base : `${base}/`);
}

/** `url` resolved against `base`; null when it cannot be or when it would land on another origin. */
function sameOrigin(url: string, base: string): string | null {
  try {
    const root = new URL(base);
    const resolved = new URL(url, root);
    return resolved.origin === root.origin ? resolved.href : null;
  } catch {
    return null;
  }
}

function safePath(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return '/';
  }
}
