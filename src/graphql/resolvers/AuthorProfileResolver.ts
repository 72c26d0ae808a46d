import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Author as AuthorEntity, AuthorLink as AuthorLinkValue } from '../../entities';
import type { Context } from '../context';
import { withProfile } from '../term-profile';
import { AuthorLink } from '../types/AuthorLink';
import { Author } from '../types/Term';

/** What only authors have: a picture and addresses elsewhere. */
@Resolver(() => Author)
export class AuthorProfileResolver {
  @FieldResolver(() => String, {
    nullable: true,
    description: 'A picture of the author, absolute against KIJI_ASSET_URL (else KIJI_SITE_URL) when it is a path on the site; null when none is known.',
  })
  async avatarUrl(@Root() shown: AuthorEntity, @Ctx() ctx: Context): Promise<string | null> {
    const author = await withProfile(shown, 'authors', ctx);
    return author.avatarUrl ? ctx.services.presentation.assetUrl(author.avatarUrl) : null;
  }

  @FieldResolver(() => [AuthorLink], { description: "The author's website, social accounts and other addresses, in the order the profile gives them; empty when none." })
  async links(@Root() shown: AuthorEntity, @Ctx() ctx: Context): Promise<AuthorLinkValue[]> {
    // Read whole (never inside a post's row, post-rows.ts PROFILE_COLUMNS), so TypeORM has parsed the JSON column.
    return (await withProfile(shown, 'authors', ctx)).links ?? [];
  }
}
