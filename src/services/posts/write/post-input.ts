import { badInput } from '../../shared';
import { requirePlainText } from '../../shared';

/** What an editor sends to create a post; `author`, `tags` and `categories` are slugs or names. */
export interface PostInput {
  title: string;
  slug?: string | null;
  bodyMarkdown: string;
  excerpt?: string | null;
  author: string;
  tags: string[];
  categories: string[];
  publishedAt?: Date | null;
}

/** The same fields, each optional, for an update. */
export type PostPatch = { [K in keyof PostInput]?: PostInput[K] | null };

export const LIMITS = { title: 500, excerpt: 1000, name: 100, terms: 50, bodyBytes: 1024 * 1024 };

/**
 * Checks an editor's input before anything is written. Each error names the field's path
 * (`input.tags[2]`) and the limit it broke.
 */
export function validatePostPatch(patch: PostPatch, required: boolean): void {
  const field = (name: string, message: string, details: Record<string, unknown> = {}) => badInput(`\`input.${name}\` ${message}`, { field: `input.${name}`, ...details });
  const has = (key: keyof PostPatch) => patch[key] !== undefined && patch[key] !== null;
  if (required) {
    for (const key of ['title', 'bodyMarkdown', 'author'] as const) if (!has(key)) throw field(key, 'is required');
  }
  for (const key of ['title', 'slug', 'bodyMarkdown', 'excerpt', 'author', 'tags', 'categories'] as const) {
    requirePlainText(patch[key], `input.${key}`, 'field');
  }
  if (has('title') && !patch.title!.trim()) throw field('title', 'must not be empty');
  if (has('title') && patch.title!.length > LIMITS.title) throw field('title', `is over ${LIMITS.title} characters`, { limit: LIMITS.title });
  if (has('slug') && !/[\p{L}\p{N}]/u.test(patch.slug!)) throw field('slug', 'must contain a letter or digit');
  if (has('excerpt') && patch.excerpt!.length > LIMITS.excerpt) {
    throw field('excerpt', `is over ${LIMITS.excerpt} characters`, { limit: LIMITS.excerpt });
  }
  if (has('bodyMarkdown') && Buffer.byteLength(patch.bodyMarkdown!, 'utf8') > LIMITS.bodyBytes) {
    throw field('bodyMarkdown', 'is over 1 MB', { limit: LIMITS.bodyBytes });
  }
  if (has('author') && (!patch.author!.trim() || patch.author!.length > LIMITS.name)) {
    throw field('author', `must be 1 to ${LIMITS.name} characters`, { limit: LIMITS.name });
  }
  for (const key of ['tags', 'categories'] as const) {
    const list = patch[key];
    if (!list) continue;
    if (list.length > LIMITS.terms) throw field(key, `has more than ${LIMITS.terms} entries`, { limit: LIMITS.terms });
    list.forEach((name, i) => {
      if (!name.trim() || name.length > LIMITS.name) {
        throw field(`${key}[${i}]`, `must be 1 to ${LIMITS.name} characters`, { limit: LIMITS.name });
      }
    });
  }
  if (has('publishedAt') && Number.isNaN(patch.publishedAt!.getTime())) throw field('publishedAt', 'is not a date');
}
