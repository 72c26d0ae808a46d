import { Category } from '../types/Term';
import { TermKind, termFieldResolver } from './term-resolvers';

export const CATEGORY_KIND: TermKind = { parent: 'category', typeName: 'Category', plural: 'categories', pluralName: 'Categories' };

/** Category fields: id, postCount and posts (through the per-request loaders). */
export const CategoryResolver = termFieldResolver(Category, CATEGORY_KIND);
