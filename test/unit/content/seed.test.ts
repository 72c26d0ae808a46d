import * as fs from 'fs';
import * as path from 'path';
import { lintSource, prepareArticle, PreparedArticle } from '../../../src/content';
import { options } from './helpers';

const shared = path.resolve(__dirname, '../../../../shared');
const seedPath = path.join(shared, 'samples/000_20020096e96e7224.txt');
const d = fs.existsSync(seedPath) ? describe : describe.skip;
if (!fs.existsSync(seedPath)) console.warn(`seed article not found at ${seedPath}; seed tests skipped`);

d('the seed article', () => {
  let text: string;
  let a: PreparedArticle;
  beforeAll(() => {
    text = fs.readFileSync(seedPath, 'utf8');
    a = prepareArticle({ path: seedPath, text }, options);
  });

  it('maps the front matter', () => {
    expect(a.title).toBe('Amazon 1兆円の可能性とは？');
    expect(a.slug).toBe('amazon-1兆円の可能性とは');
    expect(a.publishedAt?.toISOString()).toBe('2025-12-25T13:03:19.000Z');
    expect(a.tags).toEqual(['Google', 'Microsoft', 'NVIDIA', 'Amazon', 'Anthropic', 'LLM']);
    expect(a.categories).toEqual(['AI技術ガイド']);
    expect(a.authors).toEqual(['ALLFORCES編集部']);
    expect(a.readingTimeMinutes).toBe(20);
    expect(a.language).toBe('ja');
    expect(a.draft).toBe(false);
    expect(a.frontMatter).toEqual({ layout: 'post' });
    expect(a.excerpt).toBe('Amazon 1兆円、AIインフラの地平を拓くのか？ その巨大投資の裏側にある本質を読み解く');
  });

  it('removes every ---END--- marker from Markdown and HTML', () => {
    expect(a.bodyMarkdown).not.toContain('---END---');
    expect(a.bodyHtml).not.toContain('END---');
  });

  it('stitches the split sentence with the overlap once', () => {
    const stitched = '誰も思いつかなかったような革新的なソリューションを生み出すことができるんだ。';
    expect(a.bodyMarkdown.split(stitched)).toHaveLength(2);
    expect(a.bodyMarkdown).not.toContain('革新的な革新的な');
    expect(a.bodyMarkdown).not.toContain('...革新的な');
    expect(a.bodyHtml).toContain(stitched);
  });

  it('keeps the repeated paragraph and the repeated sentence only once', () => {
    const repeated = '私も含め、誰もが未来を完璧に予測することはできない。';
    expect(a.bodyMarkdown.split(repeated)).toHaveLength(2);
    const question = 'あなたも、この大きな波をどう乗りこなしていくか、そろそろ真剣に考える時期に来ているんじゃないかな？';
    expect(a.bodyMarkdown.split(question)).toHaveLength(2);
  });

  it('names every repair and problem with its line', () => {
    const issues = lintSource({ path: seedPath, text }, options).map((i) => `${i.code}@${i.line}`);
    expect(issues).toEqual([
      'BOLD_HEADING@20',
      'BOLD_HEADING@28',
      'BOLD_HEADING@36',
      'BOLD_HEADING@44',
      'REPEATED_SENTENCE@61',
      'END_MARKER@97',
      'DUPLICATE_PARAGRAPH@99',
      'SPLIT_SENTENCE@119',
      'END_MARKER@121',
      'END_MARKER@140',
    ]);
    expect(a.contentIssues.map((i) => `${i.code}@${i.line}`)).toEqual(issues);
  });

  it('keeps every paragraph it did not name byte for byte, in order', () => {
    const lines = text.split('\n');
    const bodyStart = lines.indexOf('---', 1) + 1;
    const named = new Set([61, 97, 99, 119, 121, 123, 140]);
    // Paragraphs of the original body with their first line number.
    const paragraphs: { line: number; text: string }[] = [];
    let current: string[] = [];
    let first = 0;
    lines.slice(bodyStart).forEach((line, i) => {
      const no = bodyStart + i + 1;
      if (line.trim() === '') {
        if (current.length) paragraphs.push({ line: first, text: current.join('\n') });
        current = [];
        return;
      }
      if (!current.length) first = no;
      current.push(line);
    });
    if (current.length) paragraphs.push({ line: first, text: current.join('\n') });

    const kept = paragraphs.filter((p) => !p.text.split('\n').some((_, k) => named.has(p.line + k)));
    expect(kept.length).toBe(paragraphs.length - 7);
    let from = 0;
    for (const p of kept) {
      const at = a.bodyMarkdown.indexOf(`${p.text}\n`, from);
      expect({ line: p.line, found: at >= 0 }).toEqual({ line: p.line, found: true });
      from = at + p.text.length;
    }
    // The paragraph glued to the last marker survives without it.
    expect(a.bodyMarkdown.endsWith('このエキサイティングな旅路を、心から楽しんでほしい。\n')).toBe(true);
    // Four paragraphs removed (61, 97, 99, 121) and two joined into one (119 + 123).
    expect(a.bodyMarkdown.trim().split(/\n\s*\n/)).toHaveLength(paragraphs.length - 5);
  });

  it('renders the bold pseudo-headings unchanged and real headings with anchors', () => {
    expect(a.bodyHtml).toContain('<strong>なぜ今、1兆円もの巨額投資なのか？</strong>');
    expect(a.headings[0]).toEqual({
      level: 3,
      text: 'AIの民主化がもたらす新たな機会：中小企業、個人開発者への福音',
      anchor: 'aiの民主化がもたらす新たな機会-中小企業-個人開発者への福音',
    });
    expect(a.bodyHtml).toContain('<h3 id="aiの民主化がもたらす新たな機会-中小企業-個人開発者への福音">');
  });
});
