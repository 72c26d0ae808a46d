import { postUrlFor, TermUrlTemplates } from '../../config';

/** Which term page: an author's, a tag's or a category's. */
export type TermUrlKind = keyof TermUrlTemplates;

/**
 * The path (or URL) of a term's public page from its template (KIJI_AUTHOR_URL, KIJI_TAG_URL,
 * KIJI_CATEGORY_URL), filled as `Post.url`'s is; feeds and the sitemap link to the same pages.
 */
export function termUrlFor(templates: TermUrlTemplates): (kind: TermUrlKind, slug: string) => string {
  const fill = { author: postUrlFor(templates.author), tag: postUrlFor(templates.tag), category: postUrlFor(templates.category) };
  return (kind, slug) => fill[kind](slug);
}
