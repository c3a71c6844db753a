import { type Kysely, sql } from 'kysely';
import { HOUR_MS } from '../dialects/result-encoding.js';
import type { DialectSupport } from '../dialects/types.js';

/**
 * Hourly roll-ups written once per closed hour by the history job (docs/adr/0016-result-keys.md):
 * `history_marks.hourly` is the last hour written; readers take check_hourly up to it and raw results after it.
 * Until now ingest summed every result into check_hourly as it came, so the rows of every hour that is over
 * when this runs are complete: the mark is set to the last of them (a result of it still on its way in is
 * then added by ingest, as any late result), and the rows of the current hour (and any later one: an agent's
 * clock ahead) are deleted — the job writes them from the raw results once the hour is over. A database with
 * no hourly rows (a new hub) gets no mark: the job starts at its oldest raw result.
 */
export function hourlyMark(_d: DialectSupport, now: () => number = () => Date.now()) {
  return {
    async up(db: Kysely<unknown>) {
      const { rows } = await sql`select 1 as one from check_hourly limit 1`.execute(db);
      const mark = rows.length > 0 ? Math.floor(now() / HOUR_MS) - 1 : null;
      await sql`insert into history_marks (name, hour) values ('hourly', ${mark})`.execute(db);
      if (mark !== null) await sql`delete from check_hourly where hour > ${mark}`.execute(db);
    },
  };
}
