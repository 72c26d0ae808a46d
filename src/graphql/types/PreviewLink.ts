import { Field, ObjectType } from 'type-graphql';
import { Node } from './Node';

@ObjectType('PreviewLink', {
  implements: Node,
  description:
    'A link that shows one post, whatever its status, to whoever holds its token (`previewPost(token:)`), until it expires or is ' +
    'revoked. Its token is shown only by `createPreviewLink`. Editors and admins only: `node(id:)` gives it to them and null to anyone else.',
})
export class PreviewLink extends Node {
  @Field(() => Date, { description: 'When it was made.' })
  createdAt: Date;

  @Field(() => Date, { description: 'When it stops working.' })
  expiresAt: Date;

  @Field(() => Date, { nullable: true, description: 'When an editor revoked it (it stopped working then); null while not revoked.' })
  revokedAt: Date | null;

  @Field({ description: 'The name of the API key that made it.' })
  createdBy: string;
}
