import type { EntityManager } from 'typeorm';
import { Author, Category, Post, PostTag, Tag } from '../../entities';
import { requireEditor, Viewer } from '../access';
import { bumpContentGeneration } from '../cache';
import type { WriteLock } from '../posts/write/write-lock';
import type { SearchIndex } from '../search';
import { KijiError } from '../shared';
import { AuthorPatch, authorChanges, TermPatch, termChanges } from './term-input';
import type { Term } from './term-reader';

/** Which term a mutation changes: by slug or by (numeric) id, exactly one. */
export type TermRef = { slug: string; id?: undefined } | { id: number; slug?: undefined };

type TermEntity = typeof Author | typeof Tag | typeof Category;

/** Posts whose search entries are rewritten per statement when a tag is renamed. */
const CHUNK = 500;

/**
 * Editors' changes to authors, tags and categories: checked before anything is written, then one
 * write transaction (in turn with every writer) that bumps the content generation, so no cached
 * answer shows the old profile. A change that changes nothing writes nothing.
 */
export class TermWriter {
  constructor(
    private readonly lock: WriteLock,
    /** Tag names are in each post's search entry (a search for a tag's name finds its posts). */
    private readonly search: SearchIndex,
  ) {}

  updateAuthor(viewer: Viewer, ref: TermRef, patch: AuthorPatch): Promise<Author> {
    requireEditor(viewer);
    return this.write<Author>(Author, 'author', ref, authorChanges(patch));
  }

  updateTag(viewer: Viewer, ref: TermRef, patch: TermPatch): Promise<Tag> {
    requireEditor(viewer);
    return this.write<Tag>(Tag, 'tag', ref, termChanges(patch));
  }

  updateCategory(viewer: Viewer, ref: TermRef, patch: TermPatch): Promise<Category> {
    requireEditor(viewer);
    return this.write<Category>(Category, 'category', ref, termChanges(patch));
  }

  private write<T extends Term>(entity: TermEntity, kind: string, ref: TermRef, changes: Partial<T>): Promise<T> {
    return this.lock.transaction(async (manager) => {
      const term = (await manager.findOne(entity, { where: ref.slug != null ? { slug: ref.slug } : { id: ref.id } })) as T | null;
      if (!term) {
        const argument = ref.slug != null ? 'slug' : 'id';
        throw new KijiError('NOT_FOUND', `There is no ${kind} with this ${argument}`, { argument });
      }
      const keys = (Object.keys(changes) as (keyof T)[]).filter((key) => JSON.stringify(term[key] ?? null) !== JSON.stringify(changes[key] ?? null));
      if (keys.length === 0) return term;
      const row = Object.fromEntries(keys.map((key) => [key, changes[key]]));
      await manager.update(entity, { id: term.id }, row);
      if (entity === Tag && 'name' in row) await this.reindexPostsOfTag(manager, term.id);
      await bumpContentGeneration(manager);
      return Object.assign(term, row);
    });
  }

  /** Rewrites the search entries of a renamed tag's posts, so a search finds them by the new name and not the old. */
  private async reindexPostsOfTag(manager: EntityManager, tagId: number): Promise<void> {
    const postIds = (await manager.find(PostTag, { where: { tagId }, select: { postId: true }, order: { postId: 'ASC' } })).map((l) => l.postId);
    for (let i = 0; i < postIds.length; i += CHUNK) {
      const ids = postIds.slice(i, i + CHUNK);
      const posts = await manager.createQueryBuilder(Post, 'p').select(['p.id', 'p.title', 'p.excerpt', 'p.bodyMarkdown']).where('p.id IN (:...ids)', { ids }).getMany();
      const links: { postId: number; name: string }[] = await manager
        .createQueryBuilder(PostTag, 'l')
        .innerJoin(Tag, 't', 't.id = l."tagId"')
        .select('l."postId"', 'postId')
        .addSelect('t.name', 'name')
        .where('l."postId" IN (:...ids)', { ids })
        .orderBy('l."postId"')
        .addOrderBy('l.position')
        .getRawMany();
      for (const post of posts) {
        const tags = links.filter((l) => Number(l.postId) === post.id).map((l) => l.name);
        await this.search.write(manager, { postId: post.id, title: post.title, excerpt: post.excerpt, bodyMarkdown: post.bodyMarkdown, tags });
      }
    }
  }
}
