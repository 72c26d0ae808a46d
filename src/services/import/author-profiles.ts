import fs from 'node:fs';
import path from 'node:path';
import { EntityManager, In } from 'typeorm';
import { slugify } from '../../content';
import type { ContentIssue } from '../../content';
import { AuthorProfile, readAuthorProfiles } from '../../content/authorProfiles';
import { Author } from '../../entities';
import { bumpContentGeneration } from '../cache';
import { displayPath } from './source-files';

/** Where a Jekyll site keeps its authors (`site.data.authors`), the first found wins. */
export const AUTHOR_DATA_FILES = ['_data/authors.yml', '_data/authors.yaml', '_data/authors.json'];

/** The longest slug the authors table holds. */
const MAX_SLUG = 200;
/** Slugs per `IN (…)`, well under both databases' parameter limits. */
const CHUNK = 500;

export interface SiteAuthorProfiles {
  /** The data files read, as messages name them. */
  files: string[];
  profiles: AuthorProfile[];
  issues: ContentIssue[];
}

/** The author profiles of each folder given that is a site root (holds `_data/authors.*`), in the order given. */
export function readSiteAuthorProfiles(paths: string[]): SiteAuthorProfiles {
  const found: SiteAuthorProfiles = { files: [], profiles: [], issues: [] };
  for (const root of paths) {
    if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) continue;
    const file = AUTHOR_DATA_FILES.map((name) => path.join(root, name)).find((f) => fs.existsSync(f) && fs.statSync(f).isFile());
    if (!file) continue;
    const name = displayPath(file);
    found.files.push(name);
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      found.issues.push({ file: name, line: 1, code: 'AUTHORS_UNREADABLE', message: `${name} could not be read (${(error as NodeJS.ErrnoException).code ?? 'error'})` });
      continue;
    }
    const read = readAuthorProfiles(name, text);
    found.issues.push(...read.issues);
    for (const profile of read.profiles) {
      if (slugify(profile.handle).length > MAX_SLUG) {
        found.issues.push({ file: name, line: profile.line, code: 'AUTHOR_ENTRY', message: `author handle is over ${MAX_SLUG} characters; the entry was skipped` });
      } else found.profiles.push(profile);
    }
  }
  return found;
}

/** What a write lock gives: one write transaction in turn with every other writer. */
export interface WriteTransactions {
  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T>;
}

/**
 * Stores profiles as authors, by slug (the slug posts' `author: handle` gives): new authors are
 * created, known ones get the fields the file gives and keep the others (an editor's avatar for
 * an author the file shows no picture of stays). Writes only what differs, so importing an
 * unchanged file writes nothing and leaves cached answers alone. Returns how many authors it
 * created or changed.
 */
export async function storeAuthorProfiles(lock: WriteTransactions, profiles: AuthorProfile[]): Promise<number> {
  if (profiles.length === 0) return 0;
  // Read in the write lock, so what is compared is what is written over.
  return lock.transaction(async (manager) => {
    const changes = await changesOf(manager, profiles);
    for (const change of changes) {
      if (change.id == null) await manager.insert(Author, change.row);
      else await manager.update(Author, { id: change.id }, change.row);
    }
    if (changes.length) await bumpContentGeneration(manager);
    return changes.length;
  });
}

type Change = { id: number | null; row: Partial<Author> };

/** The inserts and updates that would make the stored authors say what the profiles say. */
async function changesOf(manager: EntityManager, profiles: AuthorProfile[]): Promise<Change[]> {
  const slugs = profiles.map((p) => slugify(p.handle));
  const stored = new Map<string, Author>();
  for (let i = 0; i < slugs.length; i += CHUNK) {
    for (const author of await manager.findBy(Author, { slug: In(slugs.slice(i, i + CHUNK)) })) stored.set(author.slug, author);
  }
  const changes: Change[] = [];
  profiles.forEach((profile, i) => {
    const given: Partial<Author> = {};
    if (profile.name !== undefined) given.name = profile.name;
    if (profile.bio !== undefined) given.bio = profile.bio;
    if (profile.avatarUrl !== undefined) given.avatarUrl = profile.avatarUrl;
    if (profile.links !== undefined) given.links = profile.links.length ? profile.links : null;
    const author = stored.get(slugs[i]);
    if (!author) {
      changes.push({ id: null, row: { slug: slugs[i], name: profile.handle.trim().slice(0, 200), bio: null, avatarUrl: null, links: null, ...given } });
      return;
    }
    const differs = (Object.keys(given) as (keyof Author)[]).filter((key) => JSON.stringify(author[key] ?? null) !== JSON.stringify(given[key] ?? null));
    if (differs.length) changes.push({ id: author.id, row: Object.fromEntries(differs.map((key) => [key, given[key]])) });
  });
  return changes;
}

/**
 * Reads and stores the author profiles of the site roots among `paths` (before their posts, so a
 * post's `author: handle` finds the author under the profile's name). Returns what went wrong as
 * issues: a bad file or entry, or profiles that could not be stored, never stop an import.
 */
export async function importAuthorProfiles(paths: string[], lock: WriteTransactions): Promise<ContentIssue[]> {
  const { files, profiles, issues } = readSiteAuthorProfiles(paths);
  try {
    await storeAuthorProfiles(lock, profiles);
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    issues.push({ file: files.join(', '), line: 0, code: 'AUTHORS_NOT_STORED', message: `author profiles could not be stored: ${message}` });
  }
  return issues;
}
