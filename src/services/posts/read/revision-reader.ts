import type { DataSource } from 'typeorm';
import { PostRevision } from '../../../entities';
import { isEditor, Viewer } from '../../access';
import { decodeCursor, encodeCursor } from '../../shared';
import { badInput } from '../../shared';
import { Page, PageArgs, pageWindow, toPage } from '../../shared';

const revisionCursor = (revision: PostRevision) => encodeCursor([revision.id]);

/** Revisions: one page per post for many posts, or many by id, each in one statement. */
export class RevisionReader {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * The revisions with these ids (in no particular order; absent ids are left out). History shows
   * drafts and deleted posts, so only editors and admins see it, as with `Post.revisions`; anyone
   * else gets none.
   */
  async byIds(viewer: Viewer, ids: readonly number[]): Promise<PostRevision[]> {
    if (ids.length === 0 || !isEditor(viewer)) return [];
    return this.dataSource
      .getRepository(PostRevision)
      .createQueryBuilder('r')
      .where('r.id IN (:...ids)', { ids: [...ids] })
      .getMany();
  }

  /** A page of each post's revisions, newest first. */
  async pagesFor(postIds: readonly number[], args: PageArgs): Promise<Map<number, Page<PostRevision>>> {
    const window = pageWindow(args);
    if (window.direction === 'backward') throw badInput('Revisions page forwards only: use `first` and `after`', { argument: 'last' });
    const pages = new Map<number, Page<PostRevision>>();
    const fetched = new Map<number, PostRevision[]>(postIds.map((id) => [id, []]));
    if (window.limit > 0 && postIds.length) {
      const qb = this.dataSource
        .getRepository(PostRevision)
        .createQueryBuilder('r')
        .where('r.postId IN (:...postIds)', { postIds: [...postIds] });
      if (window.cursor != null) {
        const [id] = decodeCursor(window.cursor, 1, 'after');
        if (typeof id !== 'number') throw badInput('`after` is not a valid cursor for this list', { argument: 'after' });
        qb.andWhere('r.id < :afterId', { afterId: id });
      }
      const numbered = this.dataSource
        .createQueryBuilder()
        .select('n.id', 'id')
        .from(`(${qb.select('r.id', 'id').addSelect('ROW_NUMBER() OVER (PARTITION BY r."postId" ORDER BY r.id DESC)', 'rn').getQuery()})`, 'n')
        .where('n.rn <= :take', { take: window.limit + 1 })
        .setParameters(qb.getParameters());
      const rows = await this.dataSource
        .getRepository(PostRevision)
        .createQueryBuilder('r')
        .where(`r.id IN (${numbered.getQuery()})`)
        .setParameters(numbered.getParameters())
        .orderBy('r.id', 'DESC')
        .getMany();
      for (const row of rows) fetched.get(row.postId)?.push(row);
    }
    for (const id of postIds) pages.set(id, toPage(window, fetched.get(id) ?? [], revisionCursor));
    return pages;
  }
}
