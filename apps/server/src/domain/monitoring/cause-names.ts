import type { CheckCause } from '@afterhours/shared';
import type { Kdb } from '../../db/database.js';
import { chunks } from '../../lib/chunks.js';

/** A check's stored cause columns. */
export interface CauseColumns {
  cause_type: string | null;
  cause_id: string | null;
}

export const DELETED_AGENT = 'a deleted site agent';
const MISSING: Record<string, string> = { agent: DELETED_AGENT, system: 'a deleted system' };

/** The names of the systems and agents that checks are unknown because of: two queries at most. */
export async function causeNames(db: Kdb, rows: Iterable<CauseColumns>): Promise<Map<string, string>> {
  const ids: Record<'system' | 'agent', Set<string>> = { system: new Set(), agent: new Set() };
  for (const r of rows)
    if ((r.cause_type === 'system' || r.cause_type === 'agent') && r.cause_id) ids[r.cause_type].add(r.cause_id);
  const names = new Map<string, string>();
  for (const part of chunks([...ids.system])) {
    for (const s of await db.selectFrom('systems').select(['id', 'name']).where('id', 'in', part).execute())
      names.set(s.id, s.name);
  }
  for (const part of chunks([...ids.agent])) {
    for (const a of await db.selectFrom('agents').select(['id', 'name']).where('id', 'in', part).execute())
      names.set(a.id, a.name);
  }
  return names;
}

/** The cause as the API shows it, named. */
export function presentCause(row: CauseColumns, names: ReadonlyMap<string, string>): CheckCause {
  if ((row.cause_type !== 'system' && row.cause_type !== 'agent') || !row.cause_id) return null;
  return { type: row.cause_type, id: row.cause_id, name: names.get(row.cause_id) ?? MISSING[row.cause_type]! };
}
