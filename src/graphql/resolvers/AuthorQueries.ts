import { Author, AuthorConnection } from '../types/Term';
import { AUTHOR_KIND } from './AuthorResolver';
import { termQueries } from './term-resolvers';

/** `author(slug | id)` and `authors(first, after, last, before)`. */
export const AuthorQueries = termQueries(Author, AuthorConnection, AUTHOR_KIND);
