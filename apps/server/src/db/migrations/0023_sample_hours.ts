import { type Kysely, sql } from 'kysely';
import type { DialectSupport } from '../dialects/types.js';

/**
 * Raw results of closed hours packed one row per check and hour (docs/adr/0017-raw-results-packed-by-hour.md):
 * `check_sample_hours` holds a check's results of an hour (db/dialects/raw-packing.ts), written by the history
 * job after the hour's roll-ups; `history_marks.samples` is the last hour packed. A new table only.
 */
export function sampleHours(d: DialectSupport) {
  return {
    async up(db: Kysely<unknown>) {
      const run = async (...statements: string[]) => {
        for (const s of statements) await sql.raw(s).execute(db);
      };
      await run(
        d.name === 'sqlite'
          ? `create table check_sample_hours (series integer not null references check_series(no) on delete cascade,
              hour integer not null, samples blob not null, primary key (series, hour)) without rowid`
          : `create table check_sample_hours (series integer not null references check_series(no) on delete cascade,
              hour integer not null, samples bytea not null, primary key (series, hour))`,
        `insert into history_marks (name, hour) values ('samples', null)`,
      );
    },
  };
}
