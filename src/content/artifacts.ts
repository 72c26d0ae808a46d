/**
 * Repairs of machine-generated text: `---END---` markers, a paragraph repeated verbatim, a
 * paragraph that only repeats the last sentence of the one before, and a sentence cut by a
 * marker and continued after it with `...` plus an overlap. Each repair is reported with its line
 * in the original file; everything else is left byte for byte as it was.
 */
import { MdToken } from './markdown';
import { endsWithSentenceEnd, splitSentences } from './sentences';
import { ContentIssue } from './types';

/** One body line and the file line it came from. */
export interface SourceLine {
  text: string;
  line: number;
}

export interface ArtifactResult {
  lines: SourceLine[];
  issues: ContentIssue[];
}

/**
 * Cheap test on blank-line separated chunks: can this body hold an artifact at all? Most bodies
 * cannot, and then the block parse the repairs need is skipped.
 */
function mayHaveArtifacts(text: string): boolean {
  if (MARKER_TEST.test(text)) return true;
  const chunks = text.split(/\n[ \t]*\n/).map((c) => c.trim());
  for (let i = 1; i < chunks.length; i++) {
    const cur = chunks[i];
    if (cur.length >= MIN_REPEAT_LENGTH && chunks[i - 1].endsWith(cur)) return true;
  }
  return false;
}

// Generators write the marker with three or more dashes; letters make it impossible to confuse
// with a thematic break (`---`) or a setext underline.
const MARKER = /[ \t]*-{3,}[ \t]*END[ \t]*-{3,}[ \t]*/g;
const MARKER_TEST = /-{3,}[ \t]*END[ \t]*-{3,}/;
const ELLIPSIS_START = /^[ \t]*(?:\.{2,}|…+|‥+)[ \t]*/;
/** Shorter paragraphs ("Before:", "Thanks!") are repeated on purpose too often to call them artifacts. */
const MIN_REPEAT_LENGTH = 8;

interface Piece {
  start: number; // input line index, inclusive
  end: number; // exclusive
  markerBefore: boolean;
}

const normalize = (s: string) =>
  s
    .split('\n')
    .map((l) => l.trim())
    .join('\n')
    .trim();

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
const WORD_CHAR = /[\p{L}\p{N}]/u;

/** Longest prefix of `next` (in code points) that `prev` ends with, on a sensible boundary. */
function overlapLength(prev: string, next: string): number {
  const p = Array.from(prev);
  const n = Array.from(next);
  for (let k = Math.min(p.length, n.length, 80); k >= 2; k--) {
    const tail = p.slice(p.length - k).join('');
    if (tail !== n.slice(0, k).join('')) continue;
    const before = p[p.length - k - 1];
    // A Latin overlap must start on a word boundary, or "innovati|ve" would match "ve|ry".
    if (CJK.test(tail) || before === undefined || !WORD_CHAR.test(before)) return k;
  }
  return 0;
}

/** `structure` returns the block tokens of `input` (parsed once, shared with lint checks). */
export function repairArtifacts(file: string, input: SourceLine[], structure: () => MdToken[]): ArtifactResult {
  const text = input.map((l) => l.text).join('\n');
  if (!mayHaveArtifacts(text)) return { lines: input, issues: [] };
  const lines = input.map((l) => ({ ...l }));
  const tokens = structure();
  const issues: ContentIssue[] = [];
  const issue = (i: number, code: string, message: string) => issues.push({ file, line: input[i].line, code, message });

  const code = new Array<boolean>(lines.length).fill(false);
  for (const t of tokens) {
    if ((t.type === 'fence' || t.type === 'code_block') && t.map) for (let i = t.map[0]; i < t.map[1]; i++) code[i] = true;
  }

  const removed = new Array<boolean>(lines.length).fill(false);
  const markerLine = new Array<boolean>(lines.length).fill(false);
  const markerAtEnd = new Array<boolean>(lines.length).fill(false);
  for (let i = 0; i < lines.length; i++) {
    if (code[i] || !MARKER_TEST.test(lines[i].text)) continue;
    const stripped = lines[i].text.replace(MARKER, '');
    if (!stripped.trim()) {
      markerLine[i] = removed[i] = true;
      issue(i, 'END_MARKER', 'removed a "---END---" generation marker line');
    } else {
      markerAtEnd[i] = /-{3,}[ \t]*END[ \t]*-{3,}[ \t]*$/.test(lines[i].text);
      lines[i].text = stripped;
      issue(i, 'END_MARKER', 'removed a "---END---" marker glued to the text');
    }
  }

  // Top-level blocks in order; paragraphs are split at marker lines into pieces.
  const sequence: (Piece | null)[] = [];
  let markerPending = false;
  for (const t of tokens) {
    if (t.level !== 0 || !t.map || t.nesting === -1) continue;
    if (t.type !== 'paragraph_open') {
      sequence.push(null); // a heading, list or code between two paragraphs makes them non-adjacent
      markerPending = false;
      continue;
    }
    let start = -1;
    for (let i = t.map[0]; i <= t.map[1]; i++) {
      const boundary = i === t.map[1] || markerLine[i];
      if (!boundary && start < 0) start = i;
      if (boundary && start >= 0) {
        sequence.push({ start, end: i, markerBefore: markerPending });
        markerPending = markerAtEnd[i - 1];
        start = -1;
      }
      if (i < t.map[1] && markerLine[i]) markerPending = true;
    }
  }

  const pieceText = (p: Piece) =>
    lines
      .slice(p.start, p.end)
      .filter((_, k) => !removed[p.start + k])
      .map((l) => l.text)
      .join('\n');

  let prev: Piece | null = null;
  for (const cur of sequence) {
    if (!cur) {
      prev = null;
      continue;
    }
    if (!prev) {
      prev = cur;
      continue;
    }
    const prevText = pieceText(prev);
    const curText = pieceText(cur);
    const curNorm = normalize(curText);
    if (cur.markerBefore && ELLIPSIS_START.test(lines[cur.start].text) && !endsWithSentenceEnd(prevText)) {
      const last = prev.end - 1;
      const head = lines[last].text.replace(/[ \t]+$/, '');
      const rest = lines[cur.start].text.replace(ELLIPSIS_START, '');
      const k = overlapLength(head, rest);
      const sep = k === 0 && /[A-Za-z0-9,;:]$/.test(head) && /^[A-Za-z0-9]/.test(rest) ? ' ' : '';
      lines[last].text = head + sep + Array.from(rest).slice(k).join('');
      for (let i = prev.end; i <= cur.start; i++) removed[i] = true;
      issue(
        last,
        'SPLIT_SENTENCE',
        `joined the sentence cut before a marker with its continuation on line ${input[cur.start].line}` +
          (k ? ` (overlap "${Array.from(rest).slice(0, k).join('')}" kept once)` : ''),
      );
      prev = { start: prev.start, end: cur.end, markerBefore: prev.markerBefore };
      continue;
    }
    if (curNorm.length >= MIN_REPEAT_LENGTH && curNorm === normalize(prevText)) {
      for (let i = cur.start; i < cur.end; i++) removed[i] = true;
      issue(cur.start, 'DUPLICATE_PARAGRAPH', `removed a paragraph that repeats the one on line ${input[prev.start].line} verbatim`);
      continue;
    }
    const sentences = splitSentences(normalize(prevText));
    if (curNorm.length >= MIN_REPEAT_LENGTH && sentences.length > 1 && curNorm === sentences[sentences.length - 1]) {
      for (let i = cur.start; i < cur.end; i++) removed[i] = true;
      issue(cur.start, 'REPEATED_SENTENCE', `removed a paragraph that only repeats the last sentence of the paragraph on line ${input[prev.start].line}`);
      continue;
    }
    prev = cur;
  }

  // Emit; where lines were removed, do not leave two blank lines in a row (or blank lines at the end).
  const out: SourceLine[] = [];
  let gap = false;
  const blank = (l: SourceLine | undefined) => l !== undefined && !l.text.trim();
  for (let i = 0; i < lines.length; i++) {
    if (removed[i]) {
      gap = true;
      continue;
    }
    if (gap && blank(lines[i]) && (out.length === 0 || blank(out[out.length - 1]))) continue;
    out.push(lines[i]);
    gap = false;
  }
  if (gap) while (out.length && blank(out[out.length - 1])) out.pop();
  return { lines: out, issues };
}
