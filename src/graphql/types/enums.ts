import { registerEnumType } from 'type-graphql';
import { RANK_WINDOW } from '../../services/search';

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
  description: 'Where a post is in its life. Anonymous, reader and partner clients only ever see PUBLISHED posts.',
  valuesConfig: {
    DRAFT: { description: 'Not public: created by `createPost`, sent back by `unpublishPost`, or `draft: true`/`published: false` in front matter.' },
    SCHEDULED: { description: 'Published with a `publishedAt` still in the future: becomes PUBLISHED, by itself, at that instant.' },
    PUBLISHED: { description: 'Public: published, with a `publishedAt` that has come.' },
    DELETED: { description: 'Soft-deleted by `deletePost`: hidden from everyone but editors and admins, restorable with `restorePost`.' },
  },
});
registerEnumType(PostOrder, {
  name: 'PostOrder',
  description: 'The order of a list of posts. Ties are broken by when the posts were added (in the same direction), so pages never ' + 'repeat or skip a post.',
  valuesConfig: {
    NEWEST: { description: '`publishedAt` descending, the latest first (the default without a search).' },
    OLDEST: { description: '`publishedAt` ascending, the earliest first.' },
    TITLE: { description: "By title, ascending, in the database's text order." },
    RELEVANCE: {
      description:
        `Best search match first (the default with \`filter.query\`, and only valid with it). It ranks the ${RANK_WINDOW} most recently ` +
        'added matching posts, while `totalCount` and the other orders cover every match.',
    },
  },
});
