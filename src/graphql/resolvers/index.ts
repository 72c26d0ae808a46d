import { NodeQueries } from './NodeQueries';
import { PostQueries } from './PostQueries';
import { RedirectQueries } from './RedirectQueries';
import { PageQueries } from './PageQueries';
import { PageResolver } from './PageResolver';
import { EditorQueries } from './EditorQueries';
import { PostMutations } from './PostMutations';
import { PostResolver } from './PostResolver';
import { CoverImageResolver } from './CoverImageResolver';
import { PostRevisionResolver } from './PostRevisionResolver';
import { RelatedPostResolver } from './RelatedPostResolver';
import { TERM_RESOLVERS } from './term-resolvers';
import { AuthorProfileResolver } from './AuthorProfileResolver';
import { TERM_DESCRIPTION_RESOLVERS } from './TermDescriptionResolver';
import { TermMutations } from './TermMutations';
import { ChangeQueries } from './ChangeQueries';
import { WebhookMutations } from './WebhookMutations';
import { WebhookQueries } from './WebhookQueries';
import { WebhookEndpointResolver } from './WebhookEndpointResolver';
import { WebhookDeliveryResolver } from './WebhookDeliveryResolver';
import { PreviewQueries } from './PreviewQueries';
import { PreviewMutations } from './PreviewMutations';
import { PreviewLinkResolver } from './PreviewLinkResolver';
import { PostPreviewLinksResolver } from './PostPreviewLinksResolver';

export const RESOLVERS = [
  NodeQueries,
  PostQueries,
  RedirectQueries,
  PageQueries,
  PageResolver,
  PostResolver,
  CoverImageResolver,
  PostMutations,
  PostRevisionResolver,
  EditorQueries,
  RelatedPostResolver,
  ChangeQueries,
  WebhookQueries,
  WebhookMutations,
  WebhookEndpointResolver,
  WebhookDeliveryResolver,
  PreviewQueries,
  PreviewMutations,
  PreviewLinkResolver,
  PostPreviewLinksResolver,
  ...TERM_RESOLVERS,
  AuthorProfileResolver,
  ...TERM_DESCRIPTION_RESOLVERS,
  TermMutations,
] as const;
