import type { Kdb } from '../db/database.js';
import { HOUR_MS } from '../db/dialects/result-encoding.js';
import { chunks } from '../lib/chunks.js';
import { announceHour, historyMark, type HistoryMark, setHistoryMark } from '../domain/monitoring/history-marks.js';
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
 * `announced`: the hour is announced before it is read (announceHour), for ingest to write the rows of a late
 * result of an hour started but not finished (domain/monitoring/late-results.ts).
 */
export async function passOverHours(
  db: Kdb,
  mark: HistoryMark,
  last: number,
  options: HourPassOptions & { announced?: boolean; everyHour?: boolean },
  work: (series: readonly number[], hour: number) => Promise<number>,
): Promise<number> {
  const firstWithRaw = options.everyHour
    ? Number.NEGATIVE_INFINITY
    : Math.ceil((options.now - options.resultRetentionDays * 24 * HOUR_MS) / HOUR_MS);
  const done = await historyMark(db, mark);
  const first = done === null ? await oldestRawHour(db) : done + 1;
  if (first === null) return 0;
  let counted = 0;
  for (let hour = Math.max(first, firstWithRaw), n = 0; hour <= last && n < (options.maxHours ?? 24 * 8); hour++, n++) {
    if (options.announced) await announceHour(db, mark, hour);
    // read each hour: a check made during a long pass has results in its later hours
    const series = (await db.selectFrom('check_series').select('no').orderBy('no').execute()).map((r) => r.no);
    for (const part of chunks(series, options.seriesPerStatement ?? 500)) {
      counted += await work(part, hour);
      await new Promise((r) => setImmediate(r)); // let requests in between statements
    }
    await setHistoryMark(db, mark, hour);
  }
  return counted;
}
