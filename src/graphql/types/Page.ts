import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { connectionType } from './connection';
import { CoverImage } from './CoverImage';
import { Node } from './Node';
import { Heading } from './Post';
import { Seo } from './Seo';

export enum PageStatus {
  PUBLISHED = 'PUBLISHED',
  DRAFT = 'DRAFT',
}

registerEnumType(PageStatus, {
  name: 'PageStatus',
  description: 'Whether a page is public: PUBLISHED, or DRAFT (`published: false` in its front matter), which only editors, admins and preview keys see.',
  valuesConfig: {
    PUBLISHED: { description: 'Everyone sees it.' },
    DRAFT: { description: 'Only editors, admins and preview keys see it.' },
  },
});

@ObjectType('Page', {
  implements: Node,
  description:
    'A page of the site that is not a post (About, Contact): a Jekyll file outside `_posts` with `layout: page`, or one in a `pages/` ' +
    'or `_pages/` folder, imported with the posts (`kiji import`). Never in `posts`, feeds, search, related lists, the change feed or webhooks.',
})
export class Page extends Node {
  @Field({
    description: 'Unique, URL-safe name of the page, used in `page(slug:)`: the front matter `slug`, else the file name (`about.md` → `about`), else the title.',
  })
  slug: string;

  @Field({ description: "Public address of the page: the front matter's `permalink` when it is a plain path, else the KIJI_PAGE_URL template (`/{slug}` by default)." })
  url: string;

  @Field({ description: 'The title, plain text.' })
  title: string;

  @Field({ description: 'A plain-text teaser: the front matter `excerpt`, else the opening sentences of the body, under 160 characters.' })
  excerpt: string;

  @Field({ description: "The body, Markdown, without front matter; after the importer's repairs and with Liquid tags resolved." })
  bodyMarkdown: string;

  @Field({ description: 'The body rendered to HTML, safe to insert in a page: raw HTML is sanitized to an allow-list, headings carry `id` anchors.' })
  bodyHtml: string;

  @Field(() => [Heading], { description: 'The outline of the body: its headings in order, with their anchors.' })
  headings: Heading[];

  @Field(() => Date, { description: 'When an import last changed the page.' })
  updatedAt: Date;

  @Field({ description: '`ja`, `en`, or the front matter `lang`.' })
  language: string;

  @Field(() => PageStatus, { description: 'PUBLISHED, or DRAFT (only editors, admins and preview keys see drafts).' })
  status: PageStatus;

  @Field(() => GraphQLJSONObject, { description: 'Front-matter keys Kiji does not map to a field (layout, permalink, menu order, …), as the source file had them.' })
  frontMatter: Record<string, unknown>;

  @Field(() => CoverImage, { nullable: true, description: "The cover image: the front matter's, else the body's first image; null when neither." })
  coverImage: CoverImage | null;

  @Field(() => Seo, {
    description:
      "What the page's <head> needs: declared front matter (`seo.*`, `description`, `canonical_url`, `noindex`, …), else the title, the excerpt, the absolute page URL and the cover image.",
  })
  seo: Seo;
}

export const PageConnection = connectionType('Page', Page);
