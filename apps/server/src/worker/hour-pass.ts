import type { Kdb } from '../db/database.js';
import { HOUR_MS } from '../db/dialects/result-encoding.js';
import { chunks } from '../lib/chunks.js';
import { historyMark, type HistoryMark, lockHistoryMark, setHistoryMark } from '../domain/monitoring/history-marks.js';
import { oldestRawHour } from '../domain/monitoring/history-queries.js';

export interface HourPassOptions {
  now: number;
  resultRetentionDays: number;
  maxHours?: number;
  seriesPerStatement?: number;
}

/**
 * One pass of a history job over raw results: every hour after its mark up to `last`, oldest first, at most
 * `maxHours`, never before the raw results kept; `work` gets each part of the checks (series numbers) and the
 * hour, and the mark moves on once the hour is done, so a pass killed half-way redoes the rest of that hour.
 * Without a mark it starts at the oldest raw result (not a week of empty hours). Answers what `work` counted.
 *
 * `everyHour`: hours older than the raw results kept are not skipped (the raw results of hours after this job's
 * mark are kept until it has read them; see pruneHistory).
 *
 * `locked`: each hour is one transaction that first takes the mark's row lock and moves the mark before it
 * commits (work gets that transaction). An ingest storing a late result reads the mark FOR SHARE, so it either
 * commits before the hour is read (and is counted by the job) or sees the hour closed (and adds it itself).
 */
export async function passOverHours(
  db: Kdb,
  mark: HistoryMark,
  last: number,
  options: HourPassOptions & { locked?: boolean; everyHour?: boolean },
  work: (db: Kdb, series: readonly number[], hour: number) => Promise<number>,
): Promise<number> {
  const firstWithRaw = options.everyHour
    ? Number.NEGATIVE_INFINITY
    : Math.ceil((options.now - options.resultRetentionDays * 24 * HOUR_MS) / HOUR_MS);
  const done = await historyMark(db, mark);
  const first = done === null ? await oldestRawHour(db) : done + 1;
  if (first === null) return 0;
  const parts = async (on: Kdb, hour: number) => {
    // read each hour: a check made during a long pass has results in its later hours
    const series = (await on.selectFrom('check_series').select('no').orderBy('no').execute()).map((r) => r.no);
    let n = 0;
    for (const part of chunks(series, options.seriesPerStatement ?? 500)) {
      n += await work(on, part, hour);
      await new Promise((r) => setImmediate(r)); // let requests in between statements
    }
    return n;
  };
  let counted = 0;
  for (let hour = Math.max(first, firstWithRaw), n = 0; hour <= last && n < (options.maxHours ?? 24 * 8); hour++, n++) {
    if (options.locked)
      counted += await db.transaction().execute(async (trx) => {
        const written = await lockHistoryMark(trx, mark);
        if (written !== null && written >= hour) return 0; // another pass did it meanwhile
        const n = await parts(trx, hour);
        await setHistoryMark(trx, mark, hour);
        return n;
      });
    else {
      counted += await parts(db, hour);
      await setHistoryMark(db, mark, hour);
    }
  }
  return counted;
}
