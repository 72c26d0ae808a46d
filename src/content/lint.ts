/**
 * Problems an editor should see: everything the normalizer repaired plus things it leaves alone
 * (bold paragraphs used as headings, a reading time that disagrees with the text, an empty body).
 */
import { SourceLine } from './artifacts';
import { MdToken } from './markdown';
import { ContentIssue } from './types';

const BOLD_ONLY = /^(\*\*|__)(?:(?!\1).)+\1[:：]?$/;

/** Top-level one-line paragraphs that are only bold text: headings written the wrong way. */
export function findBoldHeadings(file: string, structure: () => MdToken[], lines: SourceLine[]): ContentIssue[] {
  const issues: ContentIssue[] = [];
  // Only parse when some line could be one (the parse tells paragraphs from code and lists).
  if (!lines.some((l) => BOLD_ONLY.test(l.text.trim()))) return issues;
  const tokens = structure();
  for (let i = 0; i < tokens.length - 1; i++) {
    const t = tokens[i];
    if (t.type !== 'paragraph_open' || t.level !== 0 || !t.map || t.map[1] - t.map[0] !== 1) continue;
    const content = tokens[i + 1].content.trim();
    if (!BOLD_ONLY.test(content)) continue;
    issues.push({
      file,
      line: lines[t.map[0]].line,
      code: 'BOLD_HEADING',
      message: `bold-only paragraph "${content}" is used as a heading; write it as a "##" heading so it gets an anchor and a place in the outline`,
    });
  }
  return issues;
}

/**
 * "Far" means off by more than half of the computed time and by at least 3 minutes: generated
 * front matter says 20 for a 5-minute read, while 6 versus 5 is only a difference of taste.
 */
export function readingTimeIsFar(declared: number, computed: number): boolean {
  const diff = Math.abs(declared - computed);
  return diff >= 3 && diff > computed * 0.5;
}
