import type { AppContext } from '../context.js';
import type { Kdb } from '../db/database.js';
import { packHourlyDays } from './day-rollups.js';
import { DueTimer } from './due-timer.js';
import { rollUpMinutes } from './minute-rollups.js';
import { packSampleHours } from './sample-packing.js';
import type { Timers } from './timers.js';

const DAY = 24 * 3600_000;
const HOUR_MS = 3600_000;

export interface PruneOutcome {
  /** per-minute roll-up rows written (one per check and hour) */
  minutesWritten: number;
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

/**
 * Deletes rows of `table` older than `cutoff` by `column`, check by check (both tables are kept in order of
 * check and time), at most `batch` rows per statement and `maxRows` in all, so that no delete holds the
 * database for long and a pass ends.
 */
async function pruneOlderThan(
  db: Kdb,
  table: 'check_samples' | 'check_sample_hours' | 'check_hourly' | 'check_minutes' | 'check_days',
  column: 'at' | 'hour' | 'day',
  cutoff: number,
  batch: number,
  maxRows: number,
): Promise<number> {
  let deleted = 0;
  const series = await db.selectFrom('check_series').select('no').orderBy('no').execute();
  for (const { no } of series) {
    for (;;) {
      if (deleted >= maxRows) return deleted;
      const boundary = await db
        .selectFrom(table)
        .select(column)
        .where('series', '=', no)
        .where(column, '<', cutoff)
        .orderBy(column)
        .offset(Math.min(batch, maxRows - deleted))
        .limit(1)
        .executeTakeFirst();
      const until = boundary ? Number((boundary as Record<string, number>)[column]) : cutoff;
      const result = await db
        .deleteFrom(table)
        .where('series', '=', no)
        .where(column as 'at', '<', until)
        .executeTakeFirst();
      deleted += Number(result.numDeletedRows);
      if (!boundary) break;
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
 * One retention pass: first the per-minute roll-ups of the hours that are over (from raw results), and those
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
  const hoursPacked = await packSampleHours(db, { now, resultRetentionDays });
  const rawCutoff = now - resultRetentionDays * DAY;
  const results = await pruneOlderThan(db, 'check_samples', 'at', rawCutoff, batch, maxRows);
  const rawCutoffHour = Math.floor(rawCutoff / HOUR_MS);
  const resultHours = await pruneOlderThan(db, 'check_sample_hours', 'hour', rawCutoffHour, batch, maxRows);
  const hourCutoff = (days: number) => Math.ceil((now - days * DAY) / HOUR_MS);
  const minutes = await pruneOlderThan(
    db,
    'check_minutes',
    'hour',
    hourCutoff(minuteRollupRetentionDays),
    batch,
    maxRows,
  );
  const rollups = await pruneOlderThan(db, 'check_hourly', 'hour', hourCutoff(rollupRetentionDays), batch, maxRows);
  const firstDay = Math.floor(hourCutoff(rollupRetentionDays) / 24);
  const days = await pruneOlderThan(db, 'check_days', 'day', firstDay, batch, maxRows);
  const daysPacked = await packHourlyDays(db, { now, firstDay });
  // Only once every raw result past its days is gone: a text's hour says when its newest result was (a packed
  // hour kept holds results of that hour or later only).
  const allGone = results < maxRows && resultHours < maxRows;
  const texts = allGone ? await pruneTexts(db, rawCutoffHour, batch, maxRows) : 0;
  return { minutesWritten, daysPacked, hoursPacked, results, resultHours, minutes, rollups, days, texts };
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
