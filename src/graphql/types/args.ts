import { ArgsType, Field, InputType, Int } from 'type-graphql';
import { PostStatus } from './enums';

@ArgsType()
export class ConnectionArgs {
  @Field(() => Int, { nullable: true, description: 'At most 100; 20 when neither first nor last is given.' })
  first?: number | null;

  @Field(() => String, { nullable: true })
  after?: string | null;

  @Field(() => Int, { nullable: true, description: 'At most 100.' })
  last?: number | null;

  @Field(() => String, { nullable: true })
  before?: string | null;
}

@InputType('PostFilter')
export class PostFilterInput {
  @Field(() => [PostStatus], {
    nullable: true,
    description: 'Statuses to list (default PUBLISHED). Anything else is for editors and admins only.',
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

  @Field(() => String, { nullable: true, description: 'Category slug.' })
  category?: string | null;

  @Field(() => String, { nullable: true, description: 'Author slug.' })
  author?: string | null;

  @Field(() => Date, { nullable: true })
  publishedAfter?: Date | null;

  @Field(() => Date, { nullable: true })
  publishedBefore?: Date | null;
}
