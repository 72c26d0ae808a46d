import { badInput } from './errors';

/*
 * Opaque cursors and global IDs. Both are base64url of a small JSON or "Type:id" text; clients must
 * treat them as opaque, and anything that does not decode cleanly, or holds a value no row can
 * have (an id out of range, a NUL character), is BAD_USER_INPUT before it reaches the database.
 * The one exception is `node(id:)`, which answers null for such an ID (parseGlobalId), as Relay
 * clients expect of a node that cannot be found.
 */

export type CursorValue = string | number | null;

export function encodeCursor(values: CursorValue[]): string {
  return Buffer.from(JSON.stringify(values), 'utf8').toString('base64url');
}

/** Longer than any cursor Kiji gives (a 500-character title in JSON, in base64). */
const MAX_CURSOR_LENGTH = 4096;

export function decodeCursor(cursor: string, arity: number, argument: string): CursorValue[] {
  try {
    if (cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw new Error('alphabet');
    const values: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(values) &&
      values.length === arity &&
      values.every((v) => v === null || (typeof v === 'string' && !v.includes('\0')) || (typeof v === 'number' && Number.isFinite(v))) &&
      isRowId(values[arity - 1])
    ) {
      return values as CursorValue[];
    }
  } catch {
    // fall through to the error below
  }
  throw badInput(`\`${argument}\` is not a valid cursor for this list`, { argument });
}

/**
 * The largest row id: every id column is a PostgreSQL `integer`. A larger one cannot name a row,
 * and PostgreSQL (unlike SQLite) refuses it as a parameter, so it is refused here on both.
 */
export const MAX_ROW_ID = 2_147_483_647;

/** Every cursor ends with the id of its row, which breaks ties in the order. */
function isRowId(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= MAX_ROW_ID;
}

export type NodeType = 'Post' | 'Author' | 'Tag' | 'Category' | 'PostRevision';
const NODE_TYPES: readonly NodeType[] = ['Post', 'Author', 'Tag', 'Category', 'PostRevision'];

export function toGlobalId(type: NodeType, id: number): string {
  return Buffer.from(`${type}:${id}`, 'utf8').toString('base64url');
}

export interface GlobalIdRef {
  type: NodeType;
  id: number;
}

/** What a global ID names, or null when it is not one Kiji could have given (see fromGlobalId). */
export function parseGlobalId(globalId: string): GlobalIdRef | null {
  const text = /^[A-Za-z0-9_-]{1,64}={0,2}$/.test(globalId) ? Buffer.from(globalId, 'base64url').toString('utf8') : '';
  const match = /^([A-Za-z]+):([1-9][0-9]{0,9})$/.exec(text);
  if (!match || !NODE_TYPES.includes(match[1] as NodeType) || !isRowId(Number(match[2]))) return null;
  return { type: match[1] as NodeType, id: Number(match[2]) };
}

/** What a global ID names; BAD_USER_INPUT naming `argument` when it is not one Kiji could have given. */
export function fromGlobalId(globalId: string, argument = 'id'): GlobalIdRef {
  const ref = parseGlobalId(globalId);
  if (!ref) throw badInput(`\`${argument}\` is not a valid Kiji ID`, { argument });
  return ref;
}
