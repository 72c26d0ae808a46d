import { Field, ObjectType } from 'type-graphql';

@ObjectType('Seo', {
  description:
    "What a page's <head> needs for search engines and link previews: what the source declares (front matter `description`, " +
    '`seo.*`, `canonical_url`, `noindex`, `sitemap: false`), else what Kiji knows (title, excerpt or description, the public URL).',
})
export class Seo {
  @Field({ description: 'The `<title>` and `og:title`: a declared SEO title, else the title or name.' })
  title: string;

  @Field({ description: 'The meta description and `og:description`: a declared description, else the excerpt (or description, or bio); may be empty.' })
  description: string;

  @Field({ description: 'The canonical address: a declared `canonical_url`, else the absolute public URL (KIJI_SITE_URL, else as the URL template gives it).' })
  canonicalUrl: string;

  @Field(() => String, {
    nullable: true,
    description: 'The `og:image`: a declared one, else the cover image (or avatar); absolute where KIJI_SITE_URL or KIJI_ASSET_URL is set; null when none.',
  })
  ogImage: string | null;

  @Field({ description: 'Whether search engines should not index it (`noindex: true` or `sitemap: false`); such posts are left out of the sitemap.' })
  noindex: boolean;
}
