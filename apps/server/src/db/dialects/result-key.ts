import { type RawBuilder, sql } from 'kysely';

/**
 * The key of a raw result (check_samples.key, migration 0022; docs/adr/0007-check-results-as-a-time-series.md):
 * the check's series number and the result's time in one 64-bit integer,
 *
 *   key = series · 2^41 + (ms since 2020-01-01T00:00:00Z)
 *
 * so that one check's results are one contiguous, time-ordered range of keys. 41 bits of milliseconds last
 * 69.7 years (until 2089-09-06); the other 22 bits allow 4,194,303 series (the sign bit stays clear).
 * Results outside those times and series beyond that number are refused (`keyable`, `KeyLimitError`).
 *
 * Keys pass 2^53 from series 4,096 on, so they are never handled as JavaScript numbers: SQL computes and
 * takes them apart (`keyOf`, `seriesOfKey`, `atOfKey`), and JavaScript uses BigInt (`encodeKey`, `decodeKey`).
 * PostgreSQL indexes `key >> KEY_GROUP_BITS` (not unique): ~70 minutes of one check share one index key,
 * which B-tree deduplication stores once with a list of row pointers.
 */
export const KEY_TIME_BITS = 41;
export const KEY_EPOCH_MS = Date.UTC(2020, 0, 1);
/** 2^41: exact as a JavaScript number. */
export const KEY_SERIES_STEP = 2 ** KEY_TIME_BITS;
export const KEY_MAX_SERIES = 2 ** (63 - KEY_TIME_BITS) - 1;
export const KEY_END_MS = KEY_EPOCH_MS + KEY_SERIES_STEP;
/** PostgreSQL's index groups keys by this many low bits (2^22 ms ≈ 69.9 minutes). */
export const KEY_GROUP_BITS = 22;

/** Thrown for a series number beyond KEY_MAX_SERIES. */
export class KeyLimitError extends Error {
  constructor(series: number) {
    super(`check series ${series} is beyond the ${KEY_MAX_SERIES} that result keys can hold`);
  }
}

/** Whether a result at `ms` can be stored (between 2020-01-01 and 2089-09-06). */
export const keyable = (ms: number): boolean => Number.isInteger(ms) && ms >= KEY_EPOCH_MS && ms < KEY_END_MS;

function checkSeries(series: number): void {
  if (!Number.isInteger(series) || series < 0 || series > KEY_MAX_SERIES) throw new KeyLimitError(series);
}

function checkTime(ms: number): void {
  if (!keyable(ms)) throw new RangeError(`a result at ${ms} ms is outside the times result keys can hold`);
}

export function encodeKey(series: number, ms: number): bigint {
  checkSeries(series);
  checkTime(ms);
  return (BigInt(series) << BigInt(KEY_TIME_BITS)) | BigInt(ms - KEY_EPOCH_MS);
}

export function decodeKey(key: bigint | string | number): { series: number; at: number } {
  const k = BigInt(key);
  return {
    series: Number(k >> BigInt(KEY_TIME_BITS)),
    at: Number(k & BigInt(KEY_SERIES_STEP - 1)) + KEY_EPOCH_MS,
  };
}

/** The key as a value a statement can carry on both databases (PostgreSQL and SQLite take it as text). */
export const keyParam = (series: number, ms: number): string => encodeKey(series, ms).toString();

/** The key computed in SQL from a series and a time in ms (clamped to the times keys hold). */
export function keyOf(series: number, ms: number): RawBuilder<number> {
  checkSeries(series);
  const offset = Math.min(Math.max(Math.floor(ms), KEY_EPOCH_MS), KEY_END_MS - 1) - KEY_EPOCH_MS;
  return sql<number>`(${sql.lit(series)} * ${sql.lit(KEY_SERIES_STEP)} + ${sql.lit(offset)})`;
}

const ref = (column: string) => sql.ref(column);

/** SQL for the series of a key column. */
export const seriesOfKey = (column = 'key'): RawBuilder<number> =>
  sql<number>`(${ref(column)} >> ${sql.lit(KEY_TIME_BITS)})`;

/** SQL for the time (ms since 1970) of a key column. */
export const atOfKey = (column = 'key'): RawBuilder<number> =>
  sql<number>`((${ref(column)} & ${sql.lit(KEY_SERIES_STEP - 1)}) + ${sql.lit(KEY_EPOCH_MS)})`;

/** SQL for PostgreSQL's index expression on a key column (migration 0022). */
export const groupOfKey = (column = 'key'): RawBuilder<number> =>
  sql<number>`(${ref(column)} >> ${sql.lit(KEY_GROUP_BITS)})`;

/**
 * A condition selecting the results of one series from `from` to `to` (ms, `to` excluded) by their key: a
 * range of keys for SQLite's primary key, and the same range of index groups for PostgreSQL's index.
 */
export function keyRange(column: string, series: number, from: number, to: number): RawBuilder<boolean> {
  checkSeries(series);
  return rangeOfSeries(column, sql.lit(series), from, to);
}

/**
 * keyRange for the series in another column of the statement (`check_series.no` in a correlated subquery):
 * each database then seeks that series' range of its index, row by row of the outer table.
 */
export const keyRangeOfColumn = (column: string, seriesColumn: string, from: number, to: number): RawBuilder<boolean> =>
  rangeOfSeries(column, ref(seriesColumn), from, to);

function rangeOfSeries(column: string, series: RawBuilder<unknown>, from: number, to: number): RawBuilder<boolean> {
  const first = Math.max(from, KEY_EPOCH_MS);
  const last = Math.min(to, KEY_END_MS) - 1;
  if (last < first) return sql<boolean>`(1 = 0)`;
  const keyAt = (ms: number) => sql<number>`(${series} * ${sql.lit(KEY_SERIES_STEP)} + ${sql.lit(ms - KEY_EPOCH_MS)})`;
  const lo = keyAt(first);
  const hi = keyAt(last);
  const bits = sql.lit(KEY_GROUP_BITS);
  return sql<boolean>`(${ref(column)} between ${lo} and ${hi} and ${groupOfKey(column)} between (${lo} >> ${bits}) and (${hi} >> ${bits}))`;
}

/** A condition selecting every result of one series. */
export const seriesRange = (column: string, series: number): RawBuilder<boolean> =>
  keyRange(column, series, KEY_EPOCH_MS, KEY_END_MS);

/**
 * A condition selecting the results of several series from `from` to `to` (ms, `to` excluded): the key ranges
 * (SQLite reads each range of its primary key), and the same rows as cheap IN lists of series and of index
 * groups, which PostgreSQL checks first on every row of the pages its index points to (rows of one hour of
 * many checks share pages with other checks' rows, and an OR of a hundred ranges on each costs seconds).
 */
export function keysOfSeries(column: string, series: readonly number[], from: number, to: number): RawBuilder<boolean> {
  const first = Math.max(from, KEY_EPOCH_MS);
  const last = Math.min(to, KEY_END_MS) - 1;
  if (series.length === 0 || last < first) return sql<boolean>`(1 = 0)`;
  const groups: RawBuilder<number>[] = [];
  const span =
    Math.floor((last - KEY_EPOCH_MS) / 2 ** KEY_GROUP_BITS) - Math.floor((first - KEY_EPOCH_MS) / 2 ** KEY_GROUP_BITS);
  for (const no of series)
    for (let g = 0; g <= span; g++)
      groups.push(sql<number>`((${keyOf(no, first)} >> ${sql.lit(KEY_GROUP_BITS)}) + ${sql.lit(g)})`);
  const offset = (ms: number) => sql.lit(ms - KEY_EPOCH_MS);
  return sql<boolean>`(${seriesOfKey(column)} in (${sql.join(series.map((no) => sql.lit(no)))})
    and (${ref(column)} & ${sql.lit(KEY_SERIES_STEP - 1)}) between ${offset(first)} and ${offset(last)}
    and ${groupOfKey(column)} in (${sql.join(groups)})
    and (${sql.join(
      series.map((no) => keyRange(column, no, from, to)),
      sql` or `,
    )}))`;
}
