import { requirePlainFilter, requirePlainText } from '../../../src/services/shared/text-arguments';
import { refusal } from './refusal';

describe('text arguments', () => {
  it('lets any text through but U+0000, and absent values', () => {
    expect(() => requirePlainText('液浸冷却 — "quotes" \\ and\ttabs\n', 'slug')).not.toThrow();
    expect(() => requirePlainText(['a', 'b'], 'filter.tags')).not.toThrow();
    expect(() => requirePlainText(null, 'slug')).not.toThrow();
    expect(() => requirePlainText(undefined, 'slug')).not.toThrow();
  });

  it('refuses U+0000, naming the argument, the list entry, or the input field', () => {
    expect(refusal(() => requirePlainText('a\u0000b', 'slug'))).toMatchObject({
      code: 'BAD_USER_INPUT',
      message: '`slug` must not contain the NUL character (U+0000)',
      details: { argument: 'slug' },
    });
    expect(refusal(() => requirePlainText(['ok', 'x\u0000'], 'filter.tags'))).toMatchObject({ details: { argument: 'filter.tags[1]' } });
    expect(refusal(() => requirePlainText('\u0000', 'input.title', 'field'))).toMatchObject({
      message: '`input.title` must not contain the NUL character (U+0000)',
      details: { field: 'input.title' },
    });
  });

  it('checks every text of a post filter', () => {
    expect(() => requirePlainFilter({ query: 'vim', tag: 'a', tags: ['b'], category: 'c', author: 'd' })).not.toThrow();
    expect(refusal(() => requirePlainFilter({ query: 'x\u0000' }))).toMatchObject({ details: { argument: 'filter.query' } });
    expect(refusal(() => requirePlainFilter({ tags: ['a', 'b', '\u0000'] }))).toMatchObject({ details: { argument: 'filter.tags[2]' } });
    expect(refusal(() => requirePlainFilter({ author: '\u0000' }))).toMatchObject({ details: { argument: 'filter.author' } });
  });
});
