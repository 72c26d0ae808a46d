import { registerEnumType } from 'type-graphql';

export enum PostStatus {
  DRAFT = 'DRAFT',
  SCHEDULED = 'SCHEDULED',
  PUBLISHED = 'PUBLISHED',
  DELETED = 'DELETED',
}

export enum PostOrder {
  NEWEST = 'NEWEST',
  OLDEST = 'OLDEST',
  TITLE = 'TITLE',
  RELEVANCE = 'RELEVANCE',
}

registerEnumType(PostStatus, {
  name: 'PostStatus',
  description: 'SCHEDULED is a published post whose publishedAt is still in the future.',
});
registerEnumType(PostOrder, {
  name: 'PostOrder',
  description:
    'NEWEST: publishedAt descending (the default without a search); OLDEST: ascending; TITLE: by title; ' +
    'RELEVANCE: best search match first (the default with `filter.query`, and only valid with it); ' +
    'it ranks the 1,000 most recently added matching posts, while `totalCount` and the other orders cover every match.',
});
