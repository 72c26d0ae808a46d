import { decodeCursor, encodeCursor, fromGlobalId, MAX_ROW_ID, NodeType, toGlobalId } from '../../../src/services/shared/cursor';
import { refusal } from './refusal';

const base64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

describe('cursors', () => {
  it('give back the values they were made from: text, numbers and null, ending with a row id', () => {
    for (const values of [
      ['2024-01-10T00:00:00.000Z', 42],
      ['液浸冷却の可能性とは？', 3],
      [0.75, 9],
      [null, MAX_ROW_ID],
    ]) {
      const cursor = encodeCursor(values);
      expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(decodeCursor(cursor, 2, 'after')).toEqual(values);
    }
  });

  it('refuse anything Kiji did not give, naming the argument', () => {
    const forged = [
      '',
      'not a cursor',
      `${encodeCursor(['a', 1])}=`,
      base64url('{"a":1}'),
      base64url('["a",1'),
      encodeCursor(['a', 'b', 1]), // another list's arity
      encodeCursor(['a', 0]),
      encodeCursor(['a', 1.5]),
      encodeCursor(['a', '1']),
      encodeCursor(['a', MAX_ROW_ID + 1]),
      encodeCursor(['a\u0000b', 1]),
      base64url('[{"a":1},1]'),
      encodeCursor(['x'.repeat(4000), 1]), // longer than any cursor Kiji gives
    ];
    for (const cursor of forged) {
      expect(refusal(() => decodeCursor(cursor, 2, 'before'))).toMatchObject({
        code: 'BAD_USER_INPUT',
        message: '`before` is not a valid cursor for this list',
        details: { argument: 'before' },
      });
    }
  });
});

describe('global IDs', () => {
  it('name a type and a row, and give both back', () => {
    expect(toGlobalId('Post', 42)).toBe(base64url('Post:42'));
    for (const type of ['Post', 'Author', 'Tag', 'Category', 'PostRevision'] as NodeType[]) {
      expect(fromGlobalId(toGlobalId(type, 7))).toEqual({ type, id: 7 });
    }
    expect(fromGlobalId(toGlobalId('Tag', MAX_ROW_ID))).toEqual({ type: 'Tag', id: MAX_ROW_ID });
  });

  it('accept the padded base64 form as well', () => {
    expect(fromGlobalId(Buffer.from('Post:42').toString('base64'))).toEqual({ type: 'Post', id: 42 });
  });

  it('refuse unknown types, ids no row can have, and anything else, naming the argument', () => {
    const forged = [
      '',
      'Post:1',
      base64url('User:1'),
      base64url('Post:0'),
      base64url('Post:01'),
      base64url('Post:-1'),
      base64url(`Post:${MAX_ROW_ID + 1}`),
      base64url('Post:1 '),
      base64url('post:1'),
      encodeCursor(['a', 1]),
      'A'.repeat(65),
    ];
    for (const id of forged) {
      expect(refusal(() => fromGlobalId(id))).toMatchObject({ code: 'BAD_USER_INPUT', message: '`id` is not a valid Kiji ID', details: { argument: 'id' } });
    }
    expect(refusal(() => fromGlobalId('nope!', 'input.postId'))).toMatchObject({
      message: '`input.postId` is not a valid Kiji ID',
      details: { argument: 'input.postId' },
    });
  });
});
