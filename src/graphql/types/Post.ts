import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, Float, Int, ObjectType } from 'type-graphql';
import { Node } from './Node';
import { Author, Category, Tag } from './Term';
import { PostStatus } from './enums';
import { connectionType } from './connection';
import { PostRevision } from './PostRevision';
import { CoverImage } from './CoverImage';
import { Seo } from './Seo';

@ObjectType('Heading', { description: 'One entry of the outline of a post body: a Markdown heading, in body order.' })
export class Heading {
  @Field(() => Int, { description: 'Its level, 1 (`#`, `<h1>`) to 6 (`######`, `<h6>`).' })
  level: number;

  @Field({ description: 'Its text, without markup.' })
  text: string;

  @Field({ description: 'The `id` of the heading in `bodyHtml`.' })
  anchor: string;
}

@ObjectType('ContentIssue', { description: 'A repair the importer made or a problem content lint found.' })
export class ContentIssue {
  @Field({ description: 'Path of the file, as it was imported or given to `lintMarkdown`.' })
  file: string;

  @Field(() => Int, { description: 'Line of the file, from 1 (1 when the issue is about the whole file).' })
  line: number;

  @Field({
    description: 'What kind of issue, stable for programs: `END_MARKER`, `DUPLICATE_PARAGRAPH`, `SPLIT_SENTENCE`, `DATE_AMBIGUOUS`, `NO_TITLE`, …',
  })
  code: string;

  @Field({ description: 'What was found or done, in English, for people.' })
  message: string;
}

@ObjectType('Post', {
  implements: Node,
  description:
    'An article. Anonymous, reader and partner clients see published posts only; preview keys also drafts and scheduled ones; ' +
    'editors and admins also deleted ones (see `status`). A preview link shows its one post to anyone (`previewPost`).',
})
export class Post extends Node {
  @Field({
    description:
      'Unique, URL-safe name of the post, used in `url` and `post(slug:)`: the front matter `slug`, else the name part of a ' +
      '`YYYY-MM-DD-name.md` file, else the title (NFKC, lower case, letters and digits kept, `-` between words).',
  })
  slug: string;

  @Field({ description: 'Public address of the post (template from KIJI_POST_URL).' })
  url: string;

  @Field({ description: 'The title, plain text.' })
  title: string;

  @Field({
    description:
      'A plain-text teaser: the front matter `excerpt` (or the one an editor gave), else the opening sentences of the body, ' +
      'cut at a sentence end and under 160 characters.',
  })
  excerpt: string;

  @Field(() => Date, {
    nullable: true,
    description:
      'When the post became (or, when SCHEDULED, becomes) public. Null only for a post without a date, which only editors ' +
      'see: a draft, or an import whose date could not be read.',
  })
  publishedAt: Date | null;

  @Field(() => Date, { description: 'When the post was last changed (by an import that changed it, or a mutation).' })
  updatedAt: Date;

  @Field(() => Int, {
    description:
      'Minutes to read the body: the front matter `reading_time` when given, else an estimate of at least 1 (Japanese ' +
      'characters at 500 a minute plus other words at 230 a minute, rounded up).',
  })
  readingTimeMinutes: number;

  @Field({ description: '`ja`, `en`, or the front matter `lang`.' })
  language: string;

  @Field(() => PostStatus, {
    description:
      "Where the post is in its life, as of this request; always PUBLISHED for anyone but editors, admins and preview keys (DRAFT or SCHEDULED too), and for a preview link (`previewPost`) the previewed post's own status.",
  })
  status: PostStatus;

  @Field(() => Int, { description: 'Grows by one at every change; writes name the version they read (`expectedVersion`).' })
  version: number;

  @Field(() => Author, { description: 'The primary author: the first of `authors`.' })
  author: Author;

  @Field(() => [Author], { description: 'Every author of the post, the primary one first.' })
  authors: Author[];

  @Field(() => [Tag], { description: 'The tags, in the order the post lists them.' })
  tags: Tag[];

  @Field(() => [Category], { description: 'The categories, in the order the post lists them.' })
  categories: Category[];

  @Field({ description: "The body, Markdown, without front matter; as imported, after the importer's repairs (see `contentIssues`) and with Liquid tags resolved." })
  bodyMarkdown: string;

  @Field({ description: 'The body rendered to HTML, safe to insert in a page: raw HTML is sanitized to an allow-list, headings carry `id` anchors.' })
  bodyHtml: string;

  @Field(() => [Heading], { description: 'The outline of the body: its headings in order, with their anchors (for a table of contents).' })
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

  @Field(() => CoverImage, {
    nullable: true,
    description: "The cover image: the front matter's (`image`, `header.image`, `og_image`, `cover`, `thumbnail`, …), else the body's first image; null when neither.",
  })
  coverImage: CoverImage | null;

  @Field(() => Seo, {
    description:
      "What the post page's <head> needs: declared front matter (`seo.*`, `description`, `canonical_url`, `og_image`, `noindex`, " +
      '`sitemap: false`), else the title, the excerpt, the absolute post URL and the cover image.',
  })
  seo: Seo;
}

@ObjectType('RelatedPost', { description: 'A post related to another one, and why (`Post.related`).' })
export class RelatedPost {
  @Field(() => Post, { description: 'The related post, which you may see.' })
  post: Post;

  @Field(() => Float, {
    description: 'How related the two posts are, above 0; higher is closer. Comparable within one list; not a percentage, and not bounded by 1.',
  })
  score: number;

  @Field(() => [Tag], { description: 'Tags the two posts share.' })
  sharedTags: Tag[];
}

export const PostConnection = connectionType('Post', Post);
export const PostRevisionConnection = connectionType('PostRevision', PostRevision);
