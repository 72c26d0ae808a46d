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

/* Descriptions of the arguments every write shares. */
const POST_ID = 'Global ID of the post (its `id`); BAD_USER_INPUT when it is not the ID of a post, NOT_FOUND when there is no such post.';
const EXPECTED_VERSION = 'The `version` of the post you read; CONFLICT (with `extensions.currentVersion`) when the post has changed since, and nothing is written.';
const EDITORS = 'Editors and admins only.';

/** Editors' writes; each returns the post as stored. Authorization and rules live in PostWriter. */
@Resolver()
export class PostMutations {
  @Mutation(() => Post, { description: `Creates a post as a DRAFT (publish it with \`publishPost\`); version 1, one revision. ${EDITORS}` })
  createPost(@Arg('input', () => PostInputType, { description: 'The new post.' }) input: PostInputType, @Ctx() ctx: Context): Promise<PostEntity> {
    return ctx.services.writer.create(ctx.viewer, input);
  }

  @Mutation(() => Post, {
    description: `Changes some of a post's fields, as a new revision; CONFLICT (with extensions.currentVersion) when expectedVersion is not the current one. ${EDITORS}`,
  })
  updatePost(
    @Arg('id', () => ID, { description: POST_ID }) id: string,
    @Arg('expectedVersion', () => Int, { description: EXPECTED_VERSION }) expectedVersion: number,
    @Arg('input', () => PostPatchType, { description: 'The fields to change.' }) input: PostPatchType,
    @Ctx() ctx: Context,
  ): Promise<PostEntity> {
    return ctx.services.writer.update(ctx.viewer, postId(id), expectedVersion, input);
  }

  @Mutation(() => Post, {
    description: `Publishes a post now, or schedules it for \`at\` (it becomes public by itself then). A deleted post must be restored first (CONFLICT). ${EDITORS}`,
  })
  publishPost(
    @Arg('id', () => ID, { description: POST_ID }) id: string,
    @Arg('at', () => Date, { nullable: true, description: 'When the post becomes public; now when absent. A past instant publishes it now, dated then.' })
    at: Date | null,
    @Ctx() ctx: Context,
  ): Promise<PostEntity> {
    return ctx.services.writer.publish(ctx.viewer, postId(id), at ?? null);
  }

  @Mutation(() => Post, { description: `Takes a published or scheduled post back to DRAFT; its \`publishedAt\` is kept. ${EDITORS}` })
  unpublishPost(
    @Arg('id', () => ID, { description: POST_ID }) id: string,
    @Arg('expectedVersion', () => Int, { description: EXPECTED_VERSION }) expectedVersion: number,
    @Ctx() ctx: Context,
  ): Promise<PostEntity> {
    return ctx.services.writer.unpublish(ctx.viewer, postId(id), expectedVersion);
  }

  @Mutation(() => Post, { description: `Soft delete: the post becomes DELETED, hidden from everyone but editors and admins, restorable with \`restorePost\`. ${EDITORS}` })
  deletePost(
    @Arg('id', () => ID, { description: POST_ID }) id: string,
    @Arg('expectedVersion', () => Int, { description: EXPECTED_VERSION }) expectedVersion: number,
    @Ctx() ctx: Context,
  ): Promise<PostEntity> {
    return ctx.services.writer.delete(ctx.viewer, postId(id), expectedVersion);
  }

  @Mutation(() => Post, { description: `Undoes \`deletePost\`: the post gets back the status it had before. ${EDITORS}` })
  restorePost(@Arg('id', () => ID, { description: POST_ID }) id: string, @Ctx() ctx: Context): Promise<PostEntity> {
    return ctx.services.writer.restore(ctx.viewer, postId(id));
  }

  @Mutation(() => Post, {
    description: `Makes the post's content (title, slug, body, excerpt, date, authors, tags, categories) what it was at a revision, as a new revision; its status stays. ${EDITORS}`,
  })
  restoreRevision(
    @Arg('postId', () => ID, { description: POST_ID }) id: string,
    @Arg('revisionId', () => ID, { description: "Global ID of one of the post's revisions (`PostRevision.id`); NOT_FOUND when it is another post's." })
    revisionId: string,
    @Arg('expectedVersion', () => Int, { description: EXPECTED_VERSION }) expectedVersion: number,
    @Ctx() ctx: Context,
  ): Promise<PostEntity> {
    const revision = fromGlobalId(revisionId, 'revisionId');
    if (revision.type !== 'PostRevision') throw badInput('`revisionId` is not the ID of a revision', { argument: 'revisionId' });
    return ctx.services.writer.restoreRevision(ctx.viewer, postId(id, 'postId'), revision.id, expectedVersion);
  }

  @Mutation(() => ImportSummary, {
    description: `Imports Markdown files as \`kiji import\` does: each file on its own, a bad one reported in \`failed\` while the others go on. ${EDITORS}`,
  })
  async importMarkdown(
    @Arg('files', () => [MarkdownFileInput], { description: `The files, at most ${MAX_SENT_FILES}.` }) files: MarkdownFileInput[],
    @Ctx() ctx: Context,
  ): Promise<Summary> {
    requireEditor(ctx.viewer);
    return ctx.services.importer.importSources(sourcesFromSentFiles(files));
  }
}
