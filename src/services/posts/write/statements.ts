import type { EntityManager } from 'typeorm';
import { chunks, dialectOf } from '../../../db/dialect';
import { Author, Category, Post, POST_LINK_NAMES, POST_LINKS, PostLinkName, PostRevision, Tag } from '../../../entities';
import { insertRows } from './row-insert';
import type { NewPost, NewRevision, PendingRows } from './pending-rows';

/*
 * Every statement the write path runs on posts, their links and revisions, one function each;
 * each runs inside the caller's write transaction (`manager`). The search index, token statistics,
 * content generation and related marks it also writes are their capabilities' own.
 */

/** A term as the write path links it. */
export type Term = Pick<Author | Tag | Category, 'id' | 'slug' | 'name'>;
export type PostTerms<T> = Record<PostLinkName, T[]>;

export function postById(manager: EntityManager, id: number): Promise<Post | null> {
  return manager.findOne(Post, { where: { id } });
}

/** Inserts a new post (every column but its id); returns it, with the id it was given. */
export async function insertPost(manager: EntityManager, post: Omit<Post, 'id'>): Promise<Post> {
  const [row] = (await insertRows(manager, Post, [post], 'RETURNING id')) as { id: number | string }[];
  return manager.create(Post, { ...post, id: Number(row.id) });
}

/**
 * Reserves the ids the next `count` new posts would be given, in order: PostgreSQL's sequence
 * hands them out now (as the posts' inserts would have, one each); SQLite gives a new row one more
 * than the largest id it ever gave (AUTOINCREMENT), and its one writer inserts nothing else meanwhile.
 */
export async function reservePostIds(manager: EntityManager, count: number): Promise<number[]> {
  if (count === 0) return [];
  if (dialectOf(manager).kind === 'sqlite') {
    const [row]: { last: number }[] = await manager.query(
      `SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'posts'), 0), coalesce((SELECT max(id) FROM posts), 0)) AS last`,
    );
    return Array.from({ length: count }, (_, i) => Number(row.last) + 1 + i);
  }
  const rows: { id: number | string }[] = await manager.query(`SELECT nextval(pg_get_serial_sequence('posts', 'id')) AS id FROM generate_series(1, $1) ORDER BY 1`, [count]);
  return rows.map((row) => Number(row.id));
}

/**
 * Inserts the new posts `pending` holds (`PostStore.save` with a reserved id), in a few multi-row
 * statements: rows that leave the same columns out (their defaults) go together.
 */
export async function insertPendingPosts(manager: EntityManager, pending: PendingRows): Promise<void> {
  const posts = pending.posts.splice(0);
  const runs: NewPost[][] = [];
  const columnsOf = (post: NewPost) =>
    Object.keys(post)
      .filter((key) => post[key as keyof NewPost] !== undefined)
      .join(',');
  for (const [i, post] of posts.entries()) {
    if (i > 0 && columnsOf(post) === columnsOf(posts[i - 1])) runs[runs.length - 1].push(post);
    else runs.push([post]);
  }
  // Each row holds a post's bodies: a hundred rows a statement keeps one statement's size reasonable.
  for (const run of runs) for (const rows of chunks(run, 100)) await insertRows(manager, Post, rows);
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

/** The stored posts of these source files (by path): their ids and source hashes. */
export async function sourceHashes(manager: EntityManager, paths: readonly string[]): Promise<Map<string, { id: number; sourceHash: string | null }>> {
  const stored = new Map<string, { id: number; sourceHash: string | null }>();
  for (const chunk of chunks(paths)) {
    const rows: { id: number | string; sourcePath: string; sourceHash: string | null }[] = await manager.query(
      `SELECT id, "sourcePath", "sourceHash" FROM posts WHERE "sourcePath" IN (${dialectOf(manager).inList(chunk.length)})`,
      [...chunk],
    );
    for (const row of rows) stored.set(row.sourcePath, { id: Number(row.id), sourceHash: row.sourceHash });
  }
  return stored;
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

/**
 * When a post's links list it on its terms' pages (`PostAuthor.listedAt`): its publishedAt while it
 * is published and not deleted, a scheduled post's date to come included (readers see it from
 * then on, by the clock, as post-visibility.ts says), else null.
 */
export function listedAtOf(post: Pick<Post, 'status' | 'publishedAt' | 'deletedAt'>): Date | null {
  return post.status === 'published' && post.publishedAt && !post.deletedAt ? post.publishedAt : null;
}

/**
 * Replaces a post's links with `terms`, in their order (`position`), listed at `listedAt`: its old
 * links go now, the new ones are gathered in `pending` (written by `writeLinks`), with the moves of
 * each term's `listedCount` (its listed links): a term the post leaves, or stops being listed on,
 * loses one; one it joins listed gains one. A `fresh` post has no links yet.
 */
export async function replaceLinks(
  manager: EntityManager,
  postId: number,
  terms: PostTerms<Term>,
  listedAt: Date | null,
  fresh: boolean,
  pending: PendingRows,
): Promise<void> {
  const before = fresh ? null : await listedTermIds(manager, postId);
  for (const name of POST_LINK_NAMES) {
    if (!fresh) await manager.delete(POST_LINKS[name].link, { postId });
    terms[name].forEach((term, position) => pending.links[name].push({ postId, termId: term.id, position, listedAt }));
    for (const id of before?.[name] ?? []) pending.addListed(name, id, -1);
    if (listedAt) for (const term of terms[name]) pending.addListed(name, term.id, 1);
  }
}

/** Link rows gathered by `replaceLinks`, one statement per kind (and per 500 rows), then the listed counts' moves. */
export async function writeLinks(manager: EntityManager, pending: PendingRows): Promise<void> {
  for (const name of POST_LINK_NAMES) {
    const { link, column } = POST_LINKS[name];
    for (const rows of chunks(pending.links[name])) {
      await insertRows(
        manager,
        link,
        rows.map((row) => ({ postId: row.postId, [column]: row.termId, position: row.position, listedAt: row.listedAt })),
      );
    }
    await addListedCounts(manager, name, pending.listed[name]);
  }
}

/** The terms, of each kind, on whose pages the post's links list it now. */
async function listedTermIds(manager: EntityManager, postId: number): Promise<PostTerms<number>> {
  const dialect = dialectOf(manager);
  const parts = POST_LINK_NAMES.map((name, i) => {
    const { table, column } = POST_LINKS[name];
    return `SELECT '${name}' AS name, "${column}" AS id FROM ${table} WHERE "postId" = ${dialect.param(i + 1)} AND "listedAt" IS NOT NULL`;
  });
  const rows: { name: PostLinkName; id: number | string }[] = await manager.query(
    parts.join(' UNION ALL '),
    POST_LINK_NAMES.map(() => postId),
  );
  const ids = { authors: [], tags: [], categories: [] } as PostTerms<number>;
  for (const row of rows) ids[row.name].push(Number(row.id));
  return ids;
}

/** Moves terms' `listedCount` by the changes given (term id → change), one statement whatever their number (Dialect.pairTable). */
async function addListedCounts(manager: EntityManager, name: PostLinkName, moves: ReadonlyMap<number, number>): Promise<void> {
  if (moves.size === 0) return;
  // Only the write path moves them, in its turn (write-lock.ts): no two writers hold these rows at once.
  const dialect = dialectOf(manager);
  await manager.query(
    `UPDATE ${POST_LINKS[name].termTable} AS t SET "listedCount" = t."listedCount" + d.n FROM ${dialect.pairTable('d', 'integer')} WHERE t.id = d.key`,
    dialect.pairList([...moves]),
  );
}

/**
 * The terms of each kind with these slugs (in no particular order), every kind in one statement
 * whose text is the same whatever the number of slugs (each kind's slugs are one parameter).
 */
export async function termsBySlug(manager: EntityManager, slugs: PostTerms<string>): Promise<PostTerms<Term>> {
  const dialect = dialectOf(manager);
  const parts = POST_LINK_NAMES.map((name, i) => `SELECT '${name}' AS kind, id, slug, name FROM ${POST_LINKS[name].termTable} WHERE ${dialect.inTextList('slug', i + 1)}`);
  const rows: { kind: PostLinkName; id: number | string; slug: string; name: string }[] = await manager.query(
    parts.join(' UNION ALL '),
    POST_LINK_NAMES.map((name) => dialect.textList(slugs[name])),
  );
  const terms = { authors: [], tags: [], categories: [] } as PostTerms<Term>;
  for (const row of rows) terms[row.kind].push({ id: Number(row.id), slug: row.slug, name: row.name });
  return terms;
}

/** Creates terms; returns those it created. One a concurrent writer created meanwhile is left as it is (and not returned). */
export async function insertTerms(manager: EntityManager, name: PostLinkName, terms: { slug: string; name: string }[]): Promise<Term[]> {
  const rows = (await insertRows<Author | Tag | Category>(manager, POST_LINKS[name].term, terms, 'ON CONFLICT DO NOTHING RETURNING id, slug, name')) as {
    id: number | string;
    slug: string;
    name: string;
  }[];
  return rows.map((row) => ({ id: Number(row.id), slug: row.slug, name: row.name }));
}

/** Inserts revisions, one statement per 100 (each holds a post's body). */
export async function insertRevisions(manager: EntityManager, revisions: readonly NewRevision[]): Promise<void> {
  for (const rows of chunks(revisions, 100)) await insertRows(manager, PostRevision, rows);
}

export function revisionOf(manager: EntityManager, postId: number, revisionId: number): Promise<PostRevision | null> {
  return manager.findOne(PostRevision, { where: { id: revisionId, postId } });
}
