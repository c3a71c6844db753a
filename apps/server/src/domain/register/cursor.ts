import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { badInput } from '../../http/errors.js';

/** Where a page ended: the last row's sort key. Opaque to callers (base64url JSON). */
export interface Cursor {
  name: string;
  id: string;
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.name, cursor.id])).toString('base64url');
}

export function decodeCursor(raw: string): Cursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    const text = (v: unknown): v is string => typeof v === 'string' && !v.includes('\u0000');
    if (Array.isArray(value) && value.length === 2 && text(value[0]) && text(value[1])) {
      return { name: value[0], id: value[1] };
    }
  } catch {
    // fall through to the error below
  }
  throw badInput({ cursor: 'is not a cursor this list gave out; start again from the first page' });
}

/** Rows after the cursor in (name_lower, id) order. */
export function afterCursor(nameColumn: string, idColumn: string, cursor: Cursor): RawBuilder<SqlBool> {
  const name = sql.ref(nameColumn);
  return sql<SqlBool>`(${name} > ${cursor.name} or (${name} = ${cursor.name} and ${sql.ref(idColumn)} > ${cursor.id}))`;
}
