import { EntityManager, In } from 'typeorm';
import { dialectOf } from '../../../db/dialect';
import { Post, PostOldSlug, PostRedirect } from '../../../entities';

/*
 * The write side of redirects: the slugs a post had (post_old_slugs) and the `redirect_from` paths
 * it claims (post_redirects). Each runs inside the caller's write transaction (`manager`), so what
 * it reads of other posts' slugs and paths is what the write can rely on.
 */

/**
 * Which posts hold each of `slugs`, as their slug or as one they had: slug → post ids; those that
 * had it also in `formerly`, when given. One statement, read by the primary key of post_old_slugs
 * and the unique index on posts.slug.
 */
export async function slugHolders(manager: EntityManager, slugs: readonly string[], formerly?: Map<string, number[]>): Promise<Map<string, number[]>> {
  const holders = new Map<string, number[]>();
  if (slugs.length === 0) return holders;
  const dialect = dialectOf(manager);
  const rows: { slug: string; postId: number | string; old: number | string }[] = await manager.query(
    `SELECT slug, id AS "postId", 0 AS old FROM posts WHERE slug IN (${dialect.inList(slugs.length)}) ` +
      `UNION ALL SELECT slug, "postId", 1 AS old FROM post_old_slugs WHERE slug IN (${dialect.inList(slugs.length, slugs.length)})`,
    [...slugs, ...slugs],
  );
  for (const row of rows) {
    holders.set(row.slug, [...(holders.get(row.slug) ?? []), Number(row.postId)]);
    if (Number(row.old) === 1) formerly?.set(row.slug, [...(formerly.get(row.slug) ?? []), Number(row.postId)]);
  }
  return holders;
}

/** The post that once had `slug` (its current slug), or null when no post ever gave it up. */
export async function formerHolderOf(manager: EntityManager, slug: string): Promise<{ id: number; slug: string } | null> {
  const old = await manager.findOne(PostOldSlug, { where: { slug }, select: { postId: true } });
  if (!old) return null;
  return manager.findOne(Post, { where: { id: old.postId }, select: { id: true, slug: true } });
}

/**
 * A post went from slug `from` to `to`: `from` is kept as one of its old slugs (so its old URL
 * and `post(slug:)` still lead to it, and no other post takes it), and `to`, if it was one of its
 * old slugs (renaming back), is one no more.
 */
export async function retireSlug(manager: EntityManager, postId: number, from: string, to: string, at: Date): Promise<void> {
  await manager.delete(PostOldSlug, { slug: In([from, to]), postId });
  // A row of `from` for another post can only be left by a writer outside Kiji; the slug was this post's.
  await manager.delete(PostOldSlug, { slug: from });
  await manager.insert(PostOldSlug, { slug: from, postId, retiredAt: at });
}

/** The `redirect_from` paths a post holds, in path order. */
export async function redirectPathsOf(manager: EntityManager, postId: number): Promise<string[]> {
  const rows = await manager.find(PostRedirect, { where: { postId }, select: { path: true }, order: { path: 'ASC' } });
  return rows.map((r) => r.path);
}

/** Which of `paths` other posts than `postId` hold: path → the holder's id. */
export async function redirectsHeldByOthers(manager: EntityManager, paths: readonly string[], postId: number | null): Promise<Map<string, number>> {
  if (paths.length === 0) return new Map();
  const rows = await manager.find(PostRedirect, { where: { path: In([...paths]) } });
  return new Map(rows.filter((r) => r.postId !== postId).map((r) => [r.path, r.postId]));
}

/**
 * Makes `paths` the post's redirect paths: its other rows go, new ones are added; a path another
 * post holds stays that post's (the first holder keeps it; callers report it). Returns the paths
 * it could not take.
 */
export async function replaceRedirects(manager: EntityManager, postId: number, paths: readonly string[]): Promise<string[]> {
  const rows = await manager
    .createQueryBuilder(PostRedirect, 'r')
    .where('r.postId = :postId', { postId })
    .orWhere(paths.length ? 'r.path IN (:...paths)' : '1 = 0', { paths: [...paths] })
    .getMany();
  const mine = new Set(rows.filter((r) => r.postId === postId).map((r) => r.path));
  const taken = new Set(rows.filter((r) => r.postId !== postId).map((r) => r.path));
  const gone = [...mine].filter((path) => !paths.includes(path));
  const added = paths.filter((path) => !mine.has(path) && !taken.has(path));
  if (gone.length) await manager.delete(PostRedirect, { postId, path: In(gone) });
  if (added.length)
    await manager.insert(
      PostRedirect,
      added.map((path) => ({ path, postId })),
    );
  return paths.filter((path) => taken.has(path));
}
