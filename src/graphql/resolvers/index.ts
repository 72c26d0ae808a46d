import { AuthorQueries } from './AuthorQueries';
import { AuthorResolver } from './AuthorResolver';
import { CategoryQueries } from './CategoryQueries';
import { CategoryResolver } from './CategoryResolver';
import { NodeQueries } from './NodeQueries';
import { PostQueries } from './PostQueries';
import { PostResolver } from './PostResolver';
import { RelatedPostResolver } from './RelatedPostResolver';
import { TagQueries } from './TagQueries';
import { TagResolver } from './TagResolver';

export const RESOLVERS = [
  NodeQueries,
  PostQueries,
  PostResolver,
  RelatedPostResolver,
  AuthorQueries,
  AuthorResolver,
  TagQueries,
  TagResolver,
  CategoryQueries,
  CategoryResolver,
] as const;
