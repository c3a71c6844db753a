import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { encodeCursor } from './cursor.js';

export type ArchivedFilter = 'false' | 'true' | 'all';

/** The `archived` query filter as a condition on an `archived_at` column. */
export function archivedCondition(column: string, filter: ArchivedFilter): RawBuilder<SqlBool> {
  if (filter === 'all') return sql<SqlBool>`1 = 1`;
  return filter === 'true' ? sql<SqlBool>`${sql.ref(column)} is not null` : sql<SqlBool>`${sql.ref(column)} is null`;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
  total: number;
}

/** Cut a `limit + 1` fetch down to a page; the extra row only says whether there is a next page. */
export function pageOf<R extends { id: string; name_lower: string }>(rows: R[], limit: number, total: number): Page<R> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  const nextCursor = rows.length > limit && last ? encodeCursor({ name: last.name_lower, id: last.id }) : null;
  return { items, nextCursor, total };
}

/** The new `archived_at` for a PATCH's `archived` flag: kept when absent, first archive time kept when archived again. */
export function archivedAtAfter(archived: boolean | undefined, current: string | null, now: string): string | null {
  if (archived === undefined) return current;
  return archived ? (current ?? now) : null;
}
