import type { Kdb } from '../../db/database.js';
import { HOUR_MS, hourNumber } from '../../db/dialects/result-encoding.js';
import type { ResultStore, RollupRow } from '../../db/dialects/result-store.js';
import { rawMinutes } from './history-queries.js';
import { writeHourlyRows } from './hourly-rows.js';
import { rawHours } from './raw-hours.js';
import { writeMinuteRows } from './minute-rows.js';

/**
 * The roll-ups of stored results (one bucket per check and hour) in hours the history job has already started
 * (worker/minute-rollups.ts, worker/hourly-rollups.ts): a result that came late, rare. Results of other hours
 * are left to the job, which writes each hour once it is over.
 *
 * - Hourly: an hour written (at or before the mark) has the result added to its row; an hour started but not
 *   finished (the job is writing it, or was killed in it) has the check's row written again from raw results,
 *   replacing what the job may have written before the result was stored (the job keeps a row it finds).
 * - Per-minute: the check's row of an hour written or started is written again from raw results (the packed
 *   hour included) — unless the hour is older than the raw results are kept (some may be deleted already: the
 *   row stays as it was).
 *
 * The marks are read FOR SHARE when a result is of an hour before the current one: a job announces an hour under
 * its mark's row lock (announceHour), so this either commits before (and the job reads the result) or sees the
 * hour started. A result of the current hour cannot race it: the job waits five minutes after an hour's end.
 * One check's results are stored one transaction at a time (its row lock), so rows written again from raw
 * results never miss one.
 */
export async function rollUpLateResults(
  db: Kdb,
  store: ResultStore,
  buckets: RollupRow[],
  { now, rawDays }: { now: string; rawDays: number },
): Promise<void> {
  if (buckets.length === 0) return;
  const current = hourNumber(now);
  const marks = await store.historyMarks(buckets.some((b) => hourNumber(b.hour) < current));
  const upTo = (mark: number | null) => (b: RollupRow) => mark !== null && hourNumber(b.hour) <= mark;
  const written = upTo(marks.hourly);
  const started = upTo(Math.max(marks.hourly ?? -1, marks.hourlyStarted ?? -1));
  const add = buckets.filter(written);
  if (add.length) await store.addToRollups(add);
  const redo = buckets.filter((b) => !written(b) && started(b));
  const firstWhole = Math.ceil((Date.parse(now) - rawDays * 24 * HOUR_MS) / HOUR_MS);
  const minutes = buckets.filter(
    (b) => upTo(Math.max(marks.minutes ?? -1, marks.minutesStarted ?? -1))(b) && hourNumber(b.hour) >= firstWhole,
  );
  if (redo.length === 0 && minutes.length === 0) return;
  const ids = [...new Set([...redo, ...minutes].map((b) => b.check_id))];
  const series = new Map(
    (await db.selectFrom('check_series').select(['no', 'check_id']).where('check_id', 'in', ids).execute()).map((r) => [
      r.check_id,
      Number(r.no),
    ]),
  );
  // One read of raw results per hour for all of that hour's checks (an agent's backlog spans few hours).
  const seriesByHour = (list: RollupRow[]) => {
    const hours = new Map<number, number[]>();
    for (const b of list) {
      const no = series.get(b.check_id);
      if (no === undefined) continue;
      const hour = hourNumber(b.hour);
      const nos = hours.get(hour) ?? [];
      nos.push(no); // a bucket is one check's hour: no series twice
      hours.set(hour, nos);
    }
    return hours;
  };
  for (const [hour, nos] of seriesByHour(redo))
    await writeHourlyRows(db, await rawHours(db, nos, hour * HOUR_MS, (hour + 1) * HOUR_MS), 'replace');
  for (const [hour, nos] of seriesByHour(minutes))
    await writeMinuteRows(db, await rawMinutes(db, nos, hour * HOUR_MS, (hour + 1) * HOUR_MS), hour, 'replace');
}
