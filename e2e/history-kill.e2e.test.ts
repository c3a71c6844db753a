import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../apps/server/src/db/database.js';
import { packMinutes } from '../apps/server/src/db/dialects/minute-packing.js';
import { unpackSamples } from '../apps/server/src/db/dialects/raw-packing.js';
import { migrateToLatest } from '../apps/server/src/db/migrate.js';
import { insertCheck } from '../apps/server/src/test/checks.js';
import { insertClientWithSystem } from '../apps/server/src/test/factories.js';
import { daysMark, HOURLY_ROWS_DAYS, packHourlyDays } from '../apps/server/src/worker/day-rollups.js';
import { minutesMark, packedHours, rawMinutes } from '../apps/server/src/domain/monitoring/history-queries.js';
import { atOfKey, KEY_EPOCH_MS, KEY_SERIES_STEP, seriesOfKey } from '../apps/server/src/db/dialects/result-key.js';
import { hourlyMark, setHistoryMark } from '../apps/server/src/domain/monitoring/history-marks.js';
import { hourlyRow } from '../apps/server/src/domain/monitoring/hourly-rows.js';
import { rawHours } from '../apps/server/src/domain/monitoring/raw-hours.js';
import { rollUpHours } from '../apps/server/src/worker/hourly-rollups.js';
import { rollUpMinutes } from '../apps/server/src/worker/minute-rollups.js';
import { packSampleHours, samplesMark } from '../apps/server/src/worker/sample-packing.js';
import { createStorage, type HubStorage } from './hub-process.js';

const HOUR = 3600_000;
const CHECKS = 200;
const HOURS = 24;
const BASE_HOUR = Math.floor(Date.parse('2026-11-20T00:00:00.000Z') / HOUR);
const NOW = (BASE_HOUR + HOURS) * HOUR + 10 * 60_000;
const DIST = new URL('../apps/server/dist/', import.meta.url).href;

let storage: HubStorage | undefined;
let db: Db | undefined;
afterEach(async () => {
  await db?.close();
  await storage?.destroy();
  db = undefined;
  storage = undefined;
});

/** A fresh database of `dialect`, migrated, with CHECKS checks and their series. */
async function withChecks(dialect: 'sqlite' | 'postgres') {
  storage = await createStorage(dialect);
  const where = dialect === 'sqlite' ? { sqliteFile: join(storage.dataDir, 'hub.db') } : { url: storage.databaseUrl! };
  db = openDatabase(where);
  await migrateToLatest(db);
  const k = db.kysely;
  const { system } = await insertClientWithSystem(k);
  for (let i = 0; i < CHECKS; i++)
    await k
      .insertInto('check_series')
      .values({ check_id: (await insertCheck(k, system)).id })
      .execute();
  return { where, k };
}

/**
 * Runs `script` (a job of the built hub's code) in a process of its own and kills it with SIGKILL in the middle
 * of a step: once `count()` of its rows is past three steps of CHECKS and not a whole number of them.
 */
async function killHalfWay(script: string, count: () => Promise<number>) {
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  child.stderr.on('data', (d) => {
    out += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  for (;;) {
    const n = await count();
    if (n > CHECKS * 3 && n % CHECKS !== 0) break;
    if (out.includes('finished')) throw new Error(`the job finished before it could be killed: ${out}`);
    await new Promise((r) => setTimeout(r, 5));
  }
  child.kill('SIGKILL');
  await exited;
  expect(out).not.toContain('finished');
}

/** A result a minute for HOURS hours for every check, every 29th down, latencies that wander; no mark yet. */
async function aDayOfResults(dialect: 'sqlite' | 'postgres', k: Db['kysely']) {
  const [up, down] = await k
    .insertInto('check_texts')
    .values([
      { source: 'hub', status: 0, message: '200 OK', last_hour: BASE_HOUR + HOURS },
      { source: 'hub', status: 2, message: 'timed out', last_hour: BASE_HOUR + HOURS },
    ])
    .returning('id')
    .execute();
  const minutes =
    dialect === 'sqlite'
      ? sql`with recursive m(i) as (select 0 union all select i + 1 from m where i < ${HOURS * 60 - 1}) select i from m`
      : sql`select generate_series(0, ${HOURS * 60 - 1}) as i`;
  await sql`insert into check_samples (key, latency, text)
    select s.no * ${sql.lit(KEY_SERIES_STEP)} + (cast(${BASE_HOUR * HOUR - KEY_EPOCH_MS} as bigint) + m.i * 60000 + s.no * 7),
      case when (m.i + s.no) % 58 = 0 then null else 1000 + ((m.i * 37 + s.no * 11) % 5000) * 100 end,
      case when (m.i + s.no) % 29 = 0 then ${sql.lit(Number(down!.id))} else ${sql.lit(Number(up!.id))} end
    from check_series s, (${minutes}) m`.execute(k);
}

/**
 * The per-minute roll-up job killed with SIGKILL half-way through an hour (the built hub's code, in a process
 * of its own), then run again: every hour is rolled up, each exactly as its raw results say — nothing lost,
 * no minute counted twice. On both databases.
 */
describe.each(['sqlite', 'postgres'] as const)('per-minute roll-ups after kill -9 [%s]', (dialect) => {
  it('finishes the job after a kill without losing or double-counting a minute', async () => {
    const { where, k } = await withChecks(dialect);
    await aDayOfResults(dialect, k);
    await k
      .updateTable('history_marks')
      .set({ hour: BASE_HOUR - 1 })
      .where('name', '=', 'minutes')
      .execute();

    const script = `
      const { openDatabase } = await import(${JSON.stringify(`${DIST}db/database.js`)});
      const { rollUpMinutes } = await import(${JSON.stringify(`${DIST}worker/minute-rollups.js`)});
      const db = openDatabase(${JSON.stringify(where)});
      await rollUpMinutes(db.kysely, { now: ${NOW}, resultRetentionDays: 7, seriesPerStatement: 20 });
      process.stdout.write('finished\\n');`;
    const count = async () =>
      Number((await k.selectFrom('check_minutes').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
    await killHalfWay(script, count);
    const leftBy = await count();
    const markAtKill = await minutesMark(k);
    expect(markAtKill).toBeLessThan(BASE_HOUR + HOURS - 1);
    expect(leftBy).toBeLessThan(CHECKS * HOURS);

    // The next pass (as the hub's retention job would run it) carries on.
    await rollUpMinutes(k, { now: NOW, resultRetentionDays: 7 });
    expect(await minutesMark(k)).toBe(BASE_HOUR + HOURS - 1);
    expect(await count()).toBe(CHECKS * HOURS);
    const series = (await k.selectFrom('check_series').select('no').execute()).map((r) => r.no);
    for (let hour = BASE_HOUR; hour < BASE_HOUR + HOURS; hour++) {
      const expected = await rawMinutes(k, series, hour * HOUR, (hour + 1) * HOUR);
      const rows = await k.selectFrom('check_minutes').select(['series', 'minutes']).where('hour', '=', hour).execute();
      expect(rows).toHaveLength(CHECKS);
      for (const row of rows) {
        const want = packMinutes(expected.get(row.series)!.map((m) => ({ ...m, minute: m.minute - hour * 60 })));
        expect(Buffer.from(row.minutes).equals(Buffer.from(want))).toBe(true);
      }
    }
  });
});

/**
 * The hourly roll-up job killed with SIGKILL half-way through an hour (some checks' rows written, the mark not
 * moved), then run again: every hour written once, each row exactly as its raw results say. On both databases.
 */
describe.each(['sqlite', 'postgres'] as const)('hourly roll-ups after kill -9 [%s]', (dialect) => {
  it('finishes the job after a kill without losing or double-counting a result', async () => {
    const { where, k } = await withChecks(dialect);
    await aDayOfResults(dialect, k);
    const script = `
      const { openDatabase } = await import(${JSON.stringify(`${DIST}db/database.js`)});
      const { rollUpHours } = await import(${JSON.stringify(`${DIST}worker/hourly-rollups.js`)});
      const db = openDatabase(${JSON.stringify(where)});
      await rollUpHours(db.kysely, { now: ${NOW}, resultRetentionDays: 7, seriesPerStatement: 5 });
      process.stdout.write('finished\\n');`;
    const count = async () =>
      Number((await k.selectFrom('check_hourly').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
    await killHalfWay(script, count);
    expect(await hourlyMark(k)).toBeLessThan(BASE_HOUR + HOURS - 1);
    expect(await count()).toBeLessThan(CHECKS * HOURS);

    // The next pass (as the hub's retention job would run it) carries on.
    await rollUpHours(k, { now: NOW, resultRetentionDays: 7 });
    expect(await hourlyMark(k)).toBe(BASE_HOUR + HOURS - 1);
    expect(await count()).toBe(CHECKS * HOURS);
    const series = (await k.selectFrom('check_series').select('no').orderBy('no').execute()).map((r) => r.no);
    const expected = [];
    for (const [no, hours] of await rawHours(k, series, BASE_HOUR * HOUR, (BASE_HOUR + HOURS) * HOUR))
      for (const h of hours) expected.push(hourlyRow(no, h));
    const rows = await k.selectFrom('check_hourly').selectAll().orderBy('series').orderBy('hour').execute();
    expect(
      rows.map((r) => Object.fromEntries(Object.entries(r).map(([c, v]) => [c, v === null ? null : Number(v)]))),
    ).toEqual(expected);
    expect(rows.reduce((n, r) => n + Number(r.count), 0)).toBe(CHECKS * HOURS * 60);
  });
});

const DAYS = 12;
const FIRST_DAY = Math.floor(BASE_HOUR / 24) - 60;
const PACK_NOW = (FIRST_DAY + DAYS + HOURLY_ROWS_DAYS) * 24 * HOUR + 10 * 60_000;

/**
 * The job that packs hourly roll-ups by day killed with SIGKILL half-way through a day (some checks' days
 * packed and their hourly rows deleted, the mark not yet moved), then run again: every day packed exactly as
 * its hourly rows were. On both databases.
 */
describe.each(['sqlite', 'postgres'] as const)('hourly roll-ups packed by day after kill -9 [%s]', (dialect) => {
  it('finishes packing after a kill without losing or double-counting an hour', async () => {
    const { where, k } = await withChecks(dialect);
    const hours =
      dialect === 'sqlite'
        ? sql`with recursive m(i) as (select 0 union all select i + 1 from m where i < ${DAYS * 24 - 1}) select i from m`
        : sql`select generate_series(0, ${DAYS * 24 - 1}) as i`;
    // Every 17th hour of a check missing, every 13th without latencies, figures that wander.
    await sql`insert into check_hourly (series, hour, count, failures, latency_count, latency_sum, latency_min, latency_max)
      select s.no, ${FIRST_DAY * 24} + m.i, 60 + (m.i + s.no) % 3, (m.i * s.no) % 4,
        case when (m.i + s.no) % 13 = 0 then 0 else 60 end,
        case when (m.i + s.no) % 13 = 0 then 0 else 700000 + ((m.i * 37 + s.no * 11) % 5000) * 10 end,
        case when (m.i + s.no) % 13 = 0 then null else 9000 + (m.i * 7 + s.no) % 900 end,
        case when (m.i + s.no) % 13 = 0 then null else 30000 + (m.i * 31 + s.no * 3) % 9000 end
      from check_series s, (${hours}) m where (m.i + s.no * 5) % 17 <> 0`.execute(k);
    await setHistoryMark(k, 'hourly', (FIRST_DAY + DAYS) * 24 - 1); // as the hourly job writes them
    const before = await k.selectFrom('check_hourly').selectAll().orderBy('series').orderBy('hour').execute();

    const script = `
      const { openDatabase } = await import(${JSON.stringify(`${DIST}db/database.js`)});
      const { packHourlyDays } = await import(${JSON.stringify(`${DIST}worker/day-rollups.js`)});
      const db = openDatabase(${JSON.stringify(where)});
      await packHourlyDays(db.kysely, { now: ${PACK_NOW}, seriesPerStatement: 2 });
      process.stdout.write('finished\\n');`;
    const count = async () =>
      Number((await k.selectFrom('check_days').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
    await killHalfWay(script, count);
    expect(await daysMark(k)).toBeLessThan(FIRST_DAY + DAYS - 1);
    expect(await count()).toBeLessThan(CHECKS * DAYS);

    // The next pass (as the hub's retention job would run it) carries on.
    await packHourlyDays(k, { now: PACK_NOW });
    expect(await daysMark(k)).toBe(FIRST_DAY + DAYS - 1);
    expect(await count()).toBe(CHECKS * DAYS);
    expect(await k.selectFrom('check_hourly').select('hour').execute()).toEqual([]);
    const after = [];
    for (const { no } of await k.selectFrom('check_series').select('no').orderBy('no').execute())
      for (const h of await packedHours(k, no, 0)) after.push(hourlyRow(no, h));
    expect(after).toEqual(
      before.map((r) => Object.fromEntries(Object.entries(r).map(([c, v]) => [c, v === null ? null : Number(v)]))),
    );
  });
});

const PACK_HOURS = 8;

/**
 * The job that packs raw results by check and hour killed with SIGKILL half-way through an hour (some checks'
 * hours packed and their raw rows deleted, the mark not yet moved), then run again: every result is in its
 * packed hour exactly once, as it was stored. On both databases.
 */
describe.each(['sqlite', 'postgres'] as const)('raw results packed by hour after kill -9 [%s]', (dialect) => {
  it('finishes packing after a kill without losing or duplicating a result', async () => {
    const { where, k } = await withChecks(dialect);
    const texts = [];
    for (const [status, message] of [
      [0, '200 OK'],
      [1, '200 OK'],
      [2, 'timed out'],
      [2, 'refused'],
    ] as const)
      texts.push(
        Number(
          (
            await k
              .insertInto('check_texts')
              .values({ source: 'hub', status, message, last_hour: BASE_HOUR + PACK_HOURS })
              .returning('id')
              .executeTakeFirstOrThrow()
          ).id,
        ),
      );
    const minutes =
      dialect === 'sqlite'
        ? sql`with recursive m(i) as (select 0 union all select i + 1 from m where i < ${PACK_HOURS * 60 - 1}) select i from m`
        : sql`select generate_series(0, ${PACK_HOURS * 60 - 1}) as i`;
    // A result a minute at a jittered second, every 29th down (every other of those without a latency), every
    // 31st degraded.
    await sql`insert into check_samples (key, latency, text)
      select s.no * ${sql.lit(KEY_SERIES_STEP)}
          + (cast(${BASE_HOUR * HOUR - KEY_EPOCH_MS} as bigint) + m.i * 60000 + s.no * 7 + (m.i * 13 + s.no) % 97),
        case when (m.i + s.no) % 58 = 0 then null else 1000 + ((m.i * 37 + s.no * 11) % 5000) * 100 end,
        case when (m.i + s.no) % 29 = 0 then (case when m.i % 2 = 0 then ${sql.lit(texts[2]!)} else ${sql.lit(texts[3]!)} end)
          when (m.i + s.no) % 31 = 30 then ${sql.lit(texts[1]!)} else ${sql.lit(texts[0]!)} end
      from check_series s, (${minutes}) m`.execute(k);
    const before = (
      await k
        .selectFrom('check_samples as r')
        .innerJoin('check_texts as t', 't.id', 'r.text')
        .select([seriesOfKey('r.key').as('series'), atOfKey('r.key').as('at'), 't.status', 'r.latency', 'r.text'])
        .orderBy('r.key')
        .execute()
    ).map((r) => ({
      series: Number(r.series),
      at: Number(r.at),
      status: Number(r.status),
      latency: r.latency === null ? null : Number(r.latency),
      text: Number(r.text),
    }));
    expect(before).toHaveLength(CHECKS * PACK_HOURS * 60);
    const now = (BASE_HOUR + PACK_HOURS) * HOUR + 10 * 60_000;
    // the hours are rolled up by the per-minute and hourly jobs first, as the hub does (packing waits for both
    // marks and takes the checks with a per-minute row)
    await k
      .updateTable('history_marks')
      .set({ hour: BASE_HOUR - 1 })
      .where('name', '=', 'minutes')
      .execute();
    await rollUpMinutes(k, { now, resultRetentionDays: 7 });
    expect(await minutesMark(k)).toBe(BASE_HOUR + PACK_HOURS - 1);
    await rollUpHours(k, { now, resultRetentionDays: 7 });
    expect(await hourlyMark(k)).toBe(BASE_HOUR + PACK_HOURS - 1);

    const script = `
      const { openDatabase } = await import(${JSON.stringify(`${DIST}db/database.js`)});
      const { packSampleHours } = await import(${JSON.stringify(`${DIST}worker/sample-packing.js`)});
      const db = openDatabase(${JSON.stringify(where)});
      await packSampleHours(db.kysely, { now: ${now}, resultRetentionDays: 7, seriesPerStatement: 5 });
      process.stdout.write('finished\\n');`;
    const count = async () =>
      Number(
        (await k.selectFrom('check_sample_hours').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n,
      );
    await killHalfWay(script, count);
    expect(await samplesMark(k)).toBeLessThan(BASE_HOUR + PACK_HOURS - 1);
    expect(await count()).toBeLessThan(CHECKS * PACK_HOURS);

    // The next pass (as the hub's retention job would run it) carries on.
    await packSampleHours(k, { now, resultRetentionDays: 7 });
    expect(await samplesMark(k)).toBe(BASE_HOUR + PACK_HOURS - 1);
    expect(await count()).toBe(CHECKS * PACK_HOURS);
    expect(await k.selectFrom('check_samples').select('text').execute()).toEqual([]);
    const rows = await k.selectFrom('check_sample_hours').selectAll().orderBy('series').orderBy('hour').execute();
    const after = rows.flatMap((r) =>
      unpackSamples(Number(r.hour), r.samples).map((s) => ({ series: Number(r.series), ...s })),
    );
    expect(after).toEqual(before);
  });
});
