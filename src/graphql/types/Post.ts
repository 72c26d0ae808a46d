import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, Float, Int, ObjectType } from 'type-graphql';
import { Node } from './Node';
import { Author, Category, Tag } from './Term';
import { PostStatus } from './enums';
import { connectionType } from './connection';
import { PostRevision } from './PostRevision';

@ObjectType('Heading', { description: 'One entry of the outline of a post body.' })
export class Heading {
  @Field(() => Int)
  level: number;

  @Field()
  text: string;

  @Field({ description: 'The `id` of the heading in `bodyHtml`.' })
  anchor: string;
}

@ObjectType('ContentIssue', { description: 'A repair the importer made or a problem content lint found.' })
export class ContentIssue {
  @Field()
  file: string;

  @Field(() => Int)
  line: number;

  @Field()
  code: string;

  @Field()
  message: string;
}

@ObjectType('Post', { implements: Node })
export class Post extends Node {
  @Field()
  slug: string;

  @Field({ description: 'Public address of the post (template from KIJI_POST_URL).' })
  url: string;

  @Field()
  title: string;

  @Field()
  excerpt: string;

  @Field(() => Date, { nullable: true })
  publishedAt: Date | null;

  @Field(() => Date)
  updatedAt: Date;

  @Field(() => Int)
  readingTimeMinutes: number;

  @Field({ description: '`ja`, `en`, or the front matter `lang`.' })
  language: string;

  @Field(() => PostStatus)
  status: PostStatus;

  @Field(() => Int, { description: 'Grows by one at every change; writes name the version they read (`expectedVersion`).' })
  version: number;

  @Field(() => Author)
  author: Author;

  @Field(() => [Author], { description: 'Every author of the post, the primary one first.' })
  authors: Author[];

  @Field(() => [Tag])
  tags: Tag[];

  @Field(() => [Category])
  categories: Category[];

  @Field()
  bodyMarkdown: string;

  @Field({ description: 'Rendered Markdown; raw HTML is sanitized.' })
  bodyHtml: string;

  @Field(() => [Heading])
  headings: Heading[];

  @Field(() => [ContentIssue], { description: 'Repairs the importer made to the source file.' })
  contentIssues: ContentIssue[];

  @Field(() => GraphQLJSONObject, {
    description: 'Front-matter keys Kiji does not map to a field (layout, permalink, ...), as the source file had them.',
  })
  frontMatter: Record<string, unknown>;

  @Field(() => String, {
    nullable: true,
    description: 'Under a search (`posts(filter: { query })`): a short passage around the best hit, hits in <mark>, safe HTML.',
  })
  searchSnippet: string | null;

  @Field(() => [RelatedPost], {
    description: 'Related articles, best first: shared rare tags, shared categories, similar text, a little recency.',
  })
  related: RelatedPost[];
}

@ObjectType('RelatedPost')
export class RelatedPost {
  @Field(() => Post)
  post: Post;

  @Field(() => Float)
  score: number;

  @Field(() => [Tag], { description: 'Tags the two posts share.' })
  sharedTags: Tag[];
}

export const PostConnection = connectionType('Post', Post);
export const PostRevisionConnection = connectionType('PostRevision', PostRevision);
