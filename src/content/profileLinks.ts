/**
 * The addresses an author profile may carry, from a site's data file or an editor's mutation: only
 * http(s) and mailto ever reach an app, which puts them in `href`/`src` as they are (a
 * `javascript:` link in a bio page is a stored XSS).
 */

/** One address elsewhere on the web: `{ kind: 'website' | 'twitter' | 'github' | …, url }`. */
export interface ProfileLink {
  kind: string;
  url: string;
}

/** What one profile may hold; the mutations refuse more, an import leaves the field out and says so. */
export const PROFILE_LIMITS = { name: 200, text: 5000, url: 2000, links: 20, kind: 30 } as const;

/** A link's kind: a short lower-case word (`website`, `github`, `my-blog`). */
export const LINK_KIND = /^[a-z0-9][a-z0-9_-]{0,29}$/;

const SCHEME = /^[a-z][a-z0-9+.-]*:/i;
const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]+$/;
const DOMAIN = /^[\p{L}\p{N}-]+(\.[\p{L}\p{N}-]+)+(:\d+)?([/?#]|$)/u;
const HANDLE = /^[\p{L}\p{N}._-]{1,100}$/u;

/** An http(s) URL as given, or null: any other scheme, or one `new URL` cannot read, or longer than the limit. */
export function webUrl(value: string): string | null {
  const text = value.trim();
  if (!/^https?:\/\//i.test(text) || text.length > PROFILE_LIMITS.url || /\s/.test(text)) return null;
  try {
    const url = new URL(text);
    return url.hostname ? text : null;
  } catch {
    return null;
  }
}

/** A `mailto:` URL for an address (given bare or as `mailto:`), or null. */
export function mailtoUrl(value: string): string | null {
  const address = value.trim().replace(/^mailto:/i, '');
  return EMAIL.test(address) && address.length < PROFILE_LIMITS.url - 7 ? `mailto:${address}` : null;
}

/** A link's address: http(s) or mailto, else null. */
export function linkUrl(value: string): string | null {
  return /^mailto:/i.test(value.trim()) ? mailtoUrl(value) : webUrl(value);
}

/**
 * What a data file writes as a website: a URL, a protocol-relative `//host/…` or a bare domain
 * (`example.com/blog`) as people write them; the last two become https.
 */
export function websiteUrl(value: string): string | null {
  const text = value.trim();
  if (text.startsWith('//')) return webUrl(`https:${text}`);
  if (!SCHEME.test(text) && DOMAIN.test(text)) return webUrl(`https://${text}`);
  return webUrl(text);
}

/**
 * A picture's address: an http(s) URL, or a path on the site (`/assets/me.png`; `assets/me.png`
 * is read from the site root, as Jekyll themes do), made absolute when read. Null otherwise.
 */
export function imageUrl(value: string): string | null {
  const text = value.trim();
  if (text.startsWith('//')) return webUrl(`https:${text}`);
  if (SCHEME.test(text)) return webUrl(text);
  if (!text || text.length >= PROFILE_LIMITS.url || /[\s\\<>"]/.test(text)) return null;
  return text.startsWith('/') ? text : `/${text.replace(/^\.\//, '')}`;
}

/** Profile pages of the services whose handles people write bare (`twitter: dirtyf`). */
const SOCIAL: Record<string, (handle: string) => string> = {
  twitter: (h) => `https://twitter.com/${h}`,
  x: (h) => `https://x.com/${h}`,
  github: (h) => `https://github.com/${h}`,
  gitlab: (h) => `https://gitlab.com/${h}`,
  linkedin: (h) => `https://www.linkedin.com/in/${h}`,
  facebook: (h) => `https://www.facebook.com/${h}`,
  instagram: (h) => `https://www.instagram.com/${h}`,
  youtube: (h) => `https://www.youtube.com/@${h}`,
  bluesky: (h) => `https://bsky.app/profile/${h}`,
  keybase: (h) => `https://keybase.io/${h}`,
  codeberg: (h) => `https://codeberg.org/${h}`,
};

export const SOCIAL_KINDS: readonly string[] = [...Object.keys(SOCIAL), 'mastodon'];

/**
 * A social account's page: a URL is kept (http(s) only); a handle (`@` stripped) becomes the
 * service's profile page; a Mastodon account needs its server (`@me@example.social`).
 */
export function socialUrl(kind: string, value: string): string | null {
  const text = value.trim();
  if (SCHEME.test(text) || text.startsWith('//')) return websiteUrl(text);
  if (kind === 'mastodon') {
    const account = /^@?([\p{L}\p{N}._-]+)@([\p{L}\p{N}.-]+\.[\p{L}\p{N}-]+)$/u.exec(text);
    return account ? webUrl(new URL(`https://${account[2]}/@${account[1]}`).href) : null;
  }
  const handle = text.replace(/^@/, '');
  if (/[./]/.test(handle) && DOMAIN.test(handle) && kind !== 'bluesky') return websiteUrl(handle);
  return HANDLE.test(handle) ? SOCIAL[kind](handle) : null;
}

/** A link's kind from what a data file labels it (`Website`, `My blog`), else from its address. */
export function linkKind(label: string | null, url: string): string {
  const word = (label ?? '')
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, PROFILE_LIMITS.kind)
    .replace(/-+$/, '');
  if (word) return word;
  if (url.startsWith('mailto:')) return 'email';
  return SERVICE_HOSTS[new URL(url).hostname.replace(/^www\./, '')] ?? 'website';
}

/** The hosts of the services a link without a label is named after (Mastodon's servers are too many to know). */
const SERVICE_HOSTS: Record<string, string> = {
  'twitter.com': 'twitter',
  'x.com': 'x',
  'github.com': 'github',
  'gitlab.com': 'gitlab',
  'linkedin.com': 'linkedin',
  'facebook.com': 'facebook',
  'instagram.com': 'instagram',
  'youtube.com': 'youtube',
  'youtu.be': 'youtube',
  'bsky.app': 'bluesky',
  'keybase.io': 'keybase',
  'codeberg.org': 'codeberg',
};
