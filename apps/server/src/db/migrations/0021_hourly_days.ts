import { type Kysely, sql } from 'kysely';
import type { DialectSupport } from '../dialects/types.js';
import { packedTable } from './packed-table.js';

/**
 * Hourly roll-ups packed by day (docs/adr/0012-history-tiers.md): past the window that reads them an hour at
 * a time (the 30-day uptime), a check's 24 hourly rows become one row (`check_days`, the hours packed by
 * db/dialects/day-packing.ts), written by the retention job; `history_marks.days` is the last day packed.
 */
export function hourlyDays(d: DialectSupport) {
  return {
    async up(db: Kysely<unknown>) {
      const run = async (...statements: string[]) => {
        for (const s of statements) await sql.raw(s).execute(db);
      };
      await run(
        packedTable(d, 'check_days', 'day', 'hours'),
        `insert into history_marks (name, hour) values ('days', null)`,
      );
    },
  };
}
