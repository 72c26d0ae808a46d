import { Field, ObjectType } from 'type-graphql';
import { PreviewLink } from './PreviewLink';

@ObjectType('PreviewLinkCreation', { description: 'A new preview link, with its token: hand it on now, it is not shown again (Kiji keeps only a hash).' })
export class PreviewLinkCreation {
  @Field(() => PreviewLink, { description: 'The link.' })
  link: PreviewLink;

  @Field({ description: 'The token (`kpv_…`): `previewPost(token:)` shows the post to whoever passes it, until the link expires or is revoked.' })
  token: string;

  @Field({
    description:
      'Where to open the preview: KIJI_PREVIEW_URL with the token in place of `{token}` (`/preview/{token}` by default), made absolute ' +
      'against KIJI_SITE_URL when that is set. The page there passes the token to `previewPost`.',
  })
  url: string;
}
