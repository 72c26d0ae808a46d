/**
 * An absolute URL for a path or URL on the site at `base` (an http(s) URL without a trailing
 * slash, which may carry a path prefix such as `https://example.com/blog`): a path is appended
 * to the base, not resolved against it, or the prefix would be lost; a URL (a template may
 * already name another host) is kept. Percent-encoded (`new URL`), so a Japanese slug gives the
 * same ASCII address in every feed, sitemap and webhook.
 */
export function absoluteUrl(base: string, pathOrUrl: string): string {
  if (isAbsoluteUrl(pathOrUrl)) return new URL(pathOrUrl).href;
  const path = pathOrUrl.startsWith('/') ? pathOrUrl : `/${pathOrUrl}`;
  return new URL(`${base}${path}`).href;
}

/** Whether `pathOrUrl` is an http(s) URL rather than a path. */
export function isAbsoluteUrl(pathOrUrl: string): boolean {
  return /^https?:\/\//i.test(pathOrUrl);
}
