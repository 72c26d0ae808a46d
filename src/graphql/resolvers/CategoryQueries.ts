import { Category, CategoryConnection } from '../types/Term';
import { CATEGORY_KIND } from './CategoryResolver';
import { termQueries } from './term-resolvers';

/** `category(slug | id)` and `categories(first, after, last, before)`. */
export const CategoryQueries = termQueries(Category, CategoryConnection, CATEGORY_KIND);
