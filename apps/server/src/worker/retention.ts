import type { AppContext } from '../context.js';
import type { Kdb } from '../db/database.js';
import { DueTimer } from './due-timer.js';
import type { Timers } from './timers.js';

const DAY = 24 * 3600_000;
const HOUR_MS = 3600_000;

export interface PruneOutcome {
  results: number;
  rollups: number;
}

/**
 * Deletes rows of `table` older than `cutoff` by `column`, check by check (both tables are kept in order of
 * check and time), at most `batch` rows per statement and `maxRows` in all, so that no delete holds the
 * database for long and a pass ends.
 */
async function pruneOlderThan(
  db: Kdb,
  table: 'check_samples' | 'check_hourly',
  column: 'at' | 'hour',
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
      const result = await db.deleteFrom(table).where('series', '=', no).where(column, '<', until).executeTakeFirst();
      deleted += Number(result.numDeletedRows);
      if (!boundary) break;
      await new Promise((r) => setImmediate(r)); // let requests in between batches
    }
  }
  return deleted;
}

/** One retention pass: raw results past their days, hourly roll-ups past theirs (settings.monitoring). */
export async function pruneHistory(
  ctx: AppContext,
  options: { batch?: number; maxBatches?: number } = {},
): Promise<PruneOutcome> {
  const now = ctx.clock.now().getTime();
  const { resultRetentionDays, rollupRetentionDays } = ctx.settings.monitoring;
  const batch = options.batch ?? 5000;
  const maxRows = batch * (options.maxBatches ?? 1000);
  const results = await pruneOlderThan(
    ctx.db.kysely,
    'check_samples',
    'at',
    now - resultRetentionDays * DAY,
    batch,
    maxRows,
  );
  const rollups = await pruneOlderThan(
    ctx.db.kysely,
    'check_hourly',
    'hour',
    Math.ceil((now - rollupRetentionDays * DAY) / HOUR_MS),
    batch,
    maxRows,
  );
  return { results, rollups };
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
        if (outcome.results || outcome.rollups) ctx.log.info(outcome, 'deleted check history past its retention');
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
