import { FieldResolver, ID, Resolver, Root } from 'type-graphql';
import { toGlobalId } from '../../services/shared';
import type { EndpointView } from '../../services/webhooks';
import { NODE_ID_DESCRIPTION } from '../types/Node';
import { WebhookEndpoint } from '../types/WebhookEndpoint';

/** An endpoint's global ID wraps its key (`ep_…`, what `kiji webhooks list` shows too). */
@Resolver(() => WebhookEndpoint)
export class WebhookEndpointResolver {
  @FieldResolver(() => ID, { description: NODE_ID_DESCRIPTION })
  id(@Root() endpoint: EndpointView): string {
    return toGlobalId('WebhookEndpoint', endpoint.id);
  }
}
