import { normalizeForSearch } from './searchTokens';

/**
 * A short passage of `text` around the best search hit, HTML-escaped, with each hit in <mark>.
 * Matching uses the same normalization as the index (NFKC, lower case), but the passage shows
 * the text as written.
 */
export function searchSnippet(text: string, terms: string[][], maxLength = 140): string | null {
  const plain = text.replace(/\s+/g, ' ').trim();
  if (!plain) return null;
  // Normalize code point by code point so each normalized index maps back to the original.
  const chars = [...plain];
  let normalized = '';
  const origin: number[] = [];
  chars.forEach((ch, i) => {
    const n = normalizeForSearch(ch);
    normalized += n;
    for (let k = 0; k < n.length; k++) origin.push(i);
  });
  origin.push(chars.length);
  const hits: { start: number; end: number }[] = [];
  for (const needle of terms.map(surface)) {
    for (let at = normalized.indexOf(needle); at >= 0; at = normalized.indexOf(needle, at + needle.length)) {
      hits.push({ start: origin[at], end: origin[at + needle.length - 1] + 1 });
    }
  }
  hits.sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: { start: number; end: number }[] = [];
  for (const hit of hits) {
    const last = merged[merged.length - 1];
    if (last && hit.start <= last.end) last.end = Math.max(last.end, hit.end);
    else merged.push({ ...hit });
  }
  let start = 0;
  if (merged.length) {
    // The window holding the most hits, starting a little before its first one.
    let best = -1;
    for (const hit of merged) {
      const from = Math.max(0, hit.start - 30);
      const count = merged.filter((h) => h.start >= from && h.end <= from + maxLength).length;
      if (count > best) [best, start] = [count, from];
    }
  }
  const end = Math.min(chars.length, start + maxLength);
  let out = start > 0 ? '…' : '';
  let i = start;
  for (const hit of merged.filter((h) => h.start >= start && h.end <= end)) {
    out += escapeHtml(chars.slice(i, hit.start).join('')) + '<mark>' + escapeHtml(chars.slice(hit.start, hit.end).join('')) + '</mark>';
    i = hit.end;
  }
  out += escapeHtml(chars.slice(i, end).join('')) + (end < chars.length ? '…' : '');
  return out;
}

/** The text a query term stands for: a word, or the CJK run its bigrams came from. */
function surface(phrase: string[]): string {
  return phrase.length === 1 ? phrase[0] : phrase[0] + phrase.slice(1).map((bigram) => [...bigram].slice(1).join('')).join('');
}

/** Text HTML shows as it is (snippets, the explorer's page, RSS descriptions). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Markdown reduced to readable text for a snippet: no HTML, link targets, or markup characters. */
export function snippetText(markdown: string): string {
  return markdown
    .replace(/```[^\n]*\n/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/^\s{0,3}(#{1,6}|>|[-*+]|\d+\.)\s+/gm, '')
    .replace(/[*_`~]+/g, '');
}
