import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, Info, Query, Resolver } from 'type-graphql';
import { MAX_REDIRECT_INPUT } from '../../services/redirects';
import { badInput, requirePlainText } from '../../services/shared';
import type { Context } from '../context';
import { postInclude } from '../post-include';
import { Redirect } from '../types/Redirect';

@Resolver()
export class RedirectQueries {
  @Query(() => Redirect, {
    nullable: true,
    description:
      "Where an old address of a post leads: a path of a post's `redirect_from`, or the URL (under KIJI_POST_URL) of a slug a " +
      "post had before it was renamed. Null when the address needs no redirect (Kiji knows no post by it, or it is a post's " +
      'current URL) or leads to a post you may not see. A public read, cached like any other.',
  })
  async redirect(
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
    @Arg('path', {
      description:
        `A path on the site (\`/2015/05/21/old-name/\`), or a full URL on it (KIJI_SITE_URL, whose path prefix is removed); ` +
        `its query and fragment are ignored (but for a KIJI_POST_URL that puts the slug in the query), trailing \`/\`, \`index.html\` ` +
        `and percent-encoding do not matter. At most ${MAX_REDIRECT_INPUT} characters.`,
    })
    path: string,
  ): Promise<Redirect | null> {
    requirePlainText(path, 'path');
    if (path.length > MAX_REDIRECT_INPUT) throw badInput(`\`path\` is over ${MAX_REDIRECT_INPUT} characters`, { argument: 'path', limit: MAX_REDIRECT_INPUT });
    const target = await ctx.loaders.redirectOf.load(path);
    if (!target) return null;
    // Read as `post(id:)` reads it, so a draft's or deleted post's old addresses stay hidden from readers.
    const post = await ctx.loaders.postById(postInclude(info, ['post'])).load(target.postId);
    if (!post) return null;
    return { ...ctx.services.redirects.answer(post.slug), post };
  }
}
