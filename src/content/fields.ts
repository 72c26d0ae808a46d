/**
 * Reading the front-matter fields Kiji maps to columns. Values come from YAML written by hand,
 * so every reader accepts the shapes people actually use and never throws.
 */

/** A scalar as text; numbers were already given their source text by the YAML reader. */
export function scalarText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value.trim() || null;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return null;
}

/** Trim, drop empties, dedupe case-insensitively keeping the first spelling. */
export function dedupeNames(names: string[], key: (s: string) => string = (s) => s.normalize('NFKC').toLowerCase()): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of names) {
    const name = raw.trim();
    if (!name) continue;
    const k = key(name);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(name);
  }
  return out;
}

/**
 * Jekyll's rule for `tags`/`categories`: a YAML list, or a string split on commas where it has
 * any, else on whitespace. Items keep their case and script.
 */
export function readNameList(...values: unknown[]): string[] {
  const names: string[] = [];
  for (const value of values) {
    if (value === null || value === undefined) continue;
    if (Array.isArray(value)) {
      for (const item of value) {
        const text = scalarText(item);
        if (text) names.push(text);
      }
      continue;
    }
    const text = scalarText(value);
    if (!text) continue;
    names.push(...(text.includes(',') ? text.split(',') : text.split(/\s+/)));
  }
  return dedupeNames(names);
}

/** `author: name`, `authors: [id, id]`, or list items like `{ name: … }`: names as written. */
export function readAuthors(author: unknown, authors: unknown, slugKey: (s: string) => string): string[] {
  const names: string[] = [];
  const take = (v: unknown) => {
    if (Array.isArray(v)) return v.forEach(take);
    if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      const text = scalarText(o.name) ?? scalarText(o.id) ?? scalarText(o.handle);
      if (text) names.push(text);
      return;
    }
    const text = scalarText(v);
    if (text) names.push(text);
  };
  take(author);
  take(authors);
  // Same person written `DirtyF` and `dirtyf`: one author, first spelling kept.
  return dedupeNames(names, slugKey);
}

/** YAML 1.1 booleans (`no`, `off`) still appear in Jekyll front matter; treat them as Jekyll did. */
export function readBoolean(value: unknown): boolean | null {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const v = value.trim().toLowerCase();
    if (['true', 'yes', 'on', 'y'].includes(v)) return true;
    if (['false', 'no', 'off', 'n'].includes(v)) return false;
  }
  return null;
}

/** A positive whole number of minutes, or null. */
export function readMinutes(value: unknown): number | null {
  const text = scalarText(value);
  if (!text) return null;
  const m = /^(\d+(?:\.\d+)?)\s*(?:min(?:utes?)?|分)?$/i.exec(text);
  if (!m) return null;
  const n = Math.round(Number(m[1]));
  return n >= 1 ? n : null;
}
