import { Field, Int, ObjectType } from 'type-graphql';
import type { Post as PostEntity } from '../../entities';
import { Post } from './Post';

@ObjectType('Redirect', {
  description:
    "Where an old address of a post leads now: a path its front matter's `redirect_from` lists, or its URL under a slug it " +
    'had before it was renamed. An app or edge worker answers the old address with `statusCode` and `location`.',
})
export class Redirect {
  @Field({ description: "The post's current public address (KIJI_POST_URL), absolute when KIJI_SITE_URL is set." })
  location: string;

  @Field(() => Int, { description: 'The HTTP status to answer with: 301 (Moved Permanently), since the old address is not coming back.' })
  statusCode: number;

  @Field(() => Post, { nullable: true, description: 'The post the address leads to, as `post(id:)` would give it to you.' })
  post: PostEntity | null;
}
