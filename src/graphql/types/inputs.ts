import { Field, InputType } from 'type-graphql';

@InputType('PostInput', { description: '`author`, `tags` and `categories` are slugs (or names); new ones are created.' })
export class PostInputType {
  @Field()
  title: string;

  @Field(() => String, { nullable: true, description: 'Derived from the title when absent.' })
  slug?: string | null;

  @Field({ description: 'At most 1 MB.' })
  bodyMarkdown: string;

  @Field(() => String, { nullable: true, description: 'Derived from the body when absent.' })
  excerpt?: string | null;

  @Field()
  author: string;

  @Field(() => [String], { defaultValue: [] })
  tags: string[];

  @Field(() => [String], { defaultValue: [] })
  categories: string[];

  @Field(() => Date, { nullable: true, description: 'The date the post carries; `publishPost` makes it public.' })
  publishedAt?: Date | null;
}

@InputType('PostPatch', { description: 'The fields of PostInput to change; absent fields stay as they are.' })
export class PostPatchType {
  @Field(() => String, { nullable: true })
  title?: string | null;

  @Field(() => String, { nullable: true })
  slug?: string | null;

  @Field(() => String, { nullable: true })
  bodyMarkdown?: string | null;

  @Field(() => String, { nullable: true })
  excerpt?: string | null;

  @Field(() => String, { nullable: true })
  author?: string | null;

  @Field(() => [String], { nullable: true })
  tags?: string[] | null;

  @Field(() => [String], { nullable: true })
  categories?: string[] | null;

  @Field(() => Date, { nullable: true })
  publishedAt?: Date | null;
}

@InputType('MarkdownFileInput')
export class MarkdownFileInput {
  @Field({ description: 'Where the file lives in the publication (e.g. `_posts/2024-05-01-hello.md`); identifies it on re-import.' })
  path: string;

  @Field()
  content: string;
}
