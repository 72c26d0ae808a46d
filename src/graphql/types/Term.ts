import { Field, Int, ObjectType } from 'type-graphql';
import { Node } from './Node';
import { connectionType } from './connection';

/*
 * Authors, tags and categories share one shape (DESIGN.md): a slug, a name, their posts and how
 * many there are. `posts` is declared by each type's resolver, which knows its Post type.
 */

// Decorated so the concrete types inherit its fields; no query returns it, so it is not in the schema.
@ObjectType()
abstract class TermObject extends Node {
  @Field()
  slug: string;

  @Field()
  name: string;

  @Field(() => Int, { description: 'Published posts (all posts, for editors).' })
  postCount: number;
}

@ObjectType('Author', { implements: Node })
export class Author extends TermObject {
  @Field(() => String, { nullable: true })
  bio: string | null;
}

@ObjectType('Tag', { implements: Node })
export class Tag extends TermObject {}

@ObjectType('Category', { implements: Node })
export class Category extends TermObject {}

export const AuthorConnection = connectionType('Author', Author);
export const TagConnection = connectionType('Tag', Tag);
export const CategoryConnection = connectionType('Category', Category);
