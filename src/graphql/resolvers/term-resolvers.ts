import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, ClassType, Ctx, FieldResolver, ID, Info, Int, Query, Resolver, Root } from 'type-graphql';
import type { Post as PostEntity } from '../../entities';
import { NodeType, toGlobalId } from '../../services/shared';
import type { Page } from '../../services/shared';
import type { PostOrderKey } from '../../services/posts/read';
import type { PostParent } from '../../services/posts/read';
import type { Term } from '../../services/terms';
import type { Context } from '../context';
import { ConnectionArgs } from '../types/args';
import { ConnectionValue, toConnection } from '../types/connection';
import { PostOrder } from '../types/enums';
import { PostConnection } from '../types/Post';
import { postInclude } from '../post-include';
import { lookupBySlugOrId } from './lookup';

/*
 * Author, Tag and Category resolve the same way; these factories build each type's field
 * resolver and root queries so the three cannot drift apart.
 */

export interface TermKind {
  parent: PostParent;
  typeName: Extract<NodeType, 'Author' | 'Tag' | 'Category'>;
  plural: 'authors' | 'tags' | 'categories';
  /** Plural display name for descriptions. */
  pluralName: string;
}

export function termFieldResolver(objectType: ClassType, kind: TermKind) {
  @Resolver(() => objectType)
  class TermFieldResolver {
    @FieldResolver(() => ID)
    id(@Root() term: Term): string {
      return toGlobalId(kind.typeName, term.id);
    }

    @FieldResolver(() => Int)
    postCount(@Root() term: Term, @Ctx() ctx: Context): Promise<number> {
      return ctx.loaders.postCountOf.load({ parent: kind.parent, id: term.id });
    }

    @FieldResolver(() => PostConnection)
    async posts(
      @Root() term: Term,
      @Ctx() ctx: Context,
      @Info() info: GraphQLResolveInfo,
      @Args() args: ConnectionArgs,
      @Arg('orderBy', () => PostOrder, { defaultValue: PostOrder.NEWEST }) orderBy: PostOrder = PostOrder.NEWEST,
    ): Promise<ConnectionValue<PostEntity>> {
      const order = orderBy as PostOrderKey;
      const include = postInclude(info, ['edges', 'node']);
      const page = await ctx.loaders.postsOf.load({ parent: kind.parent, id: term.id, order, args: { ...args }, include });
      return toConnection(page, () => ctx.loaders.postCountOf.load({ parent: kind.parent, id: term.id }));
    }
  }
  return TermFieldResolver;
}

export function termQueries(objectType: ClassType, connectionType: ClassType, kind: TermKind) {
  const single = kind.parent;
  @Resolver()
  class TermQueries {
    @Query(() => objectType, { name: single, nullable: true, description: `One ${single} by slug or by ID; null when there is none you may see.` })
    async one(
      @Ctx() ctx: Context,
      @Arg('slug', () => String, { nullable: true }) slug?: string | null,
      @Arg('id', () => ID, { nullable: true }) id?: string | null,
    ): Promise<Term | null> {
      // The three loader sets differ only in their term type, which DataLoader's variance cannot express.
      return lookupBySlugOrId<Term>(slug, id, kind.typeName, ctx.loaders[kind.plural] as never);
    }

    @Query(() => connectionType, { name: kind.plural, description: `${kind.pluralName} in slug order.` })
    async many(@Ctx() ctx: Context, @Args() args: ConnectionArgs): Promise<ConnectionValue<Term>> {
      const reader = ctx.services[kind.plural];
      const page = (await reader.page(ctx.viewer, args)) as Page<Term>;
      for (const term of page.rows) ctx.loaders[kind.plural].byId.prime(term.id, term as never);
      return toConnection<Term>(page, () => reader.count(ctx.viewer));
    }
  }
  return TermQueries;
}
