/**
 * Reading time for mixed Japanese/English text: CJK characters at 500 a minute and Latin words at
 * 230 a minute, counted separately and added. Code blocks count like prose (their identifiers
 * are words a reader has to get through); link targets and HTML tags do not, nobody reads them.
 */
import { countScripts } from './scripts';

export const CJK_PER_MINUTE = 500;
export const WORDS_PER_MINUTE = 230;

export interface TextCounts {
  cjkChars: number;
  latinWords: number;
}

export function countReadable(markdown: string): TextCounts {
  const text = markdown
    .replace(/\]\([^)\s]*(?:\s+"[^"]*")?\)/g, ']') // link and image targets
    .replace(/<\/?[A-Za-z][^>]*>/g, ' ') // HTML tags, not their text
    .replace(/https?:\/\/\S+/g, ' '); // bare URLs
  const counts = countScripts(text);
  return { cjkChars: counts.cjk, latinWords: counts.latinWords };
}

export function readingTimeMinutes(markdown: string): number {
  const { cjkChars, latinWords } = countReadable(markdown);
  return Math.max(1, Math.ceil(cjkChars / CJK_PER_MINUTE + latinWords / WORDS_PER_MINUTE));
}
