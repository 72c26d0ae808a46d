import { Field, ID, Int, ObjectType } from 'type-graphql';
import { PostStatus } from './enums';
import { Node } from './Node';

@ObjectType('RevisionActor', { description: 'Who made a change: an API key, or the importer.' })
export class RevisionActor {
  @Field(() => ID, {
    nullable: true,
    description: 'ID of the API key that made the change (as `kiji keys list` shows it); null when the importer made it.',
  })
  keyId: string | null;

  @Field({ description: "The key's name, or `import`." })
  name: string;
}

/*
 * A revision is a snapshot of what an editor can change, so its post fields are plain values
 * (names of authors, tags and categories as they were then), not links to today's objects.
 */
@ObjectType('PostRevision', {
  implements: Node,
  description:
    'The post as it was right after one change (an import, or a mutation). History is only appended to: a revision never ' +
    'changes. Editors and admins only, through `Post.revisions` or `node(id:)`.',
})
export class PostRevision extends Node {
  @Field(() => Int, { description: "The post's `version` after this change: 1 for the change that created the post." })
  version: number;

  @Field(() => Date, { description: 'When the change was stored.' })
  createdAt: Date;

  @Field(() => RevisionActor, { description: 'Who made the change.' })
  actor: RevisionActor;

  @Field({ description: "The post's title after this change." })
  title: string;

  @Field({ description: "The post's slug after this change." })
  slug: string;

  @Field({ description: "The post's excerpt after this change (plain text)." })
  excerpt: string;

  @Field({ description: "The post's Markdown body after this change." })
  bodyMarkdown: string;

  @Field(() => PostStatus, {
    description: 'The status the post had at the moment of the change (SCHEDULED: published with a publishedAt still ahead then).',
  })
  status: PostStatus;

  @Field(() => Date, { nullable: true, description: "The post's publication date after this change; null when it had none." })
  publishedAt: Date | null;

  @Field(() => [String], { description: 'Names of the authors after this change, the primary one first.' })
  authors: string[];

  @Field(() => [String], { description: 'Names of the tags after this change.' })
  tags: string[];

  @Field(() => [String], { description: 'Names of the categories after this change.' })
  categories: string[];
}
