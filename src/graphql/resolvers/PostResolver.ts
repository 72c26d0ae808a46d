import type { GraphQLResolveInfo } from 'graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { Arg, Args, Ctx, FieldResolver, ID, Info, Int, Resolver, Root } from 'type-graphql';
import { searchSnippet, snippetText } from '../../content/searchSnippet';
import type { Author, Category, Post as PostEntity, PostRevision as RevisionEntity, Tag } from '../../entities';
import { requireEditor } from '../../services/access';
import { toGlobalId } from '../../services/shared';
import { badInput } from '../../services/shared';
import { postStatus } from '../../services/posts/read';
import { STORED_NEIGHBOURS } from '../../services/related';
import type { Context } from '../context';
import { PostStatus } from '../types/enums';
import { NODE_ID_DESCRIPTION } from '../types/Node';
import { ConnectionArgs } from '../types/args';
import { ConnectionValue, toConnection } from '../types/connection';
import { Post, PostRevisionConnection, RelatedPost } from '../types/Post';
import { BodyColumn, FULL_POST, PostInclude } from '../../services/posts/read';
import { postInclude } from '../post-include';
import { ContentIssue, Heading } from '../types/Post';
import type { RelatedPostValue } from './RelatedPostResolver';
import type { CoverImageSource } from '../../content';
import type { SeoView } from '../../services/media';
import { Seo } from '../types/Seo';
import { CoverImage } from '../types/CoverImage';

/**
 * Reads read posts without the body columns the operation does not show (post-include.ts); one
 * asked for some other way (an interface fragment, a directive) is read here, batched.
 */
async function withBody(post: PostEntity, ctx: Context, column: BodyColumn): Promise<PostEntity> {
  if (post[column] !== undefined) return post;
  const full = await ctx.loaders.postById(FULL_POST).load(post.id);
  if (!full) throw new Error(`post ${post.id} vanished while being read`);
  return full;
}

const META: PostInclude = { meta: true };

/** The importer and the write path always give a post an author; a missing one is corruption. */
function firstAuthor(post: PostEntity, authors: Author[]): Author {
  if (!authors[0]) throw new Error(`post ${post.id} has no author`);
  return authors[0];
}

/** The same for the cover image and SEO columns (post-include.ts reads them when the operation shows them). */
async function withMeta(post: PostEntity, ctx: Context): Promise<PostEntity> {
  if (post.coverImage !== undefined) return post;
  const full = await ctx.loaders.postById(META).load(post.id);
  if (!full) throw new Error(`post ${post.id} vanished while being read`);
  return full;
}

/** Post's fields that are not plain columns: IDs, URL, status, and its relations (via loaders). */
@Resolver(() => Post)
export class PostResolver {
  @FieldResolver(() => ID, { description: NODE_ID_DESCRIPTION })
  id(@Root() post: PostEntity): string {
    return toGlobalId('Post', post.id);
  }

  @FieldResolver()
  url(@Root() post: PostEntity, @Ctx() ctx: Context): string {
    return ctx.services.postUrl(post.slug);
  }

  @FieldResolver(() => PostStatus)
  status(@Root() post: PostEntity, @Ctx() ctx: Context): PostStatus {
    return postStatus(post, ctx.services.clock.now()) as PostStatus;
  }

  @FieldResolver()
  author(@Root() post: PostEntity, @Ctx() ctx: Context): Author | Promise<Author> {
    const authors = ctx.loaders.authors.forPost(post.id);
    return Array.isArray(authors) ? firstAuthor(post, authors) : authors.then((read) => firstAuthor(post, read));
  }

  @FieldResolver()
  authors(@Root() post: PostEntity, @Ctx() ctx: Context): Author[] | Promise<Author[]> {
    return ctx.loaders.authors.forPost(post.id);
  }

  @FieldResolver()
  tags(@Root() post: PostEntity, @Ctx() ctx: Context): Tag[] | Promise<Tag[]> {
    return ctx.loaders.tags.forPost(post.id);
  }

  @FieldResolver()
  categories(@Root() post: PostEntity, @Ctx() ctx: Context): Category[] | Promise<Category[]> {
    return ctx.loaders.categories.forPost(post.id);
  }

  @FieldResolver(() => PostRevisionConnection, {
    description:
      "The post's history, newest first: one revision per change, `totalCount` of them. Editors and admins only " +
      '(UNAUTHENTICATED without a key, FORBIDDEN with a lesser one). Pages forwards only, with `first` and `after`.',
  })
  async revisions(@Root() post: PostEntity, @Ctx() ctx: Context, @Args() args: ConnectionArgs): Promise<ConnectionValue<RevisionEntity>> {
    requireEditor(ctx.viewer);
    const page = await ctx.loaders.revisionsOf.load({ postId: post.id, args: { first: args.first, after: args.after } });
    // Every change makes one revision and versions start at 1, so the count is the version.
    return toConnection(page, async () => post.version);
  }

  @FieldResolver(() => String)
  async bodyMarkdown(@Root() post: PostEntity, @Ctx() ctx: Context): Promise<string> {
    return (await withBody(post, ctx, 'bodyMarkdown')).bodyMarkdown;
  }

  @FieldResolver(() => String)
  async bodyHtml(@Root() post: PostEntity, @Ctx() ctx: Context): Promise<string> {
    return (await withBody(post, ctx, 'bodyHtml')).bodyHtml;
  }

  @FieldResolver(() => [Heading])
  async headings(@Root() post: PostEntity, @Ctx() ctx: Context): Promise<Heading[]> {
    return (await withBody(post, ctx, 'headings')).headings;
  }

  @FieldResolver(() => [ContentIssue])
  async contentIssues(@Root() post: PostEntity, @Ctx() ctx: Context): Promise<ContentIssue[]> {
    return (await withBody(post, ctx, 'contentIssues')).contentIssues;
  }

  @FieldResolver(() => GraphQLJSONObject)
  async frontMatter(@Root() post: PostEntity, @Ctx() ctx: Context): Promise<Record<string, unknown>> {
    return (await withBody(post, ctx, 'frontMatter')).frontMatter;
  }

  @FieldResolver(() => String, { nullable: true })
  async searchSnippet(@Root() post: PostEntity, @Ctx() ctx: Context): Promise<string | null> {
    const phrases = ctx.loaders.searchPhrasesOf(post.id);
    if (!phrases) return null;
    const { bodyMarkdown } = await withBody(post, ctx, 'bodyMarkdown');
    return searchSnippet(snippetText(bodyMarkdown), phrases) ?? searchSnippet(post.excerpt, phrases);
  }

  @FieldResolver(() => [RelatedPost])
  async related(
    @Root() post: PostEntity,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
    @Arg('first', () => Int, { defaultValue: 5, description: `How many related posts, 0 to ${STORED_NEIGHBOURS}; fewer when fewer are related.` }) first: number,
  ): Promise<RelatedPostValue[]> {
    if (first < 0 || first > STORED_NEIGHBOURS) {
      throw badInput(`\`first\` must be between 0 and ${STORED_NEIGHBOURS}; got ${first}`, { argument: 'first', limit: STORED_NEIGHBOURS });
    }
    const related = await ctx.loaders.relatedOf(postInclude(info, ['post'])).load({ postId: post.id, first });
    return related.map(({ post: other, score }) => ({ post: other, score, source: post }));
  }

  @FieldResolver(() => CoverImage, { nullable: true })
  async coverImage(@Root() post: PostEntity, @Ctx() ctx: Context): Promise<CoverImageSource | null> {
    return (await withMeta(post, ctx)).coverImage ?? null;
  }

  @FieldResolver(() => Seo)
  async seo(@Root() post: PostEntity, @Ctx() ctx: Context): Promise<SeoView> {
    const { seo, noindex, coverImage } = await withMeta(post, ctx);
    return ctx.services.presentation.seo({
      declared: seo,
      title: post.title,
      description: post.excerpt,
      url: ctx.services.postUrl(post.slug),
      image: coverImage?.src ?? null,
      // SQLite hands booleans back as 0 and 1.
      noindex: Boolean(noindex),
    });
  }
}
