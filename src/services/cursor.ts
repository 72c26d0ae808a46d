import { badInput } from './errors';

/*
 * Opaque cursors and global IDs. Both are base64url of a small JSON or "Type:id" text; clients must
 * treat them as opaque, and anything that does not decode cleanly is BAD_USER_INPUT.
 */

export type CursorValue = string | number | null;

export function encodeCursor(values: CursorValue[]): string {
  return Buffer.from(JSON.stringify(values), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string, arity: number, argument: string): CursorValue[] {
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw new Error('alphabet');
    const values: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(values) &&
      values.length === arity &&
      values.every((v) => v === null || typeof v === 'string' || typeof v === 'number')
    ) {
      return values as CursorValue[];
    }
  } catch {
    // fall through to the error below
  }
  throw badInput(`\`${argument}\` is not a valid cursor for this list`, { argument });
}

export type NodeType = 'Post' | 'Author' | 'Tag' | 'Category' | 'PostRevision';
const NODE_TYPES: readonly NodeType[] = ['Post', 'Author', 'Tag', 'Category', 'PostRevision'];

export function toGlobalId(type: NodeType, id: number): string {
  return Buffer.from(`${type}:${id}`, 'utf8').toString('base64url');
}

export function fromGlobalId(globalId: string, argument = 'id'): { type: NodeType; id: number } {
  const text = /^[A-Za-z0-9_-]+={0,2}$/.test(globalId) ? Buffer.from(globalId, 'base64url').toString('utf8') : '';
  const match = /^([A-Za-z]+):([1-9][0-9]{0,15})$/.exec(text);
  if (!match || !NODE_TYPES.includes(match[1] as NodeType)) {
    throw badInput(`\`${argument}\` is not a valid Kiji ID`, { argument });
  }
  return { type: match[1] as NodeType, id: Number(match[2]) };
}
