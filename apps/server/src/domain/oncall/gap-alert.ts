import type { Kdb } from '../../db/database.js';
import type { OncallGapsTable, SchedulesTable } from '../../db/schema.js';
import { raiseSystemAlert } from '../alerts/raise.js';

/** "Sat 21 Nov 08:00" in the schedule's zone: how a technician reads it on a lock screen. */
function local(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  })
    .format(new Date(iso))
    .replace(',', '');
}

/** Raise "nobody is on call" for a gap found a day ahead, once per gap (the alert's dedupe key). */
export async function raiseGapAlert(trx: Kdb, gap: OncallGapsTable, schedule: SchedulesTable): Promise<string> {
  const from = local(gap.start_at, schedule.time_zone);
  const to = local(gap.end_at, schedule.time_zone);
  const { alert } = await raiseSystemAlert(trx, {
    kind: 'oncall-gap',
    dedupeKey: `${schedule.id}:${gap.start_at}`,
    title: `Nobody on call in "${schedule.name}" from ${from}`,
    reason: `Nobody is on call in "${schedule.name}" from ${from} to ${to} (${schedule.time_zone}): add an override or change the schedule`,
    criticality: 'normal',
    now: gap.found_at,
  });
  return alert.id;
}
