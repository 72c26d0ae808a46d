import { Arg, Ctx, ID, Int, Mutation, Resolver } from 'type-graphql';
import type { Post as PostEntity } from '../../entities';
import { fromGlobalId } from '../../services/shared';
import { badInput } from '../../services/shared';
import type { ImportSummary as Summary } from '../../services/import';
import { MAX_SENT_FILES, sourcesFromSentFiles } from '../../services/import';
import { requireEditor } from '../../services/access';
import type { Context } from '../context';
import { ImportSummary } from '../types/ImportSummary';
import { MarkdownFileInput, PostInputType, PostPatchType } from '../types/inputs';
import { Post } from '../types/Post';

/** Post ids in mutations are global IDs of posts. */
function postId(id: string, argument = 'id'): number {
  const ref = fromGlobalId(id, argument);
  if (ref.type !== 'Post') throw badInput(`\`${argument}\` is not the ID of a post`, { argument });
  return ref.id;
}

/** Editors' writes; each returns the post as stored. Authorization and rules live in PostWriter. */
@Resolver()
export class PostMutations {
  @Mutation(() => Post, { description: 'Creates a draft.' })
  createPost(@Arg('input', () => PostInputType) input: PostInputType, @Ctx() ctx: Context): Promise<PostEntity> {
    return ctx.services.writer.create(ctx.viewer, input);
  }

  @Mutation(() => Post, { description: 'CONFLICT (with extensions.currentVersion) when expectedVersion is not the current one.' })
  updatePost(
    @Arg('id', () => ID) id: string,
    @Arg('expectedVersion', () => Int) expectedVersion: number,
    @Arg('input', () => PostPatchType) input: PostPatchType,
    @Ctx() ctx: Context,
  ): Promise<PostEntity> {
    return ctx.services.writer.update(ctx.viewer, postId(id), expectedVersion, input);
  }

  @Mutation(() => Post, { description: 'Publishes now, or schedules for `at`.' })
  publishPost(@Arg('id', () => ID) id: string, @Arg('at', () => Date, { nullable: true }) at: Date | null, @Ctx() ctx: Context): Promise<PostEntity> {
    return ctx.services.writer.publish(ctx.viewer, postId(id), at ?? null);
  }

  @Mutation(() => Post, { description: 'Back to draft.' })
  unpublishPost(@Arg('id', () => ID) id: string, @Arg('expectedVersion', () => Int) expectedVersion: number, @Ctx() ctx: Context): Promise<PostEntity> {
    return ctx.services.writer.unpublish(ctx.viewer, postId(id), expectedVersion);
  }

  @Mutation(() => Post, { description: 'Soft delete: hidden from readers, restorable with restorePost.' })
  deletePost(@Arg('id', () => ID) id: string, @Arg('expectedVersion', () => Int) expectedVersion: number, @Ctx() ctx: Context): Promise<PostEntity> {
    return ctx.services.writer.delete(ctx.viewer, postId(id), expectedVersion);
  }

  @Mutation(() => Post)
  restorePost(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<PostEntity> {
    return ctx.services.writer.restore(ctx.viewer, postId(id));
  }

  @Mutation(() => Post, { description: 'Makes the content what it was at a revision, as a new revision.' })
  restoreRevision(
    @Arg('postId', () => ID) id: string,
    @Arg('revisionId', () => ID) revisionId: string,
    @Arg('expectedVersion', () => Int) expectedVersion: number,
    @Ctx() ctx: Context,
  ): Promise<PostEntity> {
    const revision = fromGlobalId(revisionId, 'revisionId');
    if (revision.type !== 'PostRevision') throw badInput('`revisionId` is not the ID of a revision', { argument: 'revisionId' });
    return ctx.services.writer.restoreRevision(ctx.viewer, postId(id, 'postId'), revision.id, expectedVersion);
  }

  @Mutation(() => ImportSummary, { description: `Imports Markdown files as \`kiji import\` does; at most ${MAX_SENT_FILES} files.` })
  async importMarkdown(@Arg('files', () => [MarkdownFileInput]) files: MarkdownFileInput[], @Ctx() ctx: Context): Promise<Summary> {
    requireEditor(ctx.viewer);
    return ctx.services.importer.importSources(sourcesFromSentFiles(files));
  }
}
