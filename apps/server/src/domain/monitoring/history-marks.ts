import type { Kdb } from '../../db/database.js';

/** The history jobs' progress marks (history_marks, migration 0017): how far each tier has been written. */
export type HistoryMark = 'minutes' | 'days' | 'samples';

/** The last hour (minutes, samples) or day (days) a history job finished (null: none yet). */
export async function historyMark(db: Kdb, name: HistoryMark): Promise<number | null> {
  const row = await db.selectFrom('history_marks').select('hour').where('name', '=', name).executeTakeFirst();
  return row?.hour === null || row?.hour === undefined ? null : Number(row.hour);
}

export async function setHistoryMark(db: Kdb, name: HistoryMark, value: number): Promise<void> {
  await db.updateTable('history_marks').set({ hour: value }).where('name', '=', name).execute();
}
