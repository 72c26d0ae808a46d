import { EntityManager, In } from 'typeorm';
import { dialectOf } from '../../../db/dialect';
import { Author, Category, Post, POST_LINK_NAMES, POST_LINKS, PostLinkName, PostRevision, Tag } from '../../../entities';

/*
 * Every statement the write path runs on posts, their links and revisions, one function each;
 * each runs inside the caller's write transaction (`manager`). The search index, token statistics,
 * content generation and related marks it also writes are their capabilities' own.
 */

export type Term = Author | Tag | Category;
export type PostTerms<T> = Record<PostLinkName, T[]>;

export function postById(manager: EntityManager, id: number): Promise<Post | null> {
  return manager.findOne(Post, { where: { id } });
}

export function insertPost(manager: EntityManager, post: Partial<Post>): Promise<Post> {
  return manager.save(Post, manager.create(Post, post));
}

/** Updates a post still at `version`, moving it to the next; false when it is at another version. */
export async function updatePostAtVersion(manager: EntityManager, id: number, version: number, columns: Partial<Post>): Promise<boolean> {
  const result = await manager
    .createQueryBuilder()
    .update(Post)
    // simple-json columns are serialized by the driver; TypeORM's partial type cannot say so.
    .set({ ...columns, version: () => 'version + 1' } as never)
    .where('id = :id AND version = :version', { id, version })
    .execute();
  return !!result.affected;
}

export async function versionOf(manager: EntityManager, id: number): Promise<number | undefined> {
  return (await manager.findOne(Post, { where: { id }, select: { id: true, version: true } }))?.version;
}

/** The names of a post's authors, tags and categories, each in link order. */
export async function linkedNames(manager: EntityManager, postId: number): Promise<PostTerms<string>> {
  const names = {} as PostTerms<string>;
  for (const name of POST_LINK_NAMES) {
    const link = POST_LINKS[name];
    const rows: { name: string }[] = await manager.query(
      `SELECT t.name AS name FROM ${link.table} l INNER JOIN ${link.termTable} t ON t.id = l."${link.column}" WHERE l."postId" = ${dialectOf(manager).param(1)} ORDER BY l.position`,
      [postId],
    );
    names[name] = rows.map((r) => r.name);
  }
  return names;
}

/** Replaces a post's links with `terms`, in their order (`position`). */
export async function replaceLinks(manager: EntityManager, postId: number, terms: PostTerms<Term>): Promise<void> {
  for (const name of POST_LINK_NAMES) {
    const { link, column } = POST_LINKS[name];
    await manager.delete(link, { postId });
    if (terms[name].length)
      await manager.insert(
        link,
        terms[name].map((term, position) => ({ postId, [column]: term.id, position })),
      );
  }
}

/** The terms of one kind with these slugs. */
export function termsBySlug<T extends Term>(manager: EntityManager, name: PostLinkName, slugs: string[]): Promise<T[]> {
  return manager.getRepository<T>(POST_LINKS[name].term).findBy({ slug: In(slugs) } as never);
}

/** Creates terms; one a concurrent writer created meanwhile is left as it is. */
export async function insertTerms(manager: EntityManager, name: PostLinkName, terms: { slug: string; name: string }[]): Promise<void> {
  await manager.getRepository(POST_LINKS[name].term).createQueryBuilder().insert().values(terms).orIgnore().execute();
}

export async function insertRevision(manager: EntityManager, revision: Omit<PostRevision, 'id' | 'post'>): Promise<void> {
  await manager.insert(PostRevision, revision);
}

export function revisionOf(manager: EntityManager, postId: number, revisionId: number): Promise<PostRevision | null> {
  return manager.findOne(PostRevision, { where: { id: revisionId, postId } });
}
