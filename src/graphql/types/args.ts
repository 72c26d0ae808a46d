import { ArgsType, Field, InputType, Int } from 'type-graphql';
import { PostStatus } from './enums';

@ArgsType()
export class ConnectionArgs {
  @Field(() => Int, { nullable: true, description: 'Page forwards: this many items after `after` (0 to 100). 20 when neither `first` nor `last` is given.' })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'Cursor of an item (an `endCursor` or an edge `cursor`): the page starts just after it.' })
  after?: string | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Page backwards: this many items before `before` (0 to 100); not together with `first`.',
  })
  last?: number | null;

  @Field(() => String, { nullable: true, description: 'Cursor of an item (a `startCursor` or an edge `cursor`): the page ends just before it.' })
  before?: string | null;
}

@InputType('PostFilter', {
  description: 'Which posts to list. Every condition given must hold (AND); an absent or null condition does not restrict.',
})
export class PostFilterInput {
  @Field(() => [PostStatus], {
    nullable: true,
    description: 'Statuses to list (default PUBLISHED). DRAFT and SCHEDULED need a preview, editor or admin key, DELETED an editor or admin key (FORBIDDEN otherwise).',
  })
  status?: PostStatus[] | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Full-text search over title, excerpt, tags and body; every word must match. Japanese words of 2 or more ' +
      'characters are found inside running text. At most 200 characters.',
  })
  query?: string | null;

  @Field(() => String, { nullable: true, description: 'Posts with this tag (slug).' })
  tag?: string | null;

  @Field(() => [String], { nullable: true, description: 'Posts with all of these tags (slugs).' })
  tags?: string[] | null;

  @Field(() => String, { nullable: true, description: 'Posts in this category (slug).' })
  category?: string | null;

  @Field(() => String, { nullable: true, description: 'Posts by this author (slug), primary or not.' })
  author?: string | null;

  @Field(() => Date, { nullable: true, description: 'Posts published strictly after this instant.' })
  publishedAfter?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Posts published strictly before this instant.' })
  publishedBefore?: Date | null;
}
