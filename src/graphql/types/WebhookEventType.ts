import { registerEnumType } from 'type-graphql';

/** The GraphQL names of the webhook events; each value is the `type` receivers get in the payload. */
export enum WebhookEventType {
  POST_DELETED = 'post.deleted',
  POST_PUBLISHED = 'post.published',
  POST_RESTORED = 'post.restored',
  POST_SCHEDULED_PUBLISHED = 'post.scheduled_published',
  POST_UNPUBLISHED = 'post.unpublished',
  POST_UPDATED = 'post.updated',
}

registerEnumType(WebhookEventType, {
  name: 'WebhookEventType',
  description:
    'What happened to a post, as partners see it (the payload `type` in parentheses). Changes to posts nobody outside can read ' +
    '(drafts, scheduling, un-scheduling) send nothing.',
  valuesConfig: {
    POST_DELETED: { description: 'A visible post was deleted (`post.deleted`).' },
    POST_PUBLISHED: { description: 'A post became visible through a write: published now or with a past date (`post.published`).' },
    POST_RESTORED: { description: 'A deleted post was restored and is visible again (`post.restored`).' },
    POST_SCHEDULED_PUBLISHED: { description: 'A scheduled post became visible when its time came, with no write (`post.scheduled_published`).' },
    POST_UNPUBLISHED: { description: 'A visible post went back to draft or was moved to a future date (`post.unpublished`).' },
    POST_UPDATED: { description: 'A visible post changed and stays visible: content, slug, tags, … (`post.updated`).' },
  },
});
