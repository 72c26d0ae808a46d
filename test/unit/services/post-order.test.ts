import type { SelectQueryBuilder } from 'typeorm';
import type { Post } from '../../../src/entities';
import { applyPostCursor, PostOrderKey, postCursor, postOrderSql } from '../../../src/services/posts/read/post-order';
import { postStatus } from '../../../src/services/posts/read/post-status';
import { decodeCursor } from '../../../src/services/shared/cursor';
import { refusal } from './refusal';

const post = { id: 42, title: 'Zebra crossings', publishedAt: new Date('2024-04-01T08:00:00Z') } as Post;

/** The condition `applyPostCursor` adds, and its parameters. */
function restriction(order: PostOrderKey, cursor: string, side: 'after' | 'before') {
  const added: { where: string; params: Record<string, unknown> }[] = [];
  const qb = { andWhere: (where: string, params: Record<string, unknown>) => added.push({ where, params }) };
  applyPostCursor(qb as unknown as SelectQueryBuilder<Post>, order, cursor, side, side);
  return added[0];
}

describe('post order', () => {
  it('puts in each cursor the value the list is sorted by, then the id', () => {
    expect(decodeCursor(postCursor('NEWEST', post), 2, 'after')).toEqual(['2024-04-01T08:00:00.000Z', 42]);
    expect(decodeCursor(postCursor('OLDEST', post), 2, 'after')).toEqual(['2024-04-01T08:00:00.000Z', 42]);
    expect(decodeCursor(postCursor('TITLE', post), 2, 'after')).toEqual(['Zebra crossings', 42]);
    expect(decodeCursor(postCursor('RELEVANCE', post, 3.25), 2, 'after')).toEqual([3.25, 42]);
  });

  it('sorts newest, oldest and by title, ties broken by id the same way, and reverses to read backwards', () => {
    expect(postOrderSql('NEWEST', false)).toBe('p."publishedAt" DESC, p.id DESC');
    expect(postOrderSql('NEWEST', true)).toBe('p."publishedAt" ASC, p.id ASC');
    expect(postOrderSql('OLDEST', false)).toBe('p."publishedAt" ASC, p.id ASC');
    expect(postOrderSql('TITLE', false)).toBe('p.title ASC, p.id ASC');
    expect(postOrderSql('RELEVANCE', false)).toBe('s.score DESC, p.id DESC');
  });

  it('continues after a cursor with the rows further along the order, and before it with the rows nearer the start', () => {
    const newest = postCursor('NEWEST', post);
    const after = restriction('NEWEST', newest, 'after');
    // Newest first: what comes after a post is older, or as old with a smaller id.
    expect(after.where).toBe('(p.publishedAt < :afterValue OR (p.publishedAt = :afterValue AND p.id < :afterId))');
    expect(after.params).toEqual({ afterValue: post.publishedAt, afterId: 42 });
    expect(restriction('NEWEST', newest, 'before').where).toBe('(p.publishedAt > :beforeValue OR (p.publishedAt = :beforeValue AND p.id > :beforeId))');
    expect(restriction('TITLE', postCursor('TITLE', post), 'after')).toEqual({
      where: '(p.title > :afterValue OR (p.title = :afterValue AND p.id > :afterId))',
      params: { afterValue: 'Zebra crossings', afterId: 42 },
    });
  });

  it("refuses another order's cursor, naming the argument", () => {
    const bad = { code: 'BAD_USER_INPUT', message: '`after` is not a valid cursor for this list', details: { argument: 'after' } };
    expect(refusal(() => restriction('NEWEST', postCursor('TITLE', post), 'after'))).toMatchObject(bad);
    expect(refusal(() => restriction('RELEVANCE', postCursor('NEWEST', post), 'after'))).toMatchObject(bad);
    expect(refusal(() => restriction('TITLE', postCursor('RELEVANCE', post, 1), 'after'))).toMatchObject(bad);
  });
});

describe('post status', () => {
  const now = new Date('2026-06-01T00:00:00Z');
  const at = (iso: string | null) => (iso ? new Date(iso) : null);

  it('is SCHEDULED until its time comes, by the clock at read time', () => {
    expect(postStatus({ status: 'published', publishedAt: at('2026-06-01T00:00:01Z'), deletedAt: null }, now)).toBe('SCHEDULED');
    expect(postStatus({ status: 'published', publishedAt: now, deletedAt: null }, now)).toBe('PUBLISHED');
    expect(postStatus({ status: 'published', publishedAt: at('2020-01-01T00:00:00Z'), deletedAt: null }, now)).toBe('PUBLISHED');
    expect(postStatus({ status: 'published', publishedAt: null, deletedAt: null }, now)).toBe('PUBLISHED');
  });

  it('is DRAFT for a draft whatever its date, and DELETED for a deleted post whatever its status', () => {
    expect(postStatus({ status: 'draft', publishedAt: at('2030-01-01T00:00:00Z'), deletedAt: null }, now)).toBe('DRAFT');
    expect(postStatus({ status: 'published', publishedAt: at('2020-01-01T00:00:00Z'), deletedAt: now }, now)).toBe('DELETED');
    expect(postStatus({ status: 'draft', publishedAt: null, deletedAt: now }, now)).toBe('DELETED');
  });
});
