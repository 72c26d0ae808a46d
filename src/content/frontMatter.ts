/**
 * Splitting a source file into YAML front matter and body, and reading the YAML.
 *
 * Line numbers matter here: every issue points at a line of the ORIGINAL file, so normalisation
 * (BOM, CRLF) never adds or removes lines, and the body remembers on which file line it starts.
 */
import { Document, isMap, isScalar, parseDocument, visit } from 'yaml';
import { ContentError, ContentIssue } from './types';

export interface SplitSource {
  /** Front-matter lines (without the `---` fences). */
  yamlLines: string[];
  /** File line (1-based) of the first YAML line. */
  yamlStartLine: number;
  body: string;
  /** File line (1-based) of the first body line. */
  bodyStartLine: number;
}

/** BOM dropped, CRLF and lone CR turned into LF: one line in, one line out. */
export function normalizeNewlines(text: string): string {
  return text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
}

const OPEN_FENCE = /^---[ \t]*$/;
const CLOSE_FENCE = /^(?:---|\.\.\.)[ \t]*$/;

export function splitFrontMatter(file: string, normalizedText: string): SplitSource {
  const lines = normalizedText.split('\n');
  if (!OPEN_FENCE.test(lines[0] ?? '')) {
    throw new ContentError(file, 1, `${file}: no front matter (the file must start with a "---" line)`);
  }
  for (let i = 1; i < lines.length; i++) {
    if (CLOSE_FENCE.test(lines[i])) {
      return {
        yamlLines: lines.slice(1, i),
        yamlStartLine: 2,
        body: lines.slice(i + 1).join('\n'),
        bodyStartLine: i + 2,
      };
    }
  }
  throw new ContentError(file, 1, `${file}: front matter opened on line 1 is never closed by "---" or "..."`);
}

export interface ParsedFrontMatter {
  data: Record<string, unknown>;
  /** File line of each top-level key, for issues about a field. */
  keyLines: Record<string, number>;
  issues: ContentIssue[];
}

const YAML_OPTIONS = { schema: 'core' as const, uniqueKeys: false, prettyErrors: false };

// A top-level key that reads like prose (spaces and many words, or markup) is body text that
// slipped into the front matter because a plain scalar was not indented.
function looksLikeLeakedProse(key: string): boolean {
  return /[<>]/.test(key) || (/\s/.test(key) && key.trim().split(/\s+/).length >= 5);
}

const KEY_LINE = /^[A-Za-z_$][\w$.-]{0,60}[ \t]*:(?:[ \t]|$)/;

function quoteClosed(quote: string, text: string): boolean {
  if (quote === '"') return /(?:^|[^\\])(?:\\\\)*"/.test(text);
  return /'/.test(text.replace(/''/g, ''));
}

/**
 * Front matter that Jekyll/Eleventy (libyaml, js-yaml) accept but YAML 1.2 does not: a quoted or
 * plain scalar whose continuation lines start in column 0. Rewrites only those lines, keeps the
 * line count so later error lines stay true. Returns the (0-based) indexes of the lines it changed.
 */
export function repairUnindentedScalars(lines: string[]): { lines: string[]; repaired: number[] } {
  const out = lines.slice();
  const repaired: number[] = [];
  let i = 0;
  while (i < out.length) {
    const m = /^([A-Za-z_$][\w$.-]*[ \t]*:[ \t]+)(["']?)(.*)$/.exec(out[i]);
    if (!m) {
      i++;
      continue;
    }
    const [, head, quote, rest] = m;
    if (quote) {
      if (quoteClosed(quote, rest)) {
        i++;
        continue;
      }
      // Unterminated quoted scalar: indent its continuation lines until the closing quote.
      let j = i + 1;
      for (; j < out.length; j++) {
        if (out[j].trim() && !/^\s/.test(out[j])) {
          out[j] = `  ${out[j]}`;
          repaired.push(j);
        }
        if (quoteClosed(quote, out[j])) break;
      }
      i = j + 1;
      continue;
    }
    // Plain scalar: following column-0 lines that are not keys, list items or comments are its text.
    let j = i + 1;
    const cont: number[] = [];
    while (j < out.length) {
      const line = out[j];
      if (!line.trim()) {
        j++;
        continue;
      }
      if (/^\s/.test(line) || KEY_LINE.test(line) || /^(?:-\s|-$|#)/.test(line)) break;
      cont.push(j);
      j++;
    }
    if (cont.length && rest.trim() && !/^[[{|>&*!]/.test(rest.trim())) {
      // Re-quote as a double-quoted scalar (which may hold `: ` and `#`), same number of lines.
      const last = cont[cont.length - 1];
      const esc = (s: string) => s.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
      out[i] = `${head}"${esc(rest)}`;
      for (let k = i + 1; k <= last; k++) out[k] = out[k].trim() ? `  ${esc(out[k].trim())}` : '';
      out[last] += '"';
      repaired.push(...cont);
      i = last + 1;
      continue;
    }
    i++;
  }
  return { lines: out, repaired };
}

function yamlErrorLine(doc: Document, yamlText: string, yamlStartLine: number): { line: number; message: string } {
  const err = doc.errors[0];
  const line = offsetToLine(yamlText, err.pos[0], yamlStartLine);
  return { line, message: err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '') };
}

function topLevelKeys(doc: Document): { key: string; line: number }[] {
  const result: { key: string; line: number }[] = [];
  if (!isMap(doc.contents)) return result;
  for (const pair of doc.contents.items) {
    const key = pair.key as { range?: [number, number, number] | null } | null;
    if (!key) continue;
    result.push({ key: String(isScalar(key) ? key.value : key), line: key.range ? key.range[0] : 0 });
  }
  return result;
}

/** Offset in the YAML text → 1-based line of the file. */
function offsetToLine(yamlText: string, offset: number, yamlStartLine: number): number {
  let line = yamlStartLine;
  for (let i = 0; i < offset && i < yamlText.length; i++) if (yamlText.charCodeAt(i) === 10) line++;
  return line;
}

function isMapping(doc: Document): boolean {
  // An empty front matter (`---` directly followed by `---`) is an empty mapping, as in Jekyll.
  return doc.contents === null || isMap(doc.contents);
}

/** Anything that JSON cannot carry unchanged becomes a string, so frontMatter can be stored as JSON. */
export function jsonSafe(value: unknown): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (Array.isArray(value)) return value.map(jsonSafe);
  if (value instanceof Map) return jsonSafe(Object.fromEntries([...value].map(([k, v]) => [String(k), v])));
  if (value instanceof Set) return [...value].map(jsonSafe);
  if (typeof value === 'object' && (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = jsonSafe(v);
    return out;
  }
  // Class instances, symbols, functions: what JSON can carry of them is their own string form.
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- that form, whatever it is, is the point
  return value === undefined ? null : String(value);
}

export function parseFrontMatter(file: string, split: SplitSource): ParsedFrontMatter {
  const issues: ContentIssue[] = [];
  const start = split.yamlStartLine;
  let yamlText = split.yamlLines.join('\n');
  let doc = parseDocument(yamlText, YAML_OPTIONS);

  const leaked = doc.errors.length === 0 && topLevelKeys(doc).some((k) => looksLikeLeakedProse(k.key));
  if (doc.errors.length || leaked) {
    const { lines, repaired } = repairUnindentedScalars(split.yamlLines);
    const retryText = lines.join('\n');
    const retry = repaired.length ? parseDocument(retryText, YAML_OPTIONS) : null;
    const retryLeaks = retry ? topLevelKeys(retry).some((k) => looksLikeLeakedProse(k.key)) : true;
    if (retry && retry.errors.length === 0 && !retryLeaks) {
      issues.push({
        file,
        line: repaired[0] + start,
        code: 'FRONT_MATTER_REPAIRED',
        message: leaked
          ? `line ${repaired[0] + start} is not a front-matter key but the unindented continuation of the value above; read as part of that value`
          : `a quoted or plain value continues on unindented lines (${repaired.map((r) => r + start).join(', ')}); read leniently as Jekyll does`,
      });
      doc = retry;
      yamlText = retryText;
    } else if (doc.errors.length) {
      const { line, message } = yamlErrorLine(doc, yamlText, start);
      throw new ContentError(file, line, `${file}:${line}: front matter is not valid YAML: ${message}`);
    } else {
      for (const k of topLevelKeys(doc).filter((x) => looksLikeLeakedProse(x.key))) {
        const line = offsetToLine(yamlText, k.line, start);
        issues.push({ file, line, code: 'FRONT_MATTER_PROSE', message: `front-matter key on line ${line} looks like body text` });
      }
    }
  }
  if (!isMapping(doc)) {
    throw new ContentError(file, start, `${file}:${start}: front matter must be a mapping of keys to values`);
  }
  for (const w of doc.warnings) {
    const line = offsetToLine(yamlText, w.pos[0], start);
    issues.push({ file, line, code: 'YAML_WARNING', message: w.message.split('\n')[0] });
  }
  split.yamlLines.forEach((l, i) => {
    if (l.includes('\t')) {
      issues.push({ file, line: i + start, code: 'YAML_TAB', message: 'tab character in front matter (YAML forbids tabs for indentation; many tools reject it)' });
    }
  });

  // Numbers whose text would change when printed back (`version: 3.0`, `1e3`, `007`) keep their text.
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === 'number' && node.source !== undefined && String(node.value) !== node.source) {
        node.value = node.source;
      }
    },
  });

  const keyLines: Record<string, number> = {};
  const seen = new Set<string>();
  for (const k of topLevelKeys(doc)) {
    const line = offsetToLine(yamlText, k.line, start);
    if (seen.has(k.key)) {
      issues.push({ file, line, code: 'DUPLICATE_KEY', message: `front-matter key "${k.key}" appears more than once; the last one wins` });
    }
    seen.add(k.key);
    keyLines[k.key] = line;
  }
  const data = (jsonSafe(doc.toJS({ maxAliasCount: 1000 })) ?? {}) as Record<string, unknown>;
  return { data, keyLines, issues };
}
