import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, ClassType, Ctx, FieldResolver, ID, Info, Int, Query, Resolver, Root } from 'type-graphql';
import type { Author as AuthorEntity, Post as PostEntity } from '../../entities';
import { badInput, NodeType, toGlobalId } from '../../services/shared';
import type { Page } from '../../services/shared';
import type { PostOrderKey } from '../../services/posts/read';
import type { PostParent } from '../../services/posts/read';
import type { Term } from '../../services/terms';
import type { Context } from '../context';
import { withProfile } from '../term-profile';
import { ConnectionArgs } from '../types/args';
import { ConnectionValue, toConnection } from '../types/connection';
import { PostOrder } from '../types/enums';
import { PostConnection } from '../types/Post';
import { Author, AuthorConnection, Category, CategoryConnection, Tag, TagConnection } from '../types/Term';
import { Seo } from '../types/Seo';
import type { SeoView } from '../../services/media';
import { postInclude } from '../post-include';
import { ID_ARGUMENT, lookupBySlugOrId, SLUG_ARGUMENT, slugOrId } from './lookup';
import { termPostsAhead } from '../term-page-ahead';
import { NODE_ID_DESCRIPTION } from '../types/Node';
import { DEFAULT_TERM_URL_TEMPLATES } from '../../config';

/*
 * Author, Tag and Category resolve the same way: one factory builds each kind's field resolver
 * and root queries, so the three cannot drift apart.
 */

interface TermKind {
  parent: PostParent;
  typeName: Extract<NodeType, 'Author' | 'Tag' | 'Category'>;
  plural: 'authors' | 'tags' | 'categories';
  /** Plural display name for descriptions. */
  pluralName: string;
  objectType: ClassType;
  connectionType: ClassType;
}

const KINDS: TermKind[] = [
  { parent: 'author', typeName: 'Author', plural: 'authors', pluralName: 'Authors', objectType: Author, connectionType: AuthorConnection },
  { parent: 'tag', typeName: 'Tag', plural: 'tags', pluralName: 'Tags', objectType: Tag, connectionType: TagConnection },
  { parent: 'category', typeName: 'Category', plural: 'categories', pluralName: 'Categories', objectType: Category, connectionType: CategoryConnection },
];

/** A term's fields: id, postCount and posts (through the per-request loaders). */
function termFieldResolver(kind: TermKind) {
  @Resolver(() => kind.objectType)
  class TermFieldResolver {
    @FieldResolver(() => ID, { description: NODE_ID_DESCRIPTION })
    id(@Root() term: Term): string {
      return toGlobalId(kind.typeName, term.id);
    }

    @FieldResolver(() => Int, {
      description: `How many published posts the ${kind.parent} has, the same for every viewer (editors too): \`posts\` lists them.`,
    })
    postCount(@Root() term: Term, @Ctx() ctx: Context): Promise<number> {
      return ctx.loaders.postCountOf.load({ parent: kind.parent, id: term.id });
    }

    @FieldResolver(() => String, {
      description:
        `The ${kind.parent}'s public page, from its template (KIJI_${kind.parent.toUpperCase()}_URL, \`${DEFAULT_TERM_URL_TEMPLATES[kind.parent]}\` by default), ` +
        'absolute against KIJI_SITE_URL when that is set; feeds and the sitemap link to the same page.',
    })
    url(@Root() term: Term, @Ctx() ctx: Context): string {
      return termPageUrl(kind, term, ctx);
    }

    @FieldResolver(() => Seo, {
      description:
        `What the ${kind.parent}'s page needs in its <head>: the name as title, the ${kind.parent === 'author' ? 'bio' : 'description'} (or "") as description, ` +
        `its \`url\` as canonical URL${kind.parent === 'author' ? ', the avatar as image' : ', no image'}; never noindex.`,
    })
    async seo(@Root() shown: Term, @Ctx() ctx: Context): Promise<SeoView> {
      const term = await withProfile(shown, kind.plural, ctx);
      const author = kind.parent === 'author' ? (term as AuthorEntity) : null;
      const about = author ? author.bio : (term as Exclude<Term, AuthorEntity>).description;
      const image = author?.avatarUrl ?? null;
      return ctx.services.presentation.seo({ declared: null, title: term.name, description: about ?? '', url: termPageUrl(kind, term, ctx), image, noindex: false });
    }

    @FieldResolver(() => PostConnection, { description: `The ${kind.parent}'s published posts, a page at a time (drafts are not listed here, even for editors).` })
    async posts(
      @Root() term: Term,
      @Ctx() ctx: Context,
      @Info() info: GraphQLResolveInfo,
      @Args() args: ConnectionArgs,
      @Arg('orderBy', () => PostOrder, { defaultValue: PostOrder.NEWEST, description: 'The order of the posts (RELEVANCE needs a search, so it is refused here).' })
      orderBy: PostOrder = PostOrder.NEWEST,
    ): Promise<ConnectionValue<PostEntity>> {
      // Only `posts(filter: { query })` searches, so there is no relevance to order by here.
      if (orderBy === PostOrder.RELEVANCE) throw badInput('`orderBy: RELEVANCE` needs a search: use `posts(filter: { query })`', { argument: 'orderBy' });
      const order = orderBy as PostOrderKey;
      const include = postInclude(info, ['edges', 'node']);
      const page = await ctx.loaders.postsOf.load({ parent: kind.parent, id: term.id, order, args: { ...args }, include });
      return toConnection(page, () => ctx.loaders.postCountOf.load({ parent: kind.parent, id: term.id }));
    }
  }
  return TermFieldResolver;
}

/** The term's public page, absolute when KIJI_SITE_URL is set. */
function termPageUrl(kind: TermKind, term: Term, ctx: Context): string {
  return ctx.services.presentation.pageUrl(ctx.services.termUrl(kind.parent, term.slug));
}

/** `author(slug | id)` and `authors(first, after, last, before)`, and the same for tags and categories. */
function termQueries(kind: TermKind) {
  const single = kind.parent;
  @Resolver()
  class TermQueries {
    @Query(() => kind.objectType, {
      name: single,
      nullable: true,
      description: `One ${single} by slug or by ID (give exactly one; BAD_USER_INPUT otherwise); null when there is none you may see.`,
    })
    async one(
      @Ctx() ctx: Context,
      @Info() info: GraphQLResolveInfo,
      @Arg('slug', () => String, { nullable: true, description: SLUG_ARGUMENT }) slug?: string | null,
      @Arg('id', () => ID, { nullable: true, description: ID_ARGUMENT }) id?: string | null,
    ): Promise<Term | null> {
      // A term page (the term and its first posts) by slug is one statement.
      const given = slugOrId(slug, id);
      const ahead = 'slug' in given ? termPostsAhead(info) : null;
      if (ahead && 'slug' in given) return ctx.loaders.termWithPosts(kind.parent, given.slug, ahead);
      return lookupBySlugOrId<Term>(slug, id, kind.typeName, ctx.loaders[kind.plural]);
    }

    @Query(() => kind.connectionType, { name: kind.plural, description: `${kind.pluralName} you may see, in slug order, a page at a time.` })
    async many(@Ctx() ctx: Context, @Args() args: ConnectionArgs): Promise<ConnectionValue<Term>> {
      const reader = ctx.services[kind.plural];
      const page = (await reader.page(ctx.viewer, args)) as Page<Term>;
      for (const term of page.rows) ctx.loaders[kind.plural].byId.prime(term.id, term as never);
      return toConnection<Term>(page, () => reader.count(ctx.viewer));
    }
  }
  return TermQueries;
}

/** Each kind's root queries and field resolver (the authors' own fields: AuthorProfileResolver.ts). */
export const TERM_RESOLVERS = KINDS.flatMap((kind) => [termQueries(kind), termFieldResolver(kind)]);
