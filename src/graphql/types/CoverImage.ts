import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType('CoverImage', {
  description:
    "A post's cover image: the front matter's (`image`, `image.path`/`feature`/`url`, minimal-mistakes' `header.image`, " +
    "`og_image`, `cover`, `thumbnail`, with `image_alt` or the object's `alt`), else the first image of the body.",
})
export class CoverImage {
  @Field({
    description:
      'Its address, absolute against KIJI_ASSET_URL (else KIJI_SITE_URL; as the source wrote it when neither is set). With `width` ' +
      'and an image CDN template (KIJI_IMAGE_URL), the CDN address of that size; without a template (or for an image on another host ' +
      'when the template only has `{path}`), `width` gives the original address.',
  })
  url: string;

  @Field(() => String, { nullable: true, description: 'Its alternative text, as the source gives it; null when it gives none.' })
  alt: string | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Its intrinsic width in pixels, read from the file when the import was given an assets folder (`kiji import --assets`); else null.',
  })
  width: number | null;

  @Field(() => Int, { nullable: true, description: 'Its intrinsic height in pixels, as `width`.' })
  height: number | null;

  @Field(() => String, {
    nullable: true,
    description:
      'An `srcset` of CDN sizes (`<url> 320w, <url> 640w, …`) for `<img srcset>`; widths above the intrinsic width are left out ' +
      '(that width itself stands in for them). Null without an image CDN template (KIJI_IMAGE_URL) that can serve this image.',
  })
  srcset: string | null;
}
