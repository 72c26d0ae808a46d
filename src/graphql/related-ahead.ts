import type { GraphQLResolveInfo } from 'graphql';
import { STORED_NEIGHBOURS } from '../services/related';
import { fieldAhead } from './field-ahead';
import type { RelatedAhead } from './loaders';
import { includeOf } from './post-include';

/**
 * The related posts an operation asks of the post a root field finds (`post(slug) { related(first: 5) { … } }`),
 * known before the post is read, so that one statement reads both (loaders.postWithRelated): an
 * article page is then one statement, not two. Null when `first` is out of range (the field
 * reports it) or 0 (the field answers it), and when the related posts show a body: bodies are read
 * out of line, one post at a time, not carried inside another post's row.
 */
export function relatedAhead(info: GraphQLResolveInfo): RelatedAhead | null {
  const ahead = fieldAhead(info, 'related');
  if (!ahead) return null;
  const { first } = ahead.values;
  if (typeof first !== 'number' || first <= 0 || first > STORED_NEIGHBOURS) return null;
  const include = includeOf(
    info.fragments,
    ahead.nodes.map((node) => node.selectionSet),
    ['post'],
  );
  return include.body ? null : { first, include };
}
