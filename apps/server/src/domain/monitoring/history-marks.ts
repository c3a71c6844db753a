import type { Kdb } from '../../db/database.js';

/** The history jobs' progress marks (history_marks, migration 0017): how far each tier has been written. */
export type HistoryMark = 'minutes' | 'hourly' | 'days' | 'samples';

/** The last hour (minutes, hourly, samples) or day (days) a history job finished (null: none yet). */
export async function historyMark(db: Kdb, name: HistoryMark): Promise<number | null> {
  const row = await db.selectFrom('history_marks').select('hour').where('name', '=', name).executeTakeFirst();
  return row?.hour === null || row?.hour === undefined ? null : Number(row.hour);
}

export async function setHistoryMark(db: Kdb, name: HistoryMark, value: number): Promise<void> {
  await db.updateTable('history_marks').set({ hour: value }).where('name', '=', name).execute();
}

/** The last hour whose hourly roll-ups the history job wrote (null: none yet); later hours are read from raw results. */
export const hourlyMark = (db: Kdb) => historyMark(db, 'hourly');

/**
 * Takes the mark's row lock until the transaction ends (a no-op write: PostgreSQL's row lock; on SQLite the
 * transaction already holds the one connection), so that an ingest reading the mark FOR SHARE waits for it.
 */
export async function lockHistoryMark(trx: Kdb, name: HistoryMark): Promise<number | null> {
  await trx
    .updateTable('history_marks')
    .set({ hour: (eb) => eb.ref('hour') })
    .where('name', '=', name)
    .execute();
  return historyMark(trx, name);
}
