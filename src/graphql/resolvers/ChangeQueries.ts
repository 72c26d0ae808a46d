import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, Info, Int, Query, Resolver } from 'type-graphql';
import { toGlobalId } from '../../services/shared';
import { MAX_CHANGES } from '../../services/sync';
import type { Context } from '../context';
import { postInclude } from '../post-include';
import { PostChangeFeed } from '../types/PostChangeFeed';
import type { PostChangeKind } from '../types/PostChangeKind';

@Resolver()
export class ChangeQueries {
  @Query(() => PostChangeFeed, {
    description:
      "The partners' delta sync: what changed in the public posts since `after`. With no `after`, an initial sync: every public " +
      'post once. Then UPSERT for each post that is public now and changed (or became public when its scheduled time came), ' +
      'DELETE for each that is no longer public (unpublished, deleted, sent back to draft). Entries come at least once, in ' +
      'the order they are to be applied, with the latest state; deletions are never lost. A cursor older than the change ' +
      'log Kiji keeps is refused with BAD_USER_INPUT and `extensions.reason` SYNC_CURSOR_EXPIRED: start over with no ' +
      '`after`. The feed is the public view whatever the key. Partner, editor and admin keys only (FORBIDDEN otherwise).',
  })
  async changes(
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
    @Arg('after', () => String, { nullable: true, description: 'The `cursor` of the last answer; absent or null for an initial sync.' })
    after?: string | null,
    @Arg('first', () => Int, { defaultValue: MAX_CHANGES, description: `At most this many entries (1 to ${MAX_CHANGES}).` }) first?: number,
  ): Promise<PostChangeFeed> {
    const page = await ctx.services.changes.page(ctx.viewer, { after, first }, ctx.loaders.read(postInclude(info, ['entries', 'post'])));
    return {
      ...page,
      entries: page.entries.map((entry) => ({ ...entry, kind: entry.kind as PostChangeKind, postId: toGlobalId('Post', entry.postId) })),
    };
  }
}
