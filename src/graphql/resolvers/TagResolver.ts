import { Tag } from '../types/Term';
import { TermKind, termFieldResolver } from './term-resolvers';

export const TAG_KIND: TermKind = { parent: 'tag', typeName: 'Tag', plural: 'tags', pluralName: 'Tags' };

/** Tag fields: id, postCount and posts (through the per-request loaders). */
export const TagResolver = termFieldResolver(Tag, TAG_KIND);
