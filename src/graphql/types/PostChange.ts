import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Post } from './Post';
import { PostChangeKind } from './PostChangeKind';

@ObjectType('PostChange', { description: 'One entry of the change feed: the public state of one post now.' })
export class PostChange {
  @Field(() => PostChangeKind, { description: 'UPSERT when the post is public now, DELETE when it is not.' })
  kind: PostChangeKind;

  @Field(() => ID, { description: 'The global ID of the post (`Post.id`), for DELETE as for UPSERT.' })
  postId: string;

  @Field(() => Int, {
    description: "The post's version (grows with every change): keep the copy with the highest one, as an entry may come more than once.",
  })
  version: number;

  @Field({ description: 'When the public view of the post last changed: its last change, or the moment it was published if later.' })
  at: Date;

  @Field(() => Post, {
    nullable: true,
    description: 'The post as the public sees it now, with any of its fields; null for DELETE.',
  })
  post: unknown;
}
