import { Field, ObjectType } from 'type-graphql';

@ObjectType('AuthorLink', { description: "One of an author's addresses elsewhere on the web, in the order the profile gives them." })
export class AuthorLink {
  @Field({
    description:
      'What it is, a short lower-case word: `website`, `email`, or the service (`twitter`, `x`, `github`, `gitlab`, `linkedin`, `mastodon`, `bluesky`, …), ' +
      'or the label the profile gave it (`my-blog`).',
  })
  kind: string;

  @Field({ description: 'The address: always an http(s) URL, or `mailto:` for `email`; never another scheme.' })
  url: string;
}
