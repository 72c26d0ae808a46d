import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import type { CoverImageSource } from '../../content';
import { DEFAULT_SRCSET_WIDTHS, MAX_IMAGE_WIDTH, MAX_SRCSET_WIDTHS } from '../../services/media';
import type { Context } from '../context';
import { CoverImage } from '../types/CoverImage';

/** A cover image as stored (src, alt, width, height); addresses are made when read, by Presentation from the settings. */
@Resolver(() => CoverImage)
export class CoverImageResolver {
  @FieldResolver(() => String)
  url(
    @Root() image: CoverImageSource,
    @Ctx() ctx: Context,
    @Arg('width', () => Int, {
      nullable: true,
      description: `The width wanted, 1 to ${MAX_IMAGE_WIDTH} pixels, through the image CDN (KIJI_IMAGE_URL); without one, ignored.`,
    })
    width: number | null,
  ): string {
    return ctx.services.presentation.coverUrl(image.src, width ?? null);
  }

  @FieldResolver(() => String, { nullable: true })
  srcset(
    @Root() image: CoverImageSource,
    @Ctx() ctx: Context,
    @Arg('widths', () => [Int], {
      nullable: true,
      description: `The sizes, 1 to ${MAX_IMAGE_WIDTH} pixels each, at most ${MAX_SRCSET_WIDTHS}; default ${DEFAULT_SRCSET_WIDTHS.join(', ')}.`,
    })
    widths: number[] | null,
  ): string | null {
    return ctx.services.presentation.srcset(image, widths ?? null);
  }
}
