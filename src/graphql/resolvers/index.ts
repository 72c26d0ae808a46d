import { AuthorQueries } from './AuthorQueries';
import { AuthorResolver } from './AuthorResolver';
import { CategoryQueries } from './CategoryQueries';
import { CategoryResolver } from './CategoryResolver';
import { NodeQueries } from './NodeQueries';
import { PostQueries } from './PostQueries';
import { EditorQueries } from './EditorQueries';
import { PostMutations } from './PostMutations';
import { PostResolver } from './PostResolver';
import { PostRevisionResolver } from './PostRevisionResolver';
import { RelatedPostResolver } from './RelatedPostResolver';
import { TagQueries } from './TagQueries';
import { TagResolver } from './TagResolver';

export const RESOLVERS = [
  NodeQueries,
  PostQueries,
  PostResolver,
  PostMutations,
  PostRevisionResolver,
  EditorQueries,
  RelatedPostResolver,
  AuthorQueries,
  AuthorResolver,
  TagQueries,
  TagResolver,
  CategoryQueries,
  CategoryResolver,
] as const;
