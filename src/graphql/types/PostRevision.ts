import { Field, ID, Int, ObjectType } from 'type-graphql';
import { PostStatus } from './enums';

@ObjectType('RevisionActor', { description: 'Who made a change: an API key, or the importer.' })
export class RevisionActor {
  @Field(() => ID, { nullable: true })
  keyId: string | null;

  @Field({ description: "The key's name, or `import`." })
  name: string;
}

@ObjectType('PostRevision', { description: 'The post as it was right after one change.' })
export class PostRevision {
  @Field(() => ID)
  id: string;

  @Field(() => Int)
  version: number;

  @Field(() => Date)
  createdAt: Date;

  @Field(() => RevisionActor)
  actor: RevisionActor;

  @Field()
  title: string;

  @Field()
  slug: string;

  @Field()
  excerpt: string;

  @Field()
  bodyMarkdown: string;

  @Field(() => PostStatus)
  status: PostStatus;

  @Field(() => Date, { nullable: true })
  publishedAt: Date | null;

  @Field(() => [String])
  authors: string[];

  @Field(() => [String])
  tags: string[];

  @Field(() => [String])
  categories: string[];
}
