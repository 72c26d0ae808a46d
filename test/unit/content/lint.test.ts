import { codes, lint, source } from './helpers';

describe('lintSource', () => {
  it('reports a missing title, a bad date and an empty body with their lines', () => {
    const issues = lint('---\nlayout: post\ndate: someday\n---\n\n', 'x/2020-01-01-untitled.md');
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'NO_TITLE', line: 1 }),
        expect.objectContaining({ code: 'DATE_UNREADABLE', line: 3 }),
        expect.objectContaining({ code: 'EMPTY_BODY' }),
      ]),
    );
  });

  it('reports bold-only paragraphs used as headings, but not bold lead-ins', () => {
    const issues = lint(source('title: T', '**なぜ今なのか？**\n\n本文。\n\n**投資家として**:\n続く文。\n'));
    expect(issues.filter((i) => i.code === 'BOLD_HEADING').map((i) => i.line)).toEqual([4]);
  });

  it('reports a front-matter reading time far from the text, not one close to it', () => {
    // ~1 minute of text
    expect(codes(lint(source('title: T\nreading_time: 20', 'word '.repeat(100))))).toContain('READING_TIME_MISMATCH');
    expect(codes(lint(source('title: T\nreading_time: 2', 'word '.repeat(100))))).not.toContain('READING_TIME_MISMATCH');
    expect(codes(lint(source('title: T\nreading_time: soon', 'x')))).toContain('BAD_READING_TIME');
  });

  it('returns one UNPARSABLE issue for a file that cannot be imported, instead of throwing', () => {
    expect(lint('no front matter here\n', 'a.md')).toEqual([
      expect.objectContaining({ file: 'a.md', line: 1, code: 'UNPARSABLE' }),
    ]);
    const broken = lint('---\ntitle: x\nbad: [1, 2\n---\nbody\n', 'b.md');
    expect(broken).toHaveLength(1);
    expect(broken[0].code).toBe('UNPARSABLE');
    expect(broken[0].line).toBeGreaterThan(1);
  });

  it('returns nothing for a clean file', () => {
    expect(lint(source('title: Clean\ndate: 2020-01-01', 'A clean paragraph.\n'))).toEqual([]);
  });
});
