import { Tag, TagConnection } from '../types/Term';
import { TAG_KIND } from './TagResolver';
import { termQueries } from './term-resolvers';

/** `tag(slug | id)` and `tags(first, after, last, before)`. */
export const TagQueries = termQueries(Tag, TagConnection, TAG_KIND);
