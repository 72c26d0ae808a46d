import { Field, ID, InterfaceType } from 'type-graphql';
import { Author, Category, Page, Post, PostRevision, PreviewLink, Tag } from '../../entities';

/** The GraphQL type of an entity behind the Node interface. */
export function nodeTypeName(value: unknown): string | undefined {
  if (value instanceof Post) return 'Post';
  if (value instanceof Author) return 'Author';
  if (value instanceof Tag) return 'Tag';
  if (value instanceof Category) return 'Category';
  if (value instanceof PostRevision) return 'PostRevision';
  if (value instanceof Page) return 'Page';
  if (value instanceof PreviewLink) return 'PreviewLink';
  // Webhook endpoints and deliveries are plain views (services/webhooks), told apart by their keys' prefixes.
  const key = (value as { id?: unknown } | null)?.id;
  if (typeof key === 'string' && key.startsWith('ep_')) return 'WebhookEndpoint';
  if (typeof key === 'string' && key.startsWith('msg_')) return 'WebhookDelivery';
  return undefined;
}

/** The description of every `id` field: the same promise on Node and on each type that implements it. */
export const NODE_ID_DESCRIPTION =
  'Global, opaque ID of this object: the same on every request and for every viewer. Pass it to `node(id:)` (or to the ' +
  '`id` argument of `post`, `author`, `tag`, `category` and the mutations, webhook ones included); do not parse it.';

/** Relay's Node: every object with a global ID can be fetched again with `node(id)`. */
@InterfaceType('Node', {
  resolveType: nodeTypeName,
  description:
    'An object with a global ID (Relay Object Identification): `Post`, `Page`, `Author`, `Tag`, `Category`, `PostRevision`, ' +
    '`PreviewLink`, `WebhookEndpoint` and `WebhookDelivery`. Any of them can be fetched again with `node(id:)`, which is how Relay and ' +
    'normalized caches refetch it (revisions and preview links for editors and admins, webhook objects for admins only).',
})
export abstract class Node {
  @Field(() => ID, { description: NODE_ID_DESCRIPTION })
  id: string;
}
