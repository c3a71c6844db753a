import type { Kdb } from '../../db/database.js';
import type { MinuteSums } from '../../db/dialects/minute-packing.js';
import { packMinutes } from '../../db/dialects/minute-packing.js';
import { chunks } from '../../lib/chunks.js';

/**
 * Writes one hour's per-minute roll-ups (check_minutes), one packed row per series, from per-minute sums of all
 * of the hour's raw results (rawMinutes). A row already there is kept (`keep`: the history job, whose row a late
 * result's ingest may have written meanwhile) or replaced (`replace`: ingest, writing a late result's hour again).
 */
export async function writeMinuteRows(
  db: Kdb,
  sums: Map<number, MinuteSums[]>,
  hour: number,
  onConflict: 'keep' | 'replace',
): Promise<number> {
  const rows = [...sums].map(([no, minutes]) => ({
    series: no,
    hour,
    minutes: Buffer.from(packMinutes(minutes.map((m) => ({ ...m, minute: m.minute - hour * 60 })))),
  }));
  for (const batch of chunks(rows, 500))
    await db
      .insertInto('check_minutes')
      .values(batch)
      .onConflict((oc) =>
        onConflict === 'keep'
          ? oc.columns(['series', 'hour']).doNothing()
          : oc.columns(['series', 'hour']).doUpdateSet((eb) => ({ minutes: eb.ref('excluded.minutes') })),
      )
      .execute();
  return rows.length;
}
