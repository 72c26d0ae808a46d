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
}

registerEnumType(PostStatus, {
  name: 'PostStatus',
  description: 'SCHEDULED is a published post whose publishedAt is still in the future.',
});
registerEnumType(PostOrder, {
  name: 'PostOrder',
  description: 'NEWEST (default): publishedAt descending; OLDEST: ascending; TITLE: by title.',
});
