import type DataLoader from 'dataloader';
import { fromGlobalId, NodeType } from '../../services/shared';
import { badInput } from '../../services/shared';
import { requirePlainText } from '../../services/shared';

/** The `slug` and `id` arguments of `post`, `author`, `tag` and `category`. */
export const SLUG_ARGUMENT = 'The slug, exactly as the object gives it (see its `slug` field).';
export const ID_ARGUMENT = 'The global ID (see its `id` field). An ID of another type finds nothing (null); one Kiji could not have given is BAD_USER_INPUT.';

/**
 * `x(slug: …)` or `x(id: …)`: exactly one must be given; an ID of another type, like an unknown
 * slug, finds nothing (null), as if the object did not exist.
 */
export function lookupBySlugOrId<T>(
  slug: string | null | undefined,
  id: string | null | undefined,
  type: NodeType,
  loaders: { bySlug: DataLoader<string, T | null>; byId: DataLoader<number, T | null> },
): Promise<T | null> {
  const given = slugOrId(slug, id);
  if ('slug' in given) return loaders.bySlug.load(given.slug);
  const ref = fromGlobalId(given.id);
  return ref.type === type ? loaders.byId.load(ref.id) : Promise.resolve(null);
}

/** The one of `slug` and `id` given (BAD_USER_INPUT unless exactly one is), the slug checked as plain text; shared with the term mutations. */
export function slugOrId(slug: string | null | undefined, id: string | null | undefined): { slug: string } | { id: string } {
  if ((slug == null) === (id == null)) throw badInput('Pass exactly one of `slug` or `id`', { argument: 'slug' });
  if (slug != null) {
    requirePlainText(slug, 'slug');
    return { slug };
  }
  return { id: id! };
}
