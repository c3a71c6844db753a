import type { Kdb } from '../../db/database.js';
import { HOUR_MS, hourNumber } from '../../db/dialects/result-encoding.js';
import type { ResultStore, RollupRow } from '../../db/dialects/result-store.js';
import { rawMinutes } from './history-queries.js';
import { writeMinuteRows } from './minute-rows.js';

/**
 * The roll-ups of stored results (one bucket per check and hour) in hours the history job has already written
 * (worker/minute-rollups.ts, worker/hourly-rollups.ts): a result that came late, rare. Its hourly row is added
 * to, and its check's per-minute row of that hour is written again from the raw results (packed hour included)
 * while they are all kept.
 * Results of hours not written yet are left to the job, which writes each hour once it is over.
 *
 * The marks are read FOR SHARE when a result is of an hour before the current one: the job may be writing that
 * hour, under the mark's row lock, right now; so this either commits first (and the job reads the result) or
 * waits and sees the hour written (and adds the result here). A result of the current hour cannot race it: the
 * job waits for five minutes after an hour's end.
 */
export async function rollUpLateResults(
  db: Kdb,
  store: ResultStore,
  buckets: RollupRow[],
  { now, rawDays }: { now: string; rawDays: number },
): Promise<void> {
  if (buckets.length === 0) return;
  const current = hourNumber(now);
  // An hour whose raw results may be partly deleted already (an agent's backlog older than they are kept) is
  // not written again from them: its per-minute row stays as it was.
  const firstWhole = Math.ceil((Date.parse(now) - rawDays * 24 * HOUR_MS) / HOUR_MS);
  const marks = await store.historyMarks(buckets.some((b) => hourNumber(b.hour) < current));
  const upTo = (mark: number | null) => (b: RollupRow) => mark !== null && hourNumber(b.hour) <= mark;
  const hourly = buckets.filter(upTo(marks.hourly));
  if (hourly.length) await store.addToRollups(hourly);
  const minutes = buckets.filter((b) => upTo(marks.minutes)(b) && hourNumber(b.hour) >= firstWhole);
  if (minutes.length === 0) return;
  const series = new Map(
    (
      await db
        .selectFrom('check_series')
        .select(['no', 'check_id'])
        .where('check_id', 'in', [...new Set(minutes.map((b) => b.check_id))])
        .execute()
    ).map((r) => [r.check_id, Number(r.no)]),
  );
  for (const b of minutes) {
    const no = series.get(b.check_id);
    if (no === undefined) continue;
    const hour = hourNumber(b.hour);
    await writeMinuteRows(db, await rawMinutes(db, [no], hour * HOUR_MS, (hour + 1) * HOUR_MS), hour);
  }
}
