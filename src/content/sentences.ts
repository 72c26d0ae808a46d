/** Sentence boundaries for Japanese and English prose, shared by artifact repair and excerpts. */

export const SENTENCE_END_CHARS = '。！？!?';
const CLOSERS = '」』）)］]"\'’”】〉》';

/**
 * Code-unit offsets just after each sentence end in `text`: after `。！？!?`, or after `.` that is
 * followed by whitespace or the end (so `3.5` and `example.com` do not end a sentence), plus any
 * closing brackets or quotes that belong to the sentence.
 */
export function sentenceEnds(text: string): number[] {
  const ends: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    let isEnd = SENTENCE_END_CHARS.includes(c);
    if (c === '.') isEnd = i + 1 >= text.length || /\s/.test(text[i + 1]) || CLOSERS.includes(text[i + 1]);
    if (!isEnd) continue;
    let j = i + 1;
    while (j < text.length && (SENTENCE_END_CHARS.includes(text[j]) || text[j] === '.' || CLOSERS.includes(text[j]))) j++;
    ends.push(j);
    i = j - 1;
  }
  return ends;
}

export function splitSentences(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (const end of sentenceEnds(text)) {
    const s = text.slice(start, end).trim();
    if (s) out.push(s);
    start = end;
  }
  const rest = text.slice(start).trim();
  if (rest) out.push(rest);
  return out;
}

export function endsWithSentenceEnd(text: string): boolean {
  const t = text.trimEnd();
  const ends = sentenceEnds(t);
  return ends.length > 0 && ends[ends.length - 1] === t.length;
}
