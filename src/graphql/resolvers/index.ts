import { NodeQueries } from './NodeQueries';
import { PostQueries } from './PostQueries';
import { EditorQueries } from './EditorQueries';
import { PostMutations } from './PostMutations';
import { PostResolver } from './PostResolver';
import { PostRevisionResolver } from './PostRevisionResolver';
import { RelatedPostResolver } from './RelatedPostResolver';
import { TERM_RESOLVERS } from './term-resolvers';
import { ChangeQueries } from './ChangeQueries';
import { WebhookMutations } from './WebhookMutations';
import { WebhookQueries } from './WebhookQueries';
import { WebhookEndpointResolver } from './WebhookEndpointResolver';
import { WebhookDeliveryResolver } from './WebhookDeliveryResolver';

export const RESOLVERS = [
  NodeQueries,
  PostQueries,
  PostResolver,
  PostMutations,
  PostRevisionResolver,
  EditorQueries,
  RelatedPostResolver,
  ChangeQueries,
  WebhookQueries,
  WebhookMutations,
  WebhookEndpointResolver,
  WebhookDeliveryResolver,
  ...TERM_RESOLVERS,
] as const;
