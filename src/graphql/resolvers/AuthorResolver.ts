import { Author } from '../types/Term';
import { TermKind, termFieldResolver } from './term-resolvers';

export const AUTHOR_KIND: TermKind = { parent: 'author', typeName: 'Author', plural: 'authors', pluralName: 'Authors' };

/** Author fields: id, postCount and posts (through the per-request loaders). */
export const AuthorResolver = termFieldResolver(Author, AUTHOR_KIND);
