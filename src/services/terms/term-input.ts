import { LINK_KIND, linkUrl, PROFILE_LIMITS, ProfileLink, webUrl } from '../../content/profileLinks';
import type { Author, Category, Tag } from '../../entities';
import { badInput, requirePlainText } from '../shared';

/** What an editor sends to change an author (`updateAuthor`): absent fields stay, null clears (but `name`). */
export interface AuthorPatch {
  name?: string | null;
  bio?: string | null;
  avatarUrl?: string | null;
  links?: ProfileLink[] | null;
}

/** What an editor sends to change a tag or a category (`updateTag`, `updateCategory`). */
export interface TermPatch {
  name?: string | null;
  description?: string | null;
}

export const TERM_LIMITS = PROFILE_LIMITS;

const field = (name: string, message: string, details: Record<string, unknown> = {}) => badInput(`\`input.${name}\` ${message}`, { field: `input.${name}`, ...details });

/** A name: trimmed, 1 to 200 characters; it cannot be cleared (a term is shown by it). */
function checkName(name: string | null): string {
  if (name === null) throw field('name', 'cannot be cleared; give a new name');
  const trimmed = name.trim();
  if (!trimmed || trimmed.length > TERM_LIMITS.name) throw field('name', `must be 1 to ${TERM_LIMITS.name} characters`, { limit: TERM_LIMITS.name });
  return trimmed;
}

/** Plain text up to the limit; empty is the same as null (cleared). */
function checkText(name: string, text: string | null): string | null {
  if (text === null) return null;
  if (text.length > TERM_LIMITS.text) throw field(name, `is over ${TERM_LIMITS.text.toLocaleString('en')} characters`, { limit: TERM_LIMITS.text });
  return text.trim() || null;
}

/**
 * Checks an editor's author patch before anything is written; each error names the field's path
 * (`input.links[2].url`) and the limit it broke. Returns the columns to write.
 */
export function authorChanges(patch: AuthorPatch): Partial<Pick<Author, 'name' | 'bio' | 'avatarUrl' | 'links'>> {
  for (const key of ['name', 'bio', 'avatarUrl'] as const) requirePlainText(patch[key], `input.${key}`, 'field');
  patch.links?.forEach((link, i) => requirePlainText([link.kind, link.url], `input.links[${i}]`, 'field'));
  const changes: ReturnType<typeof authorChanges> = {};
  if (patch.name !== undefined) changes.name = checkName(patch.name);
  if (patch.bio !== undefined) changes.bio = checkText('bio', patch.bio);
  if (patch.avatarUrl !== undefined) changes.avatarUrl = patch.avatarUrl === null ? null : checkAvatar(patch.avatarUrl);
  if (patch.links !== undefined) changes.links = patch.links === null ? null : checkLinks(patch.links);
  return changes;
}

export function termChanges(patch: TermPatch): Partial<Pick<Tag | Category, 'name' | 'description'>> {
  for (const key of ['name', 'description'] as const) requirePlainText(patch[key], `input.${key}`, 'field');
  const changes: ReturnType<typeof termChanges> = {};
  if (patch.name !== undefined) changes.name = checkName(patch.name);
  if (patch.description !== undefined) changes.description = checkText('description', patch.description);
  return changes;
}

/** An http(s) URL, or a path on the site (`/avatars/me.png`) that is made absolute when read. */
function checkAvatar(value: string): string | null {
  const text = value.trim();
  if (!text) return null;
  const limit = { limit: TERM_LIMITS.url };
  if (text.length > TERM_LIMITS.url) throw field('avatarUrl', `is over ${TERM_LIMITS.url.toLocaleString('en')} characters`, limit);
  if (/^\/(?!\/)[^\s\\<>"]*$/.test(text)) return text;
  if (webUrl(text)) return text;
  throw field('avatarUrl', 'must be an http(s) URL or a path on the site starting with `/`', limit);
}

function checkLinks(links: ProfileLink[]): ProfileLink[] | null {
  if (links.length > TERM_LIMITS.links) throw field('links', `has more than ${TERM_LIMITS.links} entries`, { limit: TERM_LIMITS.links });
  const checked = links.map((link, i) => {
    const kind = link.kind.trim().toLowerCase();
    if (!LINK_KIND.test(kind)) {
      throw field(`links[${i}].kind`, `must be a short word: lower-case letters, digits, \`-\` or \`_\`, at most ${TERM_LIMITS.kind} characters (\`website\`, \`github\`)`, {
        limit: TERM_LIMITS.kind,
      });
    }
    if (link.url.trim().length > TERM_LIMITS.url) throw field(`links[${i}].url`, `is over ${TERM_LIMITS.url.toLocaleString('en')} characters`, { limit: TERM_LIMITS.url });
    const url = linkUrl(link.url);
    if (!url) throw field(`links[${i}].url`, 'must be an http(s) URL (or a mailto: address)', { limit: TERM_LIMITS.url });
    return { kind, url };
  });
  return checked.length ? checked : null;
}
