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

export type NodeType = 'Post' | 'Author' | 'Tag' | 'Category' | 'PostRevision' | 'Page';
const NODE_TYPES: readonly NodeType[] = ['Post', 'Author', 'Tag', 'Category', 'PostRevision', 'Page'];

/**
 * Node types whose rows are keyed by a random text id rather than an integer: webhook endpoints
 * (`ep_…`), deliveries (`msg_…`, the `webhook-id` receivers see) and preview links (`pl_…`). Their
 * global IDs wrap that key the same way (`WebhookEndpoint:ep_…` in base64url), so clients treat
 * every ID alike.
 */
export type KeyedNodeType = 'WebhookEndpoint' | 'WebhookDelivery' | 'PreviewLink';
const KEY_FORMS: Record<KeyedNodeType, RegExp> = {
  WebhookEndpoint: /^ep_[A-Za-z0-9_-]{1,36}$/,
  WebhookDelivery: /^msg_[A-Za-z0-9_-]{1,35}$/,
  PreviewLink: /^pl_[A-Za-z0-9_-]{1,37}$/,
};

export function toGlobalId(type: NodeType, id: number): string;
export function toGlobalId(type: KeyedNodeType, key: string): string;
export function toGlobalId(type: NodeType | KeyedNodeType, id: number | string): string {
  return Buffer.from(`${type}:${id}`, 'utf8').toString('base64url');
}

export type GlobalIdRef = { type: NodeType; id: number } | { type: KeyedNodeType; id: string };

/** What a global ID names, or null when it is not one Kiji could have given (see fromGlobalId). */
export function parseGlobalId(globalId: string): GlobalIdRef | null {
  const text = /^[A-Za-z0-9_-]{1,96}={0,2}$/.test(globalId) ? Buffer.from(globalId, 'base64url').toString('utf8') : '';
  const keyed = /^([A-Za-z]+):([a-z]+_[A-Za-z0-9_-]+)$/.exec(text);
  if (keyed && keyed[1] in KEY_FORMS && KEY_FORMS[keyed[1] as KeyedNodeType].test(keyed[2])) return { type: keyed[1] as KeyedNodeType, id: keyed[2] };
  const match = /^([A-Za-z]+):([1-9][0-9]{0,9})$/.exec(text);
  if (!match || !NODE_TYPES.includes(match[1] as NodeType) || !isRowId(Number(match[2]))) return null;
  return { type: match[1] as NodeType, id: Number(match[2]) };
}

/** What a global ID of a row type names; BAD_USER_INPUT naming `argument` when it is not one Kiji could have given. */
export function fromGlobalId(globalId: string, argument = 'id'): { type: NodeType; id: number } {
  const ref = parseGlobalId(globalId);
  if (!ref || typeof ref.id !== 'number') throw badInput(`\`${argument}\` is not a valid Kiji ID`, { argument });
  return ref as { type: NodeType; id: number };
}

/** The key a global ID of `type` wraps; BAD_USER_INPUT naming `argument` when it is not such an ID. */
export function keyOfGlobalId(globalId: string, type: KeyedNodeType, argument = 'id'): string {
  const ref = parseGlobalId(globalId);
  if (ref?.type !== type) throw badInput(`\`${argument}\` is not the ID of a ${type}`, { argument });
  return ref.id;
}
