import { registerEnumType } from 'type-graphql';

export enum PostChangeKind {
  UPSERT = 'UPSERT',
  DELETE = 'DELETE',
}

registerEnumType(PostChangeKind, {
  name: 'PostChangeKind',
  description: 'What a partner does with one post of the change feed.',
  valuesConfig: {
    UPSERT: { description: 'The post is public now: store `post` under `postId`, replacing any copy with a lower `version`.' },
    DELETE: {
      description: 'The post is not public now (unpublished, deleted, a draft, or scheduled for later): remove any copy of `postId`. It may ' + 'name a post you never held.',
    },
  },
});
