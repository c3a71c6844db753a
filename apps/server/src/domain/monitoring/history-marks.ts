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
 * A job starts on `hour`: `<name>_started` (at or after the mark; absent: none yet) is set to it in a short
 * transaction that first takes the mark's row lock (a no-op write), so that an ingest reading the marks FOR SHARE
 * either commits before (and the job reads its results) or sees the hour started (and writes its rows itself).
 */
export async function announceHour(db: Kdb, name: HistoryMark, hour: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('history_marks')
      .set({ hour: (eb) => eb.ref('hour') })
      .where('name', '=', name)
      .execute();
    await trx
      .insertInto('history_marks')
      .values({ name: `${name}_started`, hour })
      .onConflict((oc) => oc.column('name').doUpdateSet({ hour }))
      .execute();
  });
}
