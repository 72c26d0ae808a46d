import { Field, InputType } from 'type-graphql';
import { POST_INPUT_LIMITS as LIMITS } from '../../services/posts/write';

const TITLE = `at most ${LIMITS.title} characters`;
const EXCERPT = `at most ${LIMITS.excerpt.toLocaleString('en')} characters`;
const NAMES = `at most ${LIMITS.terms}, each 1 to ${LIMITS.name} characters`;

@InputType('PostInput', {
  description: 'A new post (`createPost`). `author`, `tags` and `categories` are names (or slugs); ones not known yet are created.',
})
export class PostInputType {
  @Field({ description: `The title, ${TITLE}; surrounding spaces are trimmed.` })
  title: string;

  @Field(() => String, {
    nullable: true,
    description:
      'The slug (made URL-safe as every slug is); BAD_USER_INPUT when another post has it, or had it (its old URL still leads to that post). ' +
      'Derived from the title when absent.',
  })
  slug?: string | null;

  @Field({ description: 'The body, Markdown; at most 1 MB (UTF-8). Rendered to `bodyHtml`, which is sanitized.' })
  bodyMarkdown: string;

  @Field(() => String, { nullable: true, description: `A plain-text teaser, ${EXCERPT}. Derived from the body when absent.` })
  excerpt?: string | null;

  @Field({ description: `Name (or slug) of the primary author, 1 to ${LIMITS.name} characters.` })
  author: string;

  @Field(() => [String], { defaultValue: [], description: `Tag names (or slugs), ${NAMES}.` })
  tags: string[];

  @Field(() => [String], { defaultValue: [], description: `Category names (or slugs), ${NAMES}.` })
  categories: string[];

  @Field(() => Date, { nullable: true, description: 'The date the post carries; `publishPost` makes it public.' })
  publishedAt?: Date | null;
}

@InputType('PostPatch', {
  description:
    'The fields of PostInput to change (`updatePost`), with the same limits. Absent fields stay as they are, and so do null ' +
    'ones, but for `excerpt` (derived from the body again) and `publishedAt` (cleared).',
})
export class PostPatchType {
  @Field(() => String, { nullable: true, description: `New title, ${TITLE}.` })
  title?: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'New slug; BAD_USER_INPUT when another post has it or had it. The old slug keeps leading here (`post(slug:)`, `redirect(path:)`) ' +
      'and no other post may take it; the post may take it back.',
  })
  slug?: string | null;

  @Field(() => String, { nullable: true, description: 'New Markdown body, at most 1 MB. Unless `excerpt` is given too, the excerpt is derived from it again.' })
  bodyMarkdown?: string | null;

  @Field(() => String, { nullable: true, description: `New plain-text teaser, ${EXCERPT}; null derives it from the body.` })
  excerpt?: string | null;

  @Field(() => String, { nullable: true, description: 'New primary author (name or slug); the other authors stay.' })
  author?: string | null;

  @Field(() => [String], { nullable: true, description: `The new tags, replacing all of them (\`[]\` removes every tag); ${NAMES}.` })
  tags?: string[] | null;

  @Field(() => [String], { nullable: true, description: `The new categories, replacing all of them (\`[]\` removes every category); ${NAMES}.` })
  categories?: string[] | null;

  @Field(() => Date, { nullable: true, description: 'New publication date (null clears it). On a published post, a future date schedules it again.' })
  publishedAt?: Date | null;
}

@InputType('MarkdownFileInput', { description: 'One Markdown file sent to `importMarkdown`, as it would be on disk.' })
export class MarkdownFileInput {
  @Field({ description: 'Where the file lives in the publication (e.g. `_posts/2024-05-01-hello.md`); identifies it on re-import.' })
  path: string;

  @Field({ description: "The file's text: YAML front matter between `---` lines, then the Markdown body." })
  content: string;
}
