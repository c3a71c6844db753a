import { finalShifts } from '@afterhours/shared';
import type { Kdb } from '../../db/database.js';
import type { OncallGapsTable, SchedulesTable } from '../../db/schema.js';
import { newId } from '../../lib/ids.js';
import { loadSchedule, overrideDefs } from './model.js';

const HOUR = 3600_000;
/** A gap is alerted this long before it starts. */
export const GAP_WARNING_MS = 24 * HOUR;
/** Look back this far so an ongoing gap keeps its real start (and is not found again each day). */
const LOOK_BACK_MS = 7 * 24 * HOUR;

export interface GapCheck {
  /** Gaps recorded now for the first time (each one is alerted once). */
  found: OncallGapsTable[];
  /** When this schedule must be looked at next, unless it is edited before. */
  nextCheckAt: Date;
}

/**
 * Find the gaps of one schedule that start within the next day and are not recorded yet, record them
 * (in the caller's transaction), and say when a new gap can next come within a day: the start of the
 * first later gap less a day, or a day from now.
 */
export async function checkScheduleGaps(db: Kdb, schedule: SchedulesTable, now: Date): Promise<GapCheck> {
  const t = now.getTime();
  const from = new Date(t - LOOK_BACK_MS);
  const to = new Date(t + 2 * GAP_WARNING_MS);
  const loaded = await loadSchedule(db, schedule.id, from, to);
  if (!loaded) return { found: [], nextCheckAt: new Date(t + GAP_WARNING_MS) };
  const gaps = finalShifts(loaded.def, overrideDefs(loaded), from, to).filter((s) => s.userId === null);
  const soon = gaps.filter((g) => g.end.getTime() > t && g.start.getTime() <= t + GAP_WARNING_MS);
  const later = gaps.find((g) => g.start.getTime() > t + GAP_WARNING_MS);
  const found: OncallGapsTable[] = [];
  for (const gap of soon) {
    const start = gap.start.toISOString();
    const end = gap.end.toISOString();
    const known = await db
      .selectFrom('oncall_gaps')
      .select('id')
      .where('schedule_id', '=', schedule.id)
      .where('start_at', '<', end)
      .where('end_at', '>', start)
      .executeTakeFirst();
    if (known) continue;
    const row: OncallGapsTable = {
      id: newId(),
      schedule_id: schedule.id,
      start_at: start,
      end_at: end,
      found_at: now.toISOString(),
      alert_id: null,
    };
    const inserted = await db
      .insertInto('oncall_gaps')
      .values(row)
      .onConflict((oc) => oc.columns(['schedule_id', 'start_at']).doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0) found.push(row);
  }
  const nextCheckAt = later ? new Date(later.start.getTime() - GAP_WARNING_MS) : new Date(t + GAP_WARNING_MS);
  return { found, nextCheckAt };
}
