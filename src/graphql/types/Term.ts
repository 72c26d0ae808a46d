import { Field, Int, ObjectType } from 'type-graphql';
import { Node } from './Node';
import { connectionType } from './connection';

/*
 * Authors, tags and categories share one shape (DESIGN.md): a slug, a name, their posts and how
 * many there are. `id`, `postCount`, `posts`, `url` and `seo` (and the author's `avatarUrl` and
 * `links`) are declared (and described) by the resolvers (term-resolvers.ts, AuthorProfileResolver.ts), which know the
 * Post type and the site's addresses.
 */

// Decorated so the concrete types inherit its fields; no query returns it, so it is not in the schema.
@ObjectType()
abstract class TermObject extends Node {
  @Field({
    description:
      'The name made URL-safe (NFKC, lower case, letters and digits kept, `-` between words; `graphql`, `api-design`, ' +
      '`パフォーマンス`); unique, stable, and what `posts(filter:)` and the single-object queries take.',
  })
  slug: string;

  @Field({ description: 'The name as the posts write it, for display (`GraphQL`, `API design`).' })
  name: string;

  @Field(() => Int, { description: 'How many published posts it has.' })
  postCount: number;
}

@ObjectType('Author', {
  implements: Node,
  description:
    'Someone who wrote posts, from the `author`/`authors` front matter or the mutations. Only editors, admins and preview keys see authors ' + 'without a published post.',
})
export class Author extends TermObject {
  @Field(() => String, { nullable: true, description: "A short biography, plain text (from the site's `_data/authors.yml` or `updateAuthor`); null when none is known." })
  bio: string | null;
}

@ObjectType('Tag', {
  implements: Node,
  description: 'A keyword posts carry (front matter `tags`/`tag`), any number per post. Only editors, admins and preview keys see tags without a ' + 'published post.',
})
export class Tag extends TermObject {
  @Field(() => String, { nullable: true, description: 'What the tag is about, plain text for its page (`updateTag`); null when none is known.' })
  description: string | null;
}

@ObjectType('Category', {
  implements: Node,
  description: 'A section of the publication (front matter `categories`/`category`). Only editors, admins and preview keys see categories without a ' + 'published post.',
})
export class Category extends TermObject {
  @Field(() => String, { nullable: true, description: 'What the category is about, plain text for its page (`updateCategory`); null when none is known.' })
  description: string | null;
}

export const AuthorConnection = connectionType('Author', Author);
export const TagConnection = connectionType('Tag', Tag);
export const CategoryConnection = connectionType('Category', Category);
