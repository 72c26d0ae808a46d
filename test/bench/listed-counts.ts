import type { EntityManager } from 'typeorm';
import { POST_LINK_NAMES, POST_LINKS } from '../../src/entities';

/**
 * Sets every term's `listedCount` (its listed links, `PostTag.listedAt` set) from the links, for
 * the archive builder, which writes links in bulk outside the post write path; that path keeps
 * the counts one post at a time (posts/write/statements.ts `replaceLinks`).
 */
export async function recountListedPosts(manager: EntityManager): Promise<void> {
  for (const name of POST_LINK_NAMES) {
    const { table, column, termTable } = POST_LINKS[name];
    await manager.query(`UPDATE ${termTable} SET "listedCount" = (SELECT COUNT(*) FROM ${table} l WHERE l."${column}" = ${termTable}.id AND l."listedAt" IS NOT NULL)`);
  }
}
