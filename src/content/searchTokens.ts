/**
 * Search and similarity terms for Japanese-first text, the same on SQLite and PostgreSQL.
 *
 * Japanese is written without spaces, so words cannot be split reliably without a dictionary.
 * Runs of CJK characters are indexed as overlapping character bigrams instead (`液浸冷却` →
 * `液浸 浸冷 冷却`); a query word matches when its bigrams occur as a phrase, which finds 2-character
 * and longer words anywhere inside running text. Runs of other letters and digits are words,
 * lower-cased after NFKC (so `Ｂｅｄｒｏｃｋ` and `bedrock` are one term).
 */

// Han, Hiragana, Katakana (with the prolonged sound mark), and Hangul: scripts written without spaces.
const CJK_CHARS = '\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Hangul}ー々〆';
const CJK = new RegExp(`[${CJK_CHARS}]`, 'v');
/** A CJK run (group 1) or a run of other letters and digits (group 2), in one pass. */
const RUNS = new RegExp(`([${CJK_CHARS}]+)|([[\\p{L}\\p{N}]--[${CJK_CHARS}]]+)`, 'gv');

/** Longest query the index is asked to match; longer input is refused, not scanned. */
export const MAX_QUERY_LENGTH = 200;
/** Most query terms (words or CJK phrases) considered. */
export const MAX_QUERY_PHRASES = 16;

export function normalizeForSearch(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

/** The script runs of a text: CJK runs and runs of other letters and digits. */
function* scriptRuns(text: string): Generator<{ cjk: boolean; text: string }> {
  for (const match of normalizeForSearch(text).matchAll(RUNS)) {
    yield match[1] ? { cjk: true, text: match[1] } : { cjk: false, text: match[2] };
  }
}

function bigrams(run: string): string[] {
  const chars = [...run];
  if (chars.length === 1) return chars;
  const out: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i] + chars[i + 1]);
  return out;
}

/** The tokens of a text, in order: what the full-text index stores. */
export function searchTokens(text: string): string[] {
  const tokens: string[] = [];
  for (const part of scriptRuns(text)) {
    if (part.cjk) tokens.push(...bigrams(part.text));
    else tokens.push(part.text);
  }
  return tokens;
}

/**
 * A query as terms that must all match: each term is a phrase of tokens (one token for an
 * English word, the bigrams of a CJK word in order). `Amazon Bedrock` is two terms; `生成AI` is
 * `生成` and `ai`. Punctuation-only input gives no terms.
 */
export function queryPhrases(query: string): string[][] {
  const terms: string[][] = [];
  const seen = new Set<string>();
  for (const part of scriptRuns(query)) {
    const phrase = part.cjk ? bigrams(part.text) : [part.text];
    const key = phrase.join(' ');
    if (seen.has(key)) continue;
    seen.add(key);
    terms.push(phrase);
  }
  return terms.slice(0, MAX_QUERY_PHRASES);
}

/** Text of a Markdown body worth indexing: scripts, styles, link targets, image sources and HTML tags removed. */
export function indexableText(markdown: string): string {
  return markdown
    .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\]\([^)]*\)/g, '] ')
    .replace(/https?:\/\/\S+/g, ' ');
}

const HIRAGANA_ONLY = /^[\p{Script=Hiragana}ー]+$/u;

const STOPWORDS = new Set(
  (
    'a an and are as at be been but by can could did do does for from had has have he her his how i if in into is it its ' +
    'just me more most my no not of on one or our out so some than that the their them then there these they this to ' +
    'up us was we were what when where which who will with would you your also about after all any because before both ' +
    'each few get got here how many much new now only other over same should such through too under very via while why ' +
    'com www http https html md png jpg'
  ).split(' '),
);

/** Whether a term carries meaning for similarity (not a stopword, not a lone digit, not a 1-letter word). */
function meaningful(term: string): boolean {
  if (STOPWORDS.has(term)) return false;
  if (/^\d+$/.test(term)) return false;
  if (!CJK.test(term) && term.length < 2) return false;
  // Bigrams made only of kana are mostly grammar (`です`, `した`, `ので`): keep kanji or katakana ones.
  if (HIRAGANA_ONLY.test(term)) return false;
  return true;
}

/**
 * The distinct terms of `tokenFrequencies(title, body)`, from the tokens a caller already has:
 * `searchTokens(title)` and `searchTokens(indexableText(body))`.
 */
export function similarityTerms(titleTokens: readonly string[], bodyTokens: readonly string[]): Set<string> {
  const terms = new Set<string>();
  for (const tokens of [titleTokens, bodyTokens]) {
    for (const term of tokens) if (!terms.has(term) && meaningful(term)) terms.add(term);
  }
  return terms;
}

/** Term frequencies for text similarity: title terms count three times, the body once. */
export function tokenFrequencies(title: string, body: string): Map<string, number> {
  const tf = new Map<string, number>();
  const add = (text: string, weight: number) => {
    for (const term of searchTokens(text)) {
      if (meaningful(term)) tf.set(term, (tf.get(term) ?? 0) + weight);
    }
  };
  add(title, 3);
  add(indexableText(body), 1);
  return tf;
}
