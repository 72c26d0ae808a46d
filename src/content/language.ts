/** Japanese or English, from the script of the letters (kana and kanji versus Latin). */
import { countScripts } from './scripts';

/**
 * `ja` when kana/kanji are at least 15% of (Japanese characters + Latin words). Words, not
 * letters: a Latin word spends five letters where Japanese spends one or two characters, and
 * Japanese posts that list English commit titles (vim-jp's Vim Magazine) are still Japanese.
 * An English post quoting a word like 記事 stays `en`: it would need a few whole sentences.
 */
export const JA_SHARE = 0.15;

export function detectLanguage(text: string): 'ja' | 'en' {
  const { japanese: ja, latinWords } = countScripts(text);
  if (ja === 0) return 'en';
  return ja / (ja + latinWords) >= JA_SHARE ? 'ja' : 'en';
}
