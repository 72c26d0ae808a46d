/**
 * Author profiles from a Jekyll site's `_data/authors.yml` (`.yaml`, `.json`), in the shapes real
 * themes read: a map keyed by the handle posts write in `author:` (minima, minimal-mistakes,
 * jekyll-seo-tag), or a list of entries naming it (`id`, `handle`, `slug`, `name`). A bad file
 * or entry is an issue naming the file and line; the rest of the import goes on.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Node as YamlNode, Pair } from 'yaml';
import { imageUrl, linkKind, linkUrl, mailtoUrl, PROFILE_LIMITS, ProfileLink, SOCIAL_KINDS, socialUrl, websiteUrl } from './profileLinks';
import { slugify } from './slug';
import type { ContentIssue } from './types';

/**
 * One author as the file describes them. Only the fields the entry gives are set: what it leaves
 * out stays as stored (an editor's avatar for an author the file gives no picture keeps it).
 */
export interface AuthorProfile {
  /** The key posts name the author by; the author's slug is its slug. */
  handle: string;
  line: number;
  name?: string;
  bio?: string;
  avatarUrl?: string;
  /** In the order the entry gives them; set when the entry gives any link at all. */
  links?: ProfileLink[];
}

export interface AuthorProfiles {
  profiles: AuthorProfile[];
  issues: ContentIssue[];
}

const HANDLE_KEYS = ['id', 'handle', 'slug', 'username', 'login', 'key', 'name'];
const NAME_KEYS = ['name', 'display_name', 'full_name'];
const BIO_KEYS = ['bio', 'description', 'about'];
const AVATAR_KEYS = ['avatar', 'image', 'picture', 'photo', 'avatar_url'];
const WEBSITE_KEYS = ['url', 'web', 'website', 'homepage', 'uri', 'site', 'blog'];

type Entry = { handle: string; line: number; value: YamlNode | null };

export function readAuthorProfiles(file: string, text: string): AuthorProfiles {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, schema: 'core', uniqueKeys: true });
  const issues: ContentIssue[] = [];
  const lineOf = (node: unknown): number => {
    const range = (node as { range?: [number, number, number] } | null)?.range;
    return range ? lines.linePos(range[0]).line : 1;
  };
  const issue = (line: number, code: string, message: string) => issues.push({ file, line, code, message });
  if (doc.errors.length) {
    const error = doc.errors[0];
    const line = error.linePos?.[0]?.line ?? 1;
    issue(line, 'AUTHORS_UNREADABLE', `${file} is not valid ${/\.json$/i.test(file) ? 'JSON' : 'YAML'} (${error.code}); no author profile was read from it`);
    return { profiles: [], issues };
  }

  let root = doc.contents as YamlNode | null;
  // A file that wraps its authors in one top-level `authors:` key.
  if (isMap(root) && root.items.length === 1 && scalarText(root.items[0].key) === 'authors' && (isMap(root.items[0].value) || isSeq(root.items[0].value))) {
    root = root.items[0].value;
  }
  const entries: Entry[] = [];
  if (root == null || (isScalar(root) && root.value == null)) return { profiles: [], issues };
  if (isMap(root)) {
    for (const pair of root.items) {
      const handle = scalarText(pair.key);
      if (handle == null) issue(lineOf(pair.key), 'AUTHOR_ENTRY', 'an author key must be a handle (text); the entry was skipped');
      else entries.push({ handle, line: lineOf(pair.key), value: pair.value as YamlNode | null });
    }
  } else if (isSeq(root)) {
    for (const item of root.items as YamlNode[]) {
      const fields = isMap(item) ? item.items : null;
      const key = fields && HANDLE_KEYS.map((k) => fields.find((p) => scalarText(p.key) === k)).find((p) => p && scalarText(p.value));
      if (!key) {
        issue(lineOf(item), 'AUTHOR_ENTRY', `an author entry needs one of ${HANDLE_KEYS.map((k) => `\`${k}\``).join(', ')}; the entry was skipped`);
      } else entries.push({ handle: scalarText(key.value)!, line: lineOf(item), value: item });
    }
  } else {
    issue(lineOf(root), 'AUTHOR_ENTRY', `${file} must hold a map of authors keyed by handle, or a list of authors; nothing was read from it`);
    return { profiles: [], issues };
  }

  const profiles: AuthorProfile[] = [];
  const seen = new Map<string, string>();
  for (const entry of entries) {
    const slug = slugify(entry.handle);
    const first = seen.get(slug);
    if (first != null) {
      issue(entry.line, 'AUTHOR_DUPLICATE', `author "${entry.handle}" is the same author as "${first}" (slug "${slug}"); this entry was skipped`);
      continue;
    }
    seen.set(slug, entry.handle);
    const profile = readEntry(entry, lineOf, issue);
    if (profile) profiles.push(profile);
  }
  return { profiles, issues };
}

function readEntry(entry: Entry, lineOf: (node: unknown) => number, issue: (line: number, code: string, message: string) => void): AuthorProfile | null {
  const profile: AuthorProfile = { handle: entry.handle, line: entry.line };
  const who = `author "${entry.handle}"`;
  const { value } = entry;
  if (value == null || (isScalar(value) && value.value == null)) return null;
  // `parkr: Parker Moore`: the name alone.
  if (isScalar(value) && scalarText(value) != null) {
    setText(profile, 'name', scalarText(value)!, PROFILE_LIMITS.name, () => issue(lineOf(value), 'AUTHOR_FIELD', `${who}: name is over ${PROFILE_LIMITS.name} characters; left out`));
    return profile;
  }
  if (!isMap(value)) {
    issue(lineOf(value), 'AUTHOR_ENTRY', `${who} must be a map of fields (name, bio, avatar, links, …); the entry was skipped`);
    return null;
  }
  const links: ProfileLink[] = [];
  let hasLinks = false;
  const addLink = (line: number, field: string, kind: string | null, raw: string, url: string | null) => {
    hasLinks = true;
    if (!url) issue(line, 'AUTHOR_URL', `${who}: ${field} ${JSON.stringify(raw.slice(0, 100))} is not an http(s) or mailto address; left out`);
    else if (links.some((l) => l.url === url)) return;
    else if (links.length >= PROFILE_LIMITS.links) issue(line, 'AUTHOR_FIELD', `${who}: more than ${PROFILE_LIMITS.links} links; ${field} was left out`);
    else links.push({ kind: kind ?? linkKind(null, url), url });
  };
  for (const pair of value.items as Pair<YamlNode, YamlNode | null>[]) {
    const key = scalarText(pair.key)?.toLowerCase().replace(/_username$/, '');
    const line = lineOf(pair.key);
    if (key == null || pair.value == null || (isScalar(pair.value) && pair.value.value == null)) continue;
    const text = scalarText(pair.value);
    const isText = (field: string) => {
      if (text == null) issue(line, 'AUTHOR_FIELD', `${who}: ${field} must be text; left out`);
      return text != null;
    };
    if (NAME_KEYS.includes(key) && profile.name === undefined) {
      if (isText(key)) setText(profile, 'name', text!, PROFILE_LIMITS.name, () => issue(line, 'AUTHOR_FIELD', `${who}: ${key} is over ${PROFILE_LIMITS.name} characters; left out`));
    } else if (BIO_KEYS.includes(key) && profile.bio === undefined) {
      if (isText(key)) setText(profile, 'bio', text!, PROFILE_LIMITS.text, () => issue(line, 'AUTHOR_FIELD', `${who}: ${key} is over ${PROFILE_LIMITS.text} characters; left out`));
    } else if (AVATAR_KEYS.includes(key) && profile.avatarUrl === undefined) {
      if (!isText(key)) continue;
      const url = imageUrl(text!);
      if (url) profile.avatarUrl = url;
      else issue(line, 'AUTHOR_URL', `${who}: ${key} ${JSON.stringify(text!.slice(0, 100))} is not an http(s) URL or a path on the site; left out`);
    } else if (WEBSITE_KEYS.includes(key)) {
      if (isText(key)) addLink(line, key, 'website', text!, websiteUrl(text!));
    } else if (key === 'email' || key === 'mail') {
      if (isText(key)) addLink(line, key, 'email', text!, mailtoUrl(text!));
    } else if (SOCIAL_KINDS.includes(key)) {
      if (isText(key)) addLink(line, key, key, text!, socialUrl(key, text!));
    } else if (key === 'links') {
      readLinks(pair.value, who, lineOf, issue, addLink);
      hasLinks = true;
    }
    // Anything else (location, icon, roles, …) is the theme's business.
  }
  if (hasLinks) profile.links = links;
  // An entry that sets nothing (`- slug: ann`) has nothing to store.
  return Object.keys(profile).length > 2 ? profile : null;
}

type AddLink = (line: number, field: string, kind: string | null, raw: string, url: string | null) => void;

/** `links: [{ label|kind|name|title, url|href }]`, or `links: { github: dirtyf, blog: https://… }`. */
function readLinks(node: YamlNode, who: string, lineOf: (node: unknown) => number, issue: (line: number, code: string, message: string) => void, addLink: AddLink): void {
  if (isMap(node)) {
    for (const pair of node.items) {
      const kind = scalarText(pair.key)?.toLowerCase();
      const text = scalarText(pair.value);
      const line = lineOf(pair.key);
      if (kind == null || text == null) issue(line, 'AUTHOR_FIELD', `${who}: each of links must be \`kind: url\`; left out`);
      else if (SOCIAL_KINDS.includes(kind)) addLink(line, `links.${kind}`, kind, text, socialUrl(kind, text));
      else if (kind === 'email') addLink(line, 'links.email', 'email', text, mailtoUrl(text));
      else {
        const url = linkUrl(text);
        addLink(line, `links.${kind}`, url ? linkKind(kind, url) : null, text, url);
      }
    }
    return;
  }
  if (!isSeq(node)) {
    issue(lineOf(node), 'AUTHOR_FIELD', `${who}: links must be a list of { label, url }; left out`);
    return;
  }
  for (const item of node.items as YamlNode[]) {
    const line = lineOf(item);
    const field = (names: string[]) => (isMap(item) ? names.map((n) => scalarText(item.get(n, true))).find((v) => v != null) : undefined) ?? null;
    const raw = isScalar(item) ? scalarText(item) : field(['url', 'href', 'link']);
    if (raw == null) {
      issue(line, 'AUTHOR_FIELD', `${who}: a link needs a \`url\`; left out`);
      continue;
    }
    const url = linkUrl(raw);
    addLink(line, 'a link', url ? linkKind(field(['kind', 'label', 'name', 'title']), url) : null, raw, url);
  }
}

function setText(profile: AuthorProfile, field: 'name' | 'bio', text: string, limit: number, tooLong: () => void): void {
  const value = text.trim();
  if (!value) return;
  if (value.length > limit) tooLong();
  else profile[field] = value;
}

/** A scalar key or value as text (numbers too: `42: …`); null for maps, lists, booleans and null. */
function scalarText(node: unknown): string | null {
  if (!isScalar(node)) return null;
  const value = node.value;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return null;
}
