import { type RawBuilder, sql } from 'kysely';
import type { AppContext } from '../context.js';
import type { Kdb } from '../db/database.js';
import { atOfKey, KEY_EPOCH_MS, keyRange, keyRangeOfColumn } from '../db/dialects/result-key.js';
import { packHourlyDays } from './day-rollups.js';
import { DueTimer } from './due-timer.js';
import { hourlyMark } from '../domain/monitoring/history-marks.js';
import { rollUpHours } from './hourly-rollups.js';
import { rollUpMinutes } from './minute-rollups.js';
import { packSampleHours } from './sample-packing.js';
import type { Timers } from './timers.js';

const DAY = 24 * 3600_000;
const HOUR_MS = 3600_000;

export interface PruneOutcome {
  /** per-minute roll-up rows written (one per check and hour) */
  minutesWritten: number;
  /** hourly roll-up rows written (one per check and hour) */
  hoursWritten: number;
  /** hourly roll-ups packed by day (one row per check and day) */
  daysPacked: number;
  /** raw results packed by hour (one row per check and hour) */
  hoursPacked: number;
  results: number;
  /** packed hours of raw results deleted */
  resultHours: number;
  minutes: number;
  rollups: number;
  days: number;
  texts: number;
}

/** How to find and delete one check's rows of a history table by time. */
interface PrunedTable {
  /** The series that have rows older than `cutoff`, in order: one statement, an index seek per series. */
  seriesBefore(cutoff: number): Promise<number[]>;
  /** The time of the row `offset` rows into a check's rows older than `cutoff` (null: fewer rows). */
  boundary(no: number, cutoff: number, offset: number): Promise<number | null>;
  /** Deletes a check's rows older than `until`; answers how many. */
  deleteBefore(no: number, until: number): Promise<number>;
}

/** Rows of a roll-up table by its time column (hours or days). */
const byColumn = (
  db: Kdb,
  table: 'check_sample_hours' | 'check_hourly' | 'check_minutes' | 'check_days',
  column: 'hour' | 'day',
): PrunedTable => ({
  seriesBefore: (cutoff) =>
    seriesWhere(
      db,
      sql<boolean>`exists (select 1 from ${sql.table(table)} where series = check_series.no and ${sql.ref(column)} < ${cutoff})`,
    ),
  async boundary(no, cutoff, offset) {
    const row = await db
      .selectFrom(table)
      .select(column)
      .where('series', '=', no)
      .where(column, '<', cutoff)
      .orderBy(column)
      .offset(offset)
      .limit(1)
      .executeTakeFirst();
    return row ? Number((row as Record<string, number>)[column]) : null;
  },
  async deleteBefore(no, until) {
    const result = await db
      .deleteFrom(table)
      .where('series', '=', no)
      .where(column as 'hour', '<', until)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  },
});

/** Raw results by their key (ms). */
const rawResults = (db: Kdb): PrunedTable => ({
  seriesBefore: (cutoff) =>
    seriesWhere(
      db,
      sql<boolean>`exists (select 1 from check_samples where ${keyRangeOfColumn('key', 'check_series.no', KEY_EPOCH_MS, cutoff)})`,
    ),
  async boundary(no, cutoff, offset) {
    const row = await db
      .selectFrom('check_samples')
      .select(atOfKey().as('at'))
      .where(keyRange('key', no, KEY_EPOCH_MS, cutoff))
      .orderBy('key')
      .offset(offset)
      .limit(1)
      .executeTakeFirst();
    return row ? Number(row.at) : null;
  },
  async deleteBefore(no, until) {
    const result = await db
      .deleteFrom('check_samples')
      .where(keyRange('key', no, KEY_EPOCH_MS, until))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  },
});

/**
 * The series for which `exists` (a subquery on `check_series.no`) holds, in order: one statement, an index seek
 * per series.
 */
async function seriesWhere(db: Kdb, exists: RawBuilder<boolean>): Promise<number[]> {
  const rows = await db.selectFrom('check_series').select('no').where(exists).orderBy('no').execute();
  return rows.map((r) => r.no);
}

/**
 * Deletes rows of a table older than `cutoff`, check by check (every table is kept in order of check and
 * time; only the checks that have such rows), at most `batch` rows per statement and `maxRows` in all, so
 * that no delete holds the database for long and a pass ends.
 */
async function pruneOlderThan(table: PrunedTable, cutoff: number, batch: number, maxRows: number): Promise<number> {
  let deleted = 0;
  for (const no of await table.seriesBefore(cutoff)) {
    for (;;) {
      if (deleted >= maxRows) return deleted;
      const boundary = await table.boundary(no, cutoff, Math.min(batch, maxRows - deleted));
      deleted += await table.deleteBefore(no, boundary ?? cutoff);
      if (boundary === null) break;
      await new Promise((r) => setImmediate(r)); // let requests in between batches
    }
  }
  return deleted;
}

/**
 * Deletes dictionary texts no raw result refers to any more: their newest result (`last_hour`) is older than
 * the oldest raw result kept. In batches; a text used again meanwhile (its hour moved on) is left alone.
 */
async function pruneTexts(db: Kdb, cutoffHour: number, batch: number, maxRows: number): Promise<number> {
  let deleted = 0;
  while (deleted < maxRows) {
    const unused = db
      .selectFrom('check_texts')
      .select('id')
      .where('last_hour', '<', cutoffHour)
      .orderBy('id')
      .limit(Math.min(batch, maxRows - deleted));
    const result = await db
      .deleteFrom('check_texts')
      .where('last_hour', '<', cutoffHour)
      .where('id', 'in', unused)
      .executeTakeFirst();
    const n = Number(result.numDeletedRows);
    deleted += n;
    if (n === 0) break;
    await new Promise((r) => setImmediate(r));
  }
  return deleted;
}

/**
 * One retention pass: first the per-minute and hourly roll-ups of the hours that are over (from raw results), and those
 * hours' raw results packed one row per check and hour; then raw results, per-minute and hourly roll-ups past
 * their days (settings.monitoring; a packed hour or day goes once all of it is past them), then the hourly
 * roll-ups past the 30-day window packed by day, then unused texts.
 */
export async function pruneHistory(
  ctx: AppContext,
  options: { batch?: number; maxBatches?: number } = {},
): Promise<PruneOutcome> {
  const now = ctx.clock.now().getTime();
  const db = ctx.db.kysely;
  const { resultRetentionDays, minuteRollupRetentionDays, rollupRetentionDays } = ctx.settings.monitoring;
  const batch = options.batch ?? 5000;
  const maxRows = batch * (options.maxBatches ?? 1000);
  const minutesWritten = await rollUpMinutes(db, { now, resultRetentionDays });
  const hoursWritten = await rollUpHours(db, { now, resultRetentionDays });
  const hoursPacked = await packSampleHours(db, { now, resultRetentionDays });
  // raw results are the hourly tier's source until the job has written their hour (2 years of uptime)
  const hourly = await hourlyMark(db);
  const rawCutoff = Math.min(now - resultRetentionDays * DAY, hourly === null ? now : (hourly + 1) * HOUR_MS);
  const prune = (table: PrunedTable, cutoff: number) => pruneOlderThan(table, cutoff, batch, maxRows);
  const results = await prune(rawResults(db), rawCutoff);
  const rawCutoffHour = Math.floor(rawCutoff / HOUR_MS);
  const resultHours = await prune(byColumn(db, 'check_sample_hours', 'hour'), rawCutoffHour);
  const hourCutoff = (days: number) => Math.ceil((now - days * DAY) / HOUR_MS);
  const minutes = await prune(byColumn(db, 'check_minutes', 'hour'), hourCutoff(minuteRollupRetentionDays));
  const rollups = await prune(byColumn(db, 'check_hourly', 'hour'), hourCutoff(rollupRetentionDays));
  const firstDay = Math.floor(hourCutoff(rollupRetentionDays) / 24);
  const days = await prune(byColumn(db, 'check_days', 'day'), firstDay);
  const daysPacked = await packHourlyDays(db, { now, firstDay });
  // Only once every raw result past its days is gone: a text's hour says when its newest result was (a packed
  // hour kept holds results of that hour or later only).
  const allGone = results < maxRows && resultHours < maxRows;
  const texts = allGone ? await pruneTexts(db, rawCutoffHour, batch, maxRows) : 0;
  return { minutesWritten, hoursWritten, daysPacked, hoursPacked, results, resultHours, minutes, rollups, days, texts };
}

/** Runs the retention pass shortly after start and then every `everyMs` (default hourly), asleep in between. */
export class RetentionJob {
  private readonly due: DueTimer;

  constructor(
    ctx: AppContext,
    private readonly options: { everyMs?: number; firstAfterMs?: number; timers?: Timers } = {},
  ) {
    const everyMs = options.everyMs ?? 3600_000;
    const now = () => ctx.clock.now().getTime();
    this.due = new DueTimer(
      async () => {
        const outcome = await pruneHistory(ctx);
        if (Object.values(outcome).some((n) => n > 0)) ctx.log.info(outcome, 'rolled up and deleted check history');
        return now() + everyMs;
      },
      {
        now,
        ...(options.timers ? { timers: options.timers } : {}),
        maxSleepMs: everyMs,
        onError: (error) => ctx.log.warn({ err: error }, 'the retention job failed; it runs again later'),
      },
    );
  }

  start(): void {
    this.due.start(this.options.firstAfterMs ?? 60_000);
  }

  async stop(): Promise<void> {
    await this.due.stop();
  }
}
