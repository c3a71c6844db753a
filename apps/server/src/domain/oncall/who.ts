import { onCallAtTime } from '@afterhours/shared';
import type { Kdb } from '../../db/database.js';
import { loadSchedule, overrideDefs } from './model.js';

/**
 * Who is on call in a schedule at an instant: user ids of the final layer after overrides; an empty
 * array is a gap (or no such schedule). Escalation calls this with the transaction it runs in.
 */
export async function onCallAt(db: Kdb, scheduleId: string, at: Date): Promise<string[]> {
  const loaded = await loadSchedule(db, scheduleId, at, new Date(at.getTime() + 1));
  return loaded ? onCallAtTime(loaded.def, overrideDefs(loaded), at) : [];
}

/** A team's members (user ids) in the team's order, leaving out disabled accounts. */
export async function teamMembers(db: Kdb, teamId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('team_members')
    .innerJoin('users', 'users.id', 'team_members.user_id')
    .select('team_members.user_id')
    .where('team_members.team_id', '=', teamId)
    .where('users.disabled', '=', 0)
    .orderBy('team_members.position')
    .execute();
  return rows.map((r) => r.user_id);
}
