import type { Kdb } from '../db/database.js';
import { packSamples, type RawSample } from '../db/dialects/raw-packing.js';
import { HOUR_MS } from '../db/dialects/result-encoding.js';
import { atOfKey, keyParam, keyRange } from '../db/dialects/result-key.js';
import { chunks } from '../lib/chunks.js';
import { historyMark, hourlyMark } from '../domain/monitoring/history-marks.js';
import { minutesMark } from '../domain/monitoring/history-queries.js';
import { type HourPassOptions, passOverHours } from './hour-pass.js';

/** The last hour whose raw results were packed into check_sample_hours (null: none yet). */
export const samplesMark = (db: Kdb) => historyMark(db, 'samples');

/**
 * Deletes the raw rows of some series in one hour and answers them, by series, with their status from the
 * dictionary (in a transaction's hands). One statement a series deletes and answers (a late result committed
 * between a read and a delete would be deleted without being packed), each a key range both databases' indexes
 * find (an OR of many ranges made PostgreSQL read the whole table each time).
 */
async function takeRawSamples(db: Kdb, series: readonly number[], hour: number): Promise<Map<number, RawSample[]>> {
  const bySeries = new Map<number, RawSample[]>();
  const taken: Array<{ series: number; at: number; latency: number | null; text: number }> = [];
  for (const no of series) {
    const rows = await db
      .deleteFrom('check_samples')
      .where(keyRange('key', no, hour * HOUR_MS, (hour + 1) * HOUR_MS))
      .returning([atOfKey('key').as('at'), 'latency', 'text'])
      .execute();
    for (const r of rows)
      taken.push({
        series: no,
        at: Number(r.at),
        latency: r.latency === null ? null : Number(r.latency),
        text: Number(r.text),
      });
  }
  const statuses = new Map<number, number>();
  for (const ids of chunks([...new Set(taken.map((r) => r.text))]))
    for (const t of await db.selectFrom('check_texts').select(['id', 'status']).where('id', 'in', ids).execute())
      statuses.set(Number(t.id), Number(t.status));
  for (const r of taken.sort((a, b) => a.at - b.at)) {
    const list = bySeries.get(r.series) ?? [];
    list.push({ at: r.at, status: statuses.get(r.text) ?? 2, latency: r.latency, text: r.text });
    bySeries.set(r.series, list);
  }
  return bySeries;
}

/** Puts raw rows back (an hour that could not be packed stays raw). */
async function putRawSamples(db: Kdb, series: number, samples: readonly RawSample[]): Promise<void> {
  for (const part of chunks(samples, 500))
    await db
      .insertInto('check_samples')
      .values(part.map((r) => ({ key: keyParam(series, r.at), latency: r.latency, text: r.text })))
      .execute();
}

/**
 * Packs the raw results of every hour whose roll-ups are written (up to the per-minute and hourly marks, both
 * written from the raw rows first) since the last one
 * packed, oldest first, at most `maxHours` in a pass. For each part of the checks, in one transaction, the
 * hour's raw rows are deleted (and returned) and their packed row inserted; a check that already has its
 * packed row keeps any raw row of that hour (a result that came late) as it is — readers add both. The mark
 * moves on after the hour: a pass killed half-way packs the rest of its hour on the next one, and nothing is
 * lost or stored twice.
 */
export async function packSampleHours(db: Kdb, options: HourPassOptions): Promise<number> {
  const [minutes, hourly] = [await minutesMark(db), await hourlyMark(db)];
  if (minutes === null || hourly === null) return 0;
  return passOverHours(db, 'samples', Math.min(minutes, hourly), options, (part, hour) => packHourOf(db, part, hour));
}

async function packHourOf(db: Kdb, series: readonly number[], hour: number): Promise<number> {
  return db.transaction().execute(async (trx) => {
    // Only checks with results in the hour (their per-minute row is written) and not packed yet: a statement
    // a check is too dear to spend on the thousands without any (an empty hour, a hub that was down).
    const withResults = await trx
      .selectFrom('check_minutes')
      .select('series')
      .where('series', 'in', series)
      .where('hour', '=', hour)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('check_sample_hours as p')
              .select('p.series')
              .whereRef('p.series', '=', 'check_minutes.series')
              .where('p.hour', '=', hour),
          ),
        ),
      )
      .orderBy('series')
      .execute();
    const todo = withResults.map((r) => Number(r.series));
    if (todo.length === 0) return 0;
    const rows: Array<{ series: number; hour: number; samples: Buffer }> = [];
    for (const [no, samples] of await takeRawSamples(trx, todo, hour)) {
      try {
        rows.push({ series: no, hour, samples: Buffer.from(packSamples(hour, samples)) });
      } catch (error) {
        // A figure the packing cannot give back exactly (on SQLite, an agent's latency of millennia): the hour stays raw.
        if (!(error instanceof RangeError)) throw error;
        await putRawSamples(trx, no, samples);
      }
    }
    for (const batch of chunks(rows, 500)) await trx.insertInto('check_sample_hours').values(batch).execute();
    return rows.length;
  });
}
