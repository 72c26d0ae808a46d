import type { PresentationSettings } from '../../config';
import type { SeoFields } from '../../content/types';
import { badInput, isAbsoluteUrl, urlOnSite } from '../shared';

/** The widest size an image CDN is asked for: larger ones are no screen's and costly to make. */
export const MAX_IMAGE_WIDTH = 4096;
/** How many sizes one `srcset` may name. */
export const MAX_SRCSET_WIDTHS = 10;
export const DEFAULT_SRCSET_WIDTHS = [320, 640, 960, 1280, 1920];

/** An image as stored: its source, and its intrinsic width when the import knew it. */
export interface StoredImage {
  src: string;
  width: number | null;
}

/** What `Seo` (src/graphql/types/Seo.ts) shows: declared fields, else the fallbacks. */
export interface SeoView {
  title: string;
  description: string;
  canonicalUrl: string;
  ogImage: string | null;
  noindex: boolean;
}

export interface SeoInput {
  declared: SeoFields | null;
  title: string;
  description: string;
  /** The page's public address (`Post.url`, a term page, a permalink). */
  url: string;
  /** Its cover image (or avatar), as stored: an absolute URL or a path on the site. */
  image: string | null;
  noindex: boolean;
}

/**
 * Addresses as apps render them: images and files against KIJI_ASSET_URL (else KIJI_SITE_URL),
 * pages against KIJI_SITE_URL, and images resized through an image CDN (KIJI_IMAGE_URL). Without
 * a configured base an address stays as stored, since Kiji cannot guess the public site's origin
 * (feeds fall back to the request's origin; a field of a cached answer must not).
 */
export class Presentation {
  /** Where images are served from: KIJI_ASSET_URL, else KIJI_SITE_URL; null when neither. */
  readonly assetBase: string | null;
  readonly imageUrlTemplate: string | null;

  constructor(
    readonly siteUrl: string | null,
    settings: PresentationSettings,
  ) {
    this.assetBase = settings.assetUrl ?? siteUrl;
    this.imageUrlTemplate = settings.imageUrlTemplate;
  }

  /** An image or file on the site (absolute URL, root-relative `/a/b.png`, or relative) as an absolute URL against KIJI_ASSET_URL, else KIJI_SITE_URL; as given when neither is set. */
  assetUrl(src: string): string {
    return urlOnSite(this.assetBase, src);
  }

  /** A page address (Post.url, a term page, a page's permalink) as an absolute URL against KIJI_SITE_URL; as given when it is not set. */
  pageUrl(pathOrUrl: string): string {
    return urlOnSite(this.siteUrl, pathOrUrl);
  }

  /**
   * The image at `src` resized to `width` pixels through KIJI_IMAGE_URL; null when no template
   * applies (none is set, or the image is on another host and the template has no `{url}`).
   */
  imageUrl(src: string, width: number): string | null {
    const template = this.imageUrlTemplate;
    if (!template) return null;
    const url = this.assetUrl(src);
    const path = this.sitePath(src);
    // `{path}` only names images on the site (another host's go through `{url}` templates), and
    // `{url}` needs an absolute URL, which a relative path without a configured base is not.
    if (template.includes('{path}') && path === null) return null;
    if (template.includes('{url}') && !isAbsoluteUrl(url)) return null;
    // In the template's query (`?src={path}`) the path is one parameter's value: `&`, `=` and `/` encoded.
    const query = template.indexOf('?');
    return template.replace(/\{(path|url|width)\}/g, (_, name: string, offset: number) => {
      if (name === 'width') return String(width);
      if (name === 'url') return encodeURIComponent(url);
      return query >= 0 && offset > query ? encodeURIComponent(path ?? '') : (path ?? '');
    });
  }

  /** A cover image's address: as stored made absolute, or resized through the image CDN when `width` is given and a template applies. */
  coverUrl(src: string, width: number | null): string {
    if (width === null || width === undefined) return this.assetUrl(src);
    checkWidth(width, 'width');
    return this.imageUrl(src, width) ?? this.assetUrl(src);
  }

  /**
   * A `srcset` of the image at the wanted widths (default DEFAULT_SRCSET_WIDTHS) through the
   * image CDN; null when no template applies. Throws BAD_USER_INPUT for too many or bad widths.
   */
  srcset(image: StoredImage, widths: number[] | null): string | null {
    const wanted = widths ?? DEFAULT_SRCSET_WIDTHS;
    if (wanted.length > MAX_SRCSET_WIDTHS) {
      throw badInput(`\`widths\` may name at most ${MAX_SRCSET_WIDTHS} sizes; got ${wanted.length}`, { argument: 'widths', limit: MAX_SRCSET_WIDTHS });
    }
    for (const width of wanted) checkWidth(width, 'widths');
    if (this.imageUrl(image.src, 1) === null) return null;
    // Upscaled sizes only cost bytes: the intrinsic width stands in for those above it.
    const intrinsic = image.width;
    const sizes = [...new Set(wanted.map((w) => (intrinsic && w > intrinsic ? intrinsic : w)))].sort((a, b) => a - b);
    return sizes.map((w) => `${this.imageUrl(image.src, w)} ${w}w`).join(', ') || null;
  }

  /** SEO with fallbacks: declared fields win; else title, description, canonical = pageUrl(url), ogImage = image (made absolute), noindex. */
  seo(input: SeoInput): SeoView {
    const declared = input.declared ?? {};
    const image = declared.ogImage || input.image;
    return {
      title: declared.title || input.title,
      description: declared.description ?? input.description,
      canonicalUrl: declared.canonicalUrl ? this.pageUrl(declared.canonicalUrl) : this.pageUrl(input.url),
      ogImage: image ? this.assetUrl(image) : null,
      noindex: input.noindex,
    };
  }

  /**
   * The image's path on the site without its leading `/` (what `{path}` names), percent-encoded,
   * or null when it is on another host. An absolute URL under the asset or site base is on the site.
   * Its query and fragment are left out: content must not set the CDN's parameters (`?w=9999&fm=gif`).
   */
  sitePath(src: string): string | null {
    try {
      return this.pathOnSite(src.startsWith('//') ? `https:${src}` : src);
    } catch {
      return null;
    }
  }

  private pathOnSite(value: string): string | null {
    if (!isAbsoluteUrl(value)) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(value)) return null;
      // Percent-encoded as in a URL (a Japanese file name), `/` kept.
      const url = new URL(value.replace(/^(\.\/)+/, '').replace(/^\/*/, '/'), 'http://site.invalid');
      return url.origin === 'http://site.invalid' ? url.pathname.replace(/^\/+/, '') : null;
    }
    for (const base of [this.assetBase, this.siteUrl]) {
      if (!base) continue;
      const href = new URL(value).href;
      const prefix = new URL(`${base}/`).href;
      if (href.startsWith(prefix)) return href.slice(prefix.length).replace(/[?#].*$/, '');
    }
    return null;
  }
}

function checkWidth(width: number, argument: string): void {
  if (!Number.isInteger(width) || width < 1 || width > MAX_IMAGE_WIDTH) {
    throw badInput(`\`${argument}\` must be between 1 and ${MAX_IMAGE_WIDTH} pixels; got ${width}`, { argument, limit: MAX_IMAGE_WIDTH });
  }
}
