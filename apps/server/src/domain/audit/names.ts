import type { Kdb } from '../../db/database.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The tables whose rows the audit log mentions by id, each with a name a person knows it by. */
const NAMED = [
  'clients',
  'sites',
  'systems',
  'checks',
  'heartbeats',
  'agents',
  'contacts',
  'users',
  'api_tokens',
] as const;

/** Every id an audit entry mentions: its entity, its client, and ids among its before/after values (one level, and in lists). */
export function mentionedIds(values: readonly unknown[]): string[] {
  const ids = new Set<string>();
  const take = (v: unknown) => {
    if (typeof v === 'string' && UUID.test(v)) ids.add(v);
  };
  for (const value of values) {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const v of Object.values(value)) (Array.isArray(v) ? v : [v]).forEach(take);
    } else take(value);
  }
  return [...ids];
}

/**
 * The current names of these ids, from whichever table holds each (ids are UUIDs, unique across
 * tables). An id whose row is gone has no name: the audit entry's summary still says what it was.
 */
export async function namesOf(db: Kdb, ids: readonly string[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  if (ids.length === 0) return names;
  for (const table of NAMED) {
    const rows = await db
      .selectFrom(table)
      .select(['id', 'name'])
      .where('id', 'in', [...ids])
      .execute();
    for (const row of rows) names.set(row.id, row.name);
  }
  return names;
}
