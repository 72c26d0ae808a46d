import type { Author, Category, Tag } from '../entities';
import type { Term } from '../services/terms';
import type { Context } from './context';

/** Which loaders read each kind of term, and a profile column each kind always has (null, when read whole). */
const KINDS = {
  authors: 'links',
  tags: 'description',
  categories: 'description',
} as const;

type TermOf<K extends keyof typeof KINDS> = K extends 'authors' ? Author : K extends 'tags' ? Tag : Category;

/**
 * The term with its profile columns (avatar, links, description). Terms read inside their posts
 * come without them (post-rows.ts PROFILE_COLUMNS); those shown are read again, one statement
 * for every such term of the request.
 */
export async function withProfile<K extends keyof typeof KINDS>(term: Term, kind: K, ctx: Context): Promise<TermOf<K>> {
  if ((term as unknown as Record<string, unknown>)[KINDS[kind]] !== undefined) return term as TermOf<K>;
  const loaders = ctx.loaders[kind] as { profiled: { load(id: number): Promise<Term | null> } };
  const full = await loaders.profiled.load(term.id);
  if (!full) throw new Error(`${kind} ${term.id} vanished while being read`);
  return full as TermOf<K>;
}
