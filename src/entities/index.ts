import { ApiKey } from './ApiKey';
import { Author } from './Author';
import { Category } from './Category';
import { ContentState } from './ContentState';
import { Page } from './Page';
import { Post } from './Post';
import { POST_LINK_NAMES, POST_LINKS, PostAuthor, PostCategory, PostTag } from './PostLinks';
import { PostOldSlug, PostRedirect } from './PostRedirect';
import { PostRevision } from './PostRevision';
import { PreviewLink } from './PreviewLink';
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
  Page,
  Post,
  POST_LINK_NAMES,
  POST_LINKS,
  PostAuthor,
  PostCategory,
  PostOldSlug,
  PostRedirect,
  PostRevision,
  PostTag,
  PostTerm,
  PreviewLink,
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
export type { AuthorLink } from './Author';
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
  PostOldSlug,
  PostRedirect,
  Page,
  PreviewLink,
];
