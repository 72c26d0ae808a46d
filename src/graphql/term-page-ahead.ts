import type { GraphQLResolveInfo } from 'graphql';
import { isListedOrder, type PostOrderKey } from '../services/posts/read';
import { pageWindow } from '../services/shared';
import { fieldAhead } from './field-ahead';
import type { TermPostsAhead } from './loaders';
import { includeOf } from './post-include';

/**
 * The page of posts an operation asks of the term a root field finds (`author(slug) { posts(first: 20) { … } }`),
 * known before the term is read, so that one statement reads both (loaders.termWithPosts). Null
 * unless it is one first page (no cursor, not `last`, not empty) in a date order, under one response key
 * however many fragments repeat it: any other page is read as before, by the field itself, which
 * is also where its argument errors belong.
 */
export function termPostsAhead(info: GraphQLResolveInfo): TermPostsAhead | null {
  const ahead = fieldAhead(info, 'posts');
  if (!ahead) return null;
  const { first, after, last, before } = ahead.values;
  const order = ahead.values.orderBy as PostOrderKey;
  if (after != null || last != null || before != null || !isListedOrder(order)) return null;
  const args = { first: typeof first === 'number' ? first : undefined };
  try {
    // An empty page (`first: 0`) reads nothing, where the field answers it.
    if (pageWindow(args).limit === 0) return null;
  } catch {
    return null;
  }
  return {
    order,
    args,
    include: includeOf(
      info.fragments,
      ahead.nodes.map((node) => node.selectionSet),
      ['edges', 'node'],
    ),
  };
}
