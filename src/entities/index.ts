import { ApiKey } from './ApiKey';
import { Author } from './Author';
import { Category } from './Category';
import { ContentState } from './ContentState';
import { Post } from './Post';
import { POST_LINK_NAMES, POST_LINKS, PostAuthor, PostCategory, PostTag } from './PostLinks';
import { PostRevision } from './PostRevision';
import { RelatedPending } from './RelatedPending';
import { PostTerm, RelatedLink, TermStat } from './SearchTables';
import { Tag } from './Tag';

export {
  ApiKey,
  Author,
  Category,
  ContentState,
  Post,
  POST_LINK_NAMES,
  POST_LINKS,
  PostAuthor,
  PostCategory,
  PostRevision,
  PostTag,
  PostTerm,
  RelatedLink,
  RelatedPending,
  Tag,
  TermStat,
};
export type { PostLink, PostLinkName } from './PostLinks';
export type { PostSnapshot } from './PostRevision';

export const ENTITIES = [Post, Author, Tag, Category, PostAuthor, PostTag, PostCategory, PostTerm, TermStat, RelatedLink, RelatedPending, PostRevision, ApiKey, ContentState];
