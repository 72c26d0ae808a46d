import { Ctx, FieldResolver, ID, Resolver, Root } from 'type-graphql';
import type { PostRevision as RevisionEntity } from '../../entities';
import { toGlobalId } from '../../services/shared';
import { postStatus } from '../../services/posts/read';
import type { Context } from '../context';
import { PostStatus } from '../types/enums';
import { NODE_ID_DESCRIPTION } from '../types/Node';
import { PostRevision, RevisionActor } from '../types/PostRevision';

/** A revision's fields come from its snapshot; its status is what the post's was at that time. */
@Resolver(() => PostRevision)
export class PostRevisionResolver {
  @FieldResolver(() => ID, { description: NODE_ID_DESCRIPTION })
  id(@Root() revision: RevisionEntity): string {
    return toGlobalId('PostRevision', revision.id);
  }

  @FieldResolver(() => RevisionActor)
  actor(@Root() revision: RevisionEntity): RevisionActor {
    return { keyId: revision.actorKeyId, name: revision.actorName };
  }

  @FieldResolver(() => PostStatus)
  status(@Root() revision: RevisionEntity): PostStatus {
    const s = revision.snapshot;
    const at = (iso: string | null) => (iso ? new Date(iso) : null);
    return postStatus({ status: s.status, publishedAt: at(s.publishedAt), deletedAt: at(s.deletedAt) }, revision.createdAt) as PostStatus;
  }

  @FieldResolver(() => Date, { nullable: true })
  publishedAt(@Root() revision: RevisionEntity): Date | null {
    return revision.snapshot.publishedAt ? new Date(revision.snapshot.publishedAt) : null;
  }

  @FieldResolver()
  title(@Root() r: RevisionEntity): string {
    return r.snapshot.title;
  }

  @FieldResolver()
  slug(@Root() r: RevisionEntity): string {
    return r.snapshot.slug;
  }

  @FieldResolver()
  excerpt(@Root() r: RevisionEntity): string {
    return r.snapshot.excerpt;
  }

  @FieldResolver()
  bodyMarkdown(@Root() r: RevisionEntity, @Ctx() _ctx: Context): string {
    return r.snapshot.bodyMarkdown;
  }

  @FieldResolver(() => [String])
  authors(@Root() r: RevisionEntity): string[] {
    return r.snapshot.authors;
  }

  @FieldResolver(() => [String])
  tags(@Root() r: RevisionEntity): string[] {
    return r.snapshot.tags;
  }

  @FieldResolver(() => [String])
  categories(@Root() r: RevisionEntity): string[] {
    return r.snapshot.categories;
  }
}
