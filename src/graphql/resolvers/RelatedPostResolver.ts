import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Post, Tag } from '../../entities';
import type { Context } from '../context';
import { RelatedPost } from '../types/Post';

export interface RelatedPostValue {
  post: Post;
  score: number;
  /** The post whose related list this is. */
  source: Post;
}

@Resolver(() => RelatedPost)
export class RelatedPostResolver {
  /** The tags both posts carry, in the related post's order (both lists come from one loader). */
  @FieldResolver()
  async sharedTags(@Root() related: RelatedPostValue, @Ctx() ctx: Context): Promise<Tag[]> {
    const [mine, theirs] = await ctx.loaders.tags.ofPost.loadMany([related.source.id, related.post.id]);
    if (mine instanceof Error) throw mine;
    if (theirs instanceof Error) throw theirs;
    const own = new Set(mine.map((t) => t.id));
    return theirs.filter((t) => own.has(t.id));
  }
}
