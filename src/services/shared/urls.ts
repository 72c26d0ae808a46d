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

/**
 * `pathOrUrl` made absolute against `base` (KIJI_SITE_URL or KIJI_ASSET_URL, as `absoluteUrl`
 * takes it); as given when it cannot be: no base is set (Kiji cannot guess the public origin),
 * another scheme, a fragment, or a malformed URL.
 */
export function urlOnSite(base: string | null | undefined, pathOrUrl: string): string {
  const value = pathOrUrl.startsWith('//') ? `https:${pathOrUrl}` : pathOrUrl;
  try {
    if (isAbsoluteUrl(value)) return new URL(value).href;
    if (!base || /^[a-z][a-z0-9+.-]*:/i.test(value) || value.startsWith('#')) return pathOrUrl;
    return absoluteUrl(base, value.replace(/^(\.\/)+/, ''));
  } catch {
    return pathOrUrl;
  }
}
