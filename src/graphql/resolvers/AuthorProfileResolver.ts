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
    return linksOf((await withProfile(shown, 'authors', ctx)).links);
  }
}

/** An author's links as stored (a list, or JSON text where a driver hands the column back unparsed). */
function linksOf(value: AuthorLinkValue[] | string | null | undefined): AuthorLinkValue[] {
  let list: unknown = value;
  if (typeof value === 'string') {
    try {
      list = JSON.parse(value);
    } catch {
      return [];
    }
  }
  const isLink = (l: unknown): l is AuthorLinkValue => typeof (l as AuthorLinkValue | null)?.kind === 'string' && typeof (l as AuthorLinkValue).url === 'string';
  return Array.isArray(list) ? list.filter(isLink) : [];
}
