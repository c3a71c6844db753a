import { sql, type RawBuilder, type SqlBool } from 'kysely';

/** A LIKE pattern matching `q` anywhere, with `%`, `_` and the escape character taken literally. */
export function containsPattern(q: string): string {
  return `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** `column LIKE '%q%'` on an already lower-cased column, the same on SQLite and PostgreSQL. */
export function contains(column: string, q: string): RawBuilder<SqlBool> {
  return sql<SqlBool>`${sql.ref(column)} like ${containsPattern(q)} escape '\\'`;
}

/** The same, for a column that is not stored lower-cased (searched through `lower()`). */
export function containsIgnoringCase(column: string, q: string): RawBuilder<SqlBool> {
  return sql<SqlBool>`lower(${sql.ref(column)}) like ${containsPattern(q)} escape '\\'`;
}
