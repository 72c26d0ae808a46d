import { ApiKey } from './ApiKey';
import { Author } from './Author';
import { Category } from './Category';
import { ContentState } from './ContentState';
import { Post } from './Post';
import { POST_LINK_NAMES, POST_LINKS, PostAuthor, PostCategory, PostTag } from './PostLinks';
import { PostRevision } from './PostRevision';
import { RelatedPending } from './RelatedPending';
import { PostTerm, RelatedLink, TermStat } from './SearchTables';
import { SyncLogEntry, SyncLogFloor } from './SyncLogEntry';
import { Tag } from './Tag';
import { WebhookAttempt } from './WebhookAttempt';
import { WebhookDelivery } from './WebhookDelivery';
import { WebhookEndpoint } from './WebhookEndpoint';
import { WebhookState } from './WebhookState';

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
  SyncLogEntry,
  SyncLogFloor,
  Tag,
  TermStat,
  WebhookAttempt,
  WebhookDelivery,
  WebhookEndpoint,
  WebhookState,
};
export type { PostLink, PostLinkName } from './PostLinks';
export type { PostSnapshot } from './PostRevision';
export type { WebhookDeliveryState } from './WebhookDelivery';

export const ENTITIES = [
  Post,
  Author,
  Tag,
  Category,
  PostAuthor,
  PostTag,
  PostCategory,
  PostTerm,
  TermStat,
  RelatedLink,
  RelatedPending,
  PostRevision,
  ApiKey,
  ContentState,
  SyncLogEntry,
  SyncLogFloor,
  WebhookEndpoint,
  WebhookDelivery,
  WebhookAttempt,
  WebhookState,
];
