import { Field, InputType } from 'type-graphql';
import { TERM_LIMITS as LIMITS } from '../../services/terms';

const count = (n: number) => n.toLocaleString('en');

@InputType('AuthorLinkInput', { description: "One of an author's addresses elsewhere on the web." })
export class AuthorLinkInput {
  @Field({ description: `A short lower-case word naming it (\`website\`, \`github\`, \`my-blog\`): letters a–z, digits, \`-\`, \`_\`, at most ${LIMITS.kind} characters.` })
  kind: string;

  @Field({ description: `An http(s) URL (or a \`mailto:\` address), at most ${count(LIMITS.url)} characters.` })
  url: string;
}

@InputType('AuthorInput', {
  description: "The fields of an author's profile to change (`updateAuthor`). Absent fields stay as they are; null clears `bio`, `avatarUrl` and `links`.",
})
export class AuthorInput {
  @Field(() => String, { nullable: true, description: `The display name, 1 to ${LIMITS.name} characters (trimmed); it cannot be cleared. The slug stays.` })
  name?: string | null;

  @Field(() => String, { nullable: true, description: `A short biography, plain text, at most ${count(LIMITS.text)} characters; null or empty clears it.` })
  bio?: string | null;

  @Field(() => String, {
    nullable: true,
    description: `A picture: an http(s) URL, or a path on the site starting with \`/\` (made absolute when read), at most ${count(LIMITS.url)} characters; null clears it.`,
  })
  avatarUrl?: string | null;

  @Field(() => [AuthorLinkInput], { nullable: true, description: `Addresses elsewhere, replacing all of them (\`[]\` or null removes them), at most ${LIMITS.links}.` })
  links?: AuthorLinkInput[] | null;
}
