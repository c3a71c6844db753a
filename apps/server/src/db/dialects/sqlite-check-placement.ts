import { sql, type Kysely } from 'kysely';

/**
 * Where a check's row lies in SQLite's `checks` table: by the millisecond of the minute its runs fall on.
 * SQLite keeps a table's rows in rowid order, and every run writes its check's row twice (the probe's claim
 * moves next_run_at; the result's write-back stores the last result). With rows in the order they were added,
 * the checks due in one second lie on as many pages as there are checks, and each of those pages goes to the
 * WAL and back into the file twice a run; placed by the time of the minute they run, they share a handful of
 * pages (BENCHMARKS.md, "10,000 HTTP checks a minute": five times fewer WAL frames). Checks every minute, or
 * every whole number of minutes, or at intervals that divide a minute, run on the same second of the minute
 * (or a few of them) each time, so a row placed once stays among the rows due with it.
 *
 * 1,024 places per millisecond; the rows of checks without a next run (agent or paused) lie after them.
 */
const PLACES_PER_MS = 1024;
const MINUTE_MS = 60_000;
const UNSCHEDULED_FROM = MINUTE_MS * PLACES_PER_MS;

/** The first rowid of the places for a check whose next run is at `nextRunAt`. */
export function placeOf(nextRunAt: string): number {
  return (Date.parse(nextRunAt) % MINUTE_MS) * PLACES_PER_MS;
}

/**
 * Moves one check's row to its place (run in the transaction that set its next run). Should every place of
 * its millisecond be taken, the row stays where it is: placing only saves writes, it never decides anything.
 */
export async function placeCheckRow(db: Kysely<any>, id: string, nextRunAt: string): Promise<void> {
  const from = placeOf(nextRunAt);
  const to = from + PLACES_PER_MS - 1;
  const { rows } = await sql<{ own: number | null; top: number | null }>`
    select (select rowid from checks where id = ${id}) as own,
           (select max(rowid) from checks where rowid between ${from} and ${to}) as top`.execute(db);
  const { own, top } = rows[0]!; // a select without FROM: always one row
  if (own === null || (own >= from && own <= to)) return;
  const place = top === null ? from : top + 1;
  if (place > to) return;
  await sql`update checks set rowid = ${place} where id = ${id}`.execute(db);
}

/** Places every check's row (migration 0027, and databases filled by other means than the API). */
export async function placeAllCheckRows(db: Kysely<any>): Promise<void> {
  const { rows } = await sql<{ id: string; next_run_at: string | null }>`
    select id, next_run_at from checks order by rowid`.execute(db);
  const taken = new Map<number, number>();
  let unscheduled = UNSCHEDULED_FROM;
  const places = rows.map(({ id, next_run_at }) => {
    if (next_run_at === null) return { id, place: unscheduled++ };
    const from = placeOf(next_run_at);
    const used = taken.get(from) ?? 0;
    taken.set(from, used + 1);
    return { id, place: used < PLACES_PER_MS ? from + used : unscheduled++ };
  });
  // Out of the way first (rowids are positive), so that no place is taken by a row not yet moved; then in
  // order of place, so that the rows fill their pages.
  await sql`update checks set rowid = -rowid`.execute(db);
  for (const { id, place } of places.sort((a, b) => a.place - b.place))
    await sql`update checks set rowid = ${place} where id = ${id}`.execute(db);
}
