/**
 * The shapes that cross the boundary between the pure content pipeline (`src/content/`)
 * and the services that store its results. Nothing here touches a database.
 */

/** One problem found in a file, or one repair the normalizer made. `line` is 1-based in the file. */
export interface ContentIssue {
  file: string;
  line: number;
  code: string;
  message: string;
}

export interface Heading {
  level: number;
  text: string;
  anchor: string;
}

/** A cover image as the source gave it: `src` is an absolute URL or a path on the site. */
export interface CoverImageSource {
  src: string;
  alt: string | null;
  /** Read from the file when the import was given an assets folder; null otherwise. */
  width: number | null;
  height: number | null;
}

/** SEO fields the front matter declares (`description`, `seo.*`, `canonical_url`, …); absent ones fall back when read. */
export interface SeoFields {
  title?: string;
  description?: string;
  canonicalUrl?: string;
  /** Absolute URL or a path on the site. */
  ogImage?: string;
}

/** A file that cannot be imported at all; names the file and the line. */
export class ContentError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    message: string,
  ) {
    super(message);
    this.name = 'ContentError';
  }
}

export interface SourceFile {
  /** Path as given by the caller (used in messages and to derive the slug and date). */
  path: string;
  text: string;
}

export interface PrepareOptions {
  /** Public address of a post with this slug, e.g. `/posts/{slug}`. Used to resolve Liquid links. */
  postUrl: (slug: string) => string;
  /** IANA time zone of dates written without an offset (the site's, as Jekyll's `timezone`); UTC when absent. */
  timeZone?: string;
  /** KIJI_SITE_URL (absolute, no trailing slash): relative links in bodies become absolute against it; absent: left as written. */
  siteUrl?: string | null;
  /** KIJI_ASSET_URL (absolute, no trailing slash), else `siteUrl`: relative image sources in bodies become absolute against it. */
  assetUrl?: string | null;
  /** Intrinsic size of the image at a path on the site (`/assets/x.png`), from the import's assets folder; absent: sizes unknown. */
  imageSize?: ImageSize;
  /** The post's own address (`postUrl(slug)`), against which document-relative URLs (`img/x.png`) resolve; absent: the site root. */
  documentUrl?: string;
}

/** Where a body's relative URLs point once made absolute (KIJI_SITE_URL, KIJI_ASSET_URL); null: left relative. Imports and editors' writes render with the same. */
export type BodyBases = { siteUrl: string | null; assetUrl: string | null };

/** Intrinsic pixel size of the image at a path on the site; null when unknown. Never throws to its caller's harm: errors count as unknown. */
export type ImageSize = (path: string) => { width: number; height: number } | null;

/** Everything the importer needs to store one post: derived, normalized and rendered. */
export interface PreparedArticle {
  sourcePath: string;
  title: string;
  slug: string;
  /** UTC instant; null when neither front matter nor file name has a date that can be read. */
  publishedAt: Date | null;
  /** `published: false` or `draft: true` in front matter. */
  draft: boolean;
  /** Author names or handles as written, first one is the primary author; may be empty. */
  authors: string[];
  tags: string[];
  categories: string[];
  excerpt: string;
  readingTimeMinutes: number;
  /** `ja`, `en`, or the front-matter `lang`/`language` value. */
  language: string;
  /** Front-matter keys that Kiji does not map to a column, kept verbatim for editors. */
  frontMatter: Record<string, unknown>;
  /** Body after artifact repair and Liquid resolution; what editors see and edit. */
  bodyMarkdown: string;
  /** Sanitized HTML rendered from bodyMarkdown. */
  bodyHtml: string;
  headings: Heading[];
  /** The repairs the normalizer made (and other problems lint found). */
  contentIssues: ContentIssue[];
  /** The front matter's cover image, else the body's first image; null when neither. */
  coverImage: CoverImageSource | null;
  /** Declared SEO fields; null when the front matter declares none. */
  seo: SeoFields | null;
  /** `noindex: true` or `sitemap: false`. */
  noindex: boolean;
  /** The front matter's `redirect_from` paths, normalized (see PostRedirect). */
  redirectFrom: string[];
}
