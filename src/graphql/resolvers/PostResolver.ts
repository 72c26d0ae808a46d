import { Ctx, FieldResolver, ID, Resolver, Root } from 'type-graphql';
import type { Author, Category, Post as PostEntity, Tag } from '../../entities';
import { toGlobalId } from '../../services/cursor';
import { postStatus } from '../../services/post-status';
import type { Context } from '../context';
import { PostStatus } from '../types/enums';
import { Post } from '../types/Post';

/** Post's fields that are not plain columns: IDs, URL, status, and its relations (via loaders). */
@Resolver(() => Post)
export class PostResolver {
  @FieldResolver(() => ID)
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
  async author(@Root() post: PostEntity, @Ctx() ctx: Context): Promise<Author> {
    const authors = await ctx.loaders.authors.ofPost.load(post.id);
    // The importer and the write path always give a post an author; a missing one is corruption.
    if (!authors[0]) throw new Error(`post ${post.id} has no author`);
    return authors[0];
  }

  @FieldResolver()
  authors(@Root() post: PostEntity, @Ctx() ctx: Context): Promise<Author[]> {
    return ctx.loaders.authors.ofPost.load(post.id);
  }

  @FieldResolver()
  tags(@Root() post: PostEntity, @Ctx() ctx: Context): Promise<Tag[]> {
    return ctx.loaders.tags.ofPost.load(post.id);
  }

  @FieldResolver()
  categories(@Root() post: PostEntity, @Ctx() ctx: Context): Promise<Category[]> {
    return ctx.loaders.categories.ofPost.load(post.id);
  }
}
