import { prep, source } from './helpers';

// The body starts on line 4 of these files (---, title, ---).
const run = (body: string) => prep(source('title: T', body));
const issue = (a: ReturnType<typeof run>, code: string) => a.contentIssues.filter((i) => i.code === code);

describe('---END--- markers', () => {
  it('removes a marker line between paragraphs without leaving a double blank line', () => {
    const a = run('これは最初の段落です。\n\n---END---\n\n次の段落です。\n');
    expect(a.bodyMarkdown).toBe('これは最初の段落です。\n\n次の段落です。\n');
    expect(issue(a, 'END_MARKER').map((i) => i.line)).toEqual([6]);
  });

  it('removes a marker glued to the end of a paragraph, and one on the next line', () => {
    const a = run('最後の文です。---END---\n');
    expect(a.bodyMarkdown).toBe('最後の文です。\n');
    const b = run('Last words here.\n---END---');
    expect(b.bodyMarkdown).toBe('Last words here.\n');
    expect(issue(b, 'END_MARKER')[0].line).toBe(5);
    expect(b.bodyHtml).not.toContain('END');
  });

  it('leaves a real thematic break and markers inside code alone', () => {
    const md = 'Above.\n\n---\n\nBelow.\n\n```\n---END---\n```\n';
    const a = run(md);
    expect(a.bodyMarkdown).toBe(md);
    expect(a.bodyHtml).toMatch(/<hr\s*\/?>/);
    expect(issue(a, 'END_MARKER')).toEqual([]);
  });
});

describe('repeated text', () => {
  it('removes a paragraph repeated verbatim right after itself', () => {
    const p = 'A paragraph that a generator wrote twice in a row.';
    const a = run(`${p}\n\n---END---\n\n${p}\n\nThe end.\n`);
    expect(a.bodyMarkdown).toBe(`${p}\n\nThe end.\n`);
    expect(issue(a, 'DUPLICATE_PARAGRAPH').map((i) => i.line)).toEqual([8]);
  });

  it('keeps short or non-adjacent repeats, which people write on purpose', () => {
    const md = 'Before:\n\n```\na\n```\n\nBefore:\n\n```\nb\n```\n\nOK!\n\nOK!\n';
    expect(run(md).bodyMarkdown).toBe(md);
  });

  it('removes a paragraph that only repeats the last sentence of the one before', () => {
    const a = run('未来はまだ誰にもわからない。あなたも考える時期に来ているんじゃないかな？\n\nあなたも考える時期に来ているんじゃないかな？\n\n次へ。\n');
    expect(a.bodyMarkdown).toBe('未来はまだ誰にもわからない。あなたも考える時期に来ているんじゃないかな？\n\n次へ。\n');
    expect(issue(a, 'REPEATED_SENTENCE').map((i) => i.line)).toEqual([6]);
  });

  it('does not remove a paragraph that repeats a sentence from the middle', () => {
    const md = 'First sentence here. Second sentence here.\n\nFirst sentence here.\n';
    expect(run(md).bodyMarkdown).toBe(md);
  });
});

describe('sentences split by a marker', () => {
  it('joins the two halves and keeps the overlap once (Japanese)', () => {
    const a = run('誰も思いつかなかったような革新的な\n\n---END---\n\n...革新的なソリューションを生み出すことができるんだ。\n');
    expect(a.bodyMarkdown).toBe('誰も思いつかなかったような革新的なソリューションを生み出すことができるんだ。\n');
    expect(issue(a, 'SPLIT_SENTENCE')[0].line).toBe(4);
    expect(issue(a, 'END_MARKER')[0].line).toBe(6);
  });

  it('joins English halves on a word boundary', () => {
    const a = run('We built something truly innovative\n---END---\n...innovative for everyone.\n');
    expect(a.bodyMarkdown).toBe('We built something truly innovative for everyone.\n');
  });

  it('does not join when the first paragraph ended its sentence', () => {
    const a = run('This is complete.\n\n---END---\n\n...and this starts with dots.\n');
    expect(a.bodyMarkdown).toBe('This is complete.\n\n...and this starts with dots.\n');
    expect(issue(a, 'SPLIT_SENTENCE')).toEqual([]);
  });
});
