import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Author as AuthorEntity, AuthorLink as AuthorLinkValue } from '../../entities';
import type { Context } from '../context';
import { AuthorLink } from '../types/AuthorLink';
import { Author } from '../types/Term';

/** What only authors have: a picture and addresses elsewhere. */
@Resolver(() => Author)
export class AuthorProfileResolver {
  @FieldResolver(() => String, {
    nullable: true,
    description: 'A picture of the author, absolute against KIJI_ASSET_URL (else KIJI_SITE_URL) when it is a path on the site; null when none is known.',
  })
  avatarUrl(@Root() author: AuthorEntity, @Ctx() ctx: Context): string | null {
    return author.avatarUrl ? ctx.services.presentation.assetUrl(author.avatarUrl) : null;
  }

  @FieldResolver(() => [AuthorLink], { description: "The author's website, social accounts and other addresses, in the order the profile gives them; empty when none." })
  links(@Root() author: AuthorEntity): AuthorLinkValue[] {
    return linksOf(author.links);
  }
}

/**
 * An author's links as stored. Read together with a post, the author comes inside the post's
 * row as JSON (post-rows.ts), where this column is its own JSON text, so it is read here.
 */
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
