import { type Kysely, sql } from 'kysely';
import type { DialectSupport } from '../dialects/types.js';
import { packedTable } from './packed-table.js';

/**
 * Raw results of closed hours packed one row per check and hour (docs/adr/0017-raw-results-packed-by-hour.md):
 * `check_sample_hours` holds a check's results of an hour (db/dialects/raw-packing.ts), written by the history
 * job after the hour's roll-ups; `history_marks.samples` is the last hour packed. A new table only.
 */
export function sampleHours(d: DialectSupport) {
  return {
    async up(db: Kysely<unknown>) {
      await sql.raw(packedTable(d, 'check_sample_hours', 'hour', 'samples')).execute(db);
      await sql`insert into history_marks (name, hour) values ('samples', null)`.execute(db);
    },
  };
}
