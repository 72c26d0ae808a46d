import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import { fromGlobalId } from '../../services/shared';
import type { Context } from '../context';
import { Node } from '../types/Node';

@Resolver()
export class NodeQueries {
  @Query(() => Node, { nullable: true, description: 'Any object by its global ID; null when there is none you may see.' })
  async node(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<object | null> {
    const ref = fromGlobalId(id);
    switch (ref.type) {
      case 'Post':
        return ctx.loaders.postById().load(ref.id);
      case 'Author':
        return ctx.loaders.authors.byId.load(ref.id);
      case 'Tag':
        return ctx.loaders.tags.byId.load(ref.id);
      case 'Category':
        return ctx.loaders.categories.byId.load(ref.id);
      case 'PostRevision':
        return null; // revisions are reached through Post.revisions, for editors
    }
  }
}
