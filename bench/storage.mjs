#!/usr/bin/env node
// Bytes per stored check result (issue 14). 10,000 checks (half HTTP, half TCP) each run once a minute for
// --minutes (default 10) of simulated time; their results — mostly "200 OK" / "port 443 open on …" with
// latencies in 0.1 ms, 3 % failures with varying text — go through the hub's own result path
// (ingestResults, batches of 1,000 as the probe's writer makes them) into a real database file. The
// database's size is taken after a checkpoint before and after: growth ÷ results stored. Then the
// steady-state size for the configured retention is computed from the per-row figures.
// Usage: node bench/storage.mjs [--db sqlite|postgres] [--minutes 10] [--checks 10000]     Build first: npm run build
import { statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { machine } from './lib/hub.mjs';
import { insertChecks, insertRegister, openBenchDatabase } from './lib/register-rows.mjs';
import { resultWriter } from './lib/result-writer.mjs';

const dist = (p) => new URL(`../apps/server/dist/${p}`, import.meta.url).href;
const { openDatabase } = await import(dist('db/database.js'));
const { migrateToLatest } = await import(dist('db/migrate.js'));
const { ingestResults } = await import(dist('domain/monitoring/ingest.js'));
const { EventBus } = await import(dist('events/bus.js'));
const { packMinutes } = await import(dist('db/dialects/minute-packing.js'));
const { rollUpMinutes } = await import(dist('worker/minute-rollups.js'));
const { rollUpHours } = await import(dist('worker/hourly-rollups.js'));
const { encodeKey } = await import(dist('db/dialects/result-key.js'));
const { HOURLY_ROWS_DAYS, packHourlyDays } = await import(dist('worker/day-rollups.js'));
const { packSampleHours } = await import(dist('worker/sample-packing.js'));

const { values: args } = parseArgs({
  options: {
    db: { type: 'string', default: 'sqlite' },
    minutes: { type: 'string', default: '10' },
    checks: { type: 'string', default: '10000' },
  },
});
const DIALECT = args.db;
const MINUTES = Number(args.minutes);
const CHECKS = Number(args.checks);

const { db, dir, schema, drop } = await openBenchDatabase(DIALECT, 'storage', { openDatabase, migrateToLatest });
const k = db.kysely;

const HOUR = 3600_000;

// ---- the register: 100 clients with a site and a system each, 10,000 hub checks ----
const start = Date.parse('2026-11-20T08:00:00.000Z');
const iso = (ms) => new Date(ms).toISOString();
const register = await insertRegister(k, 100, iso(start));
const checks = await insertChecks(k, register, CHECKS, iso(start), (i) => ({
  kind: i % 2 ? 'http' : 'tcp',
  params_json: '{}',
  // A hub that has run a while: each check's sparkline already holds its 30 latest latencies (a fixed
  // size per check, not a cost per result).
  recent_latencies: JSON.stringify(
    Array.from({ length: 30 }, (_, j) => Math.round((0.3 + ((i * 7 + j * 13) % 400) / 10) * 10) / 10),
  ),
}));

async function size() {
  if (DIALECT === 'sqlite') {
    await sql`pragma wal_checkpoint(TRUNCATE)`.execute(k);
    return statSync(join(dir, 'afterhours.db')).size;
  }
  await sql`checkpoint`.execute(k).catch(() => {}); // needs superuser; sizes below do not depend on it
  const { rows } = await sql`select coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint as all,
      coalesce(sum(pg_total_relation_size(c.oid)) filter (where c.relname in ('check_samples', 'check_hourly', 'check_texts', 'check_series')), 0)::bigint as results,
      coalesce(sum(pg_total_relation_size(c.oid)) filter (where c.relname = 'check_samples'), 0)::bigint as samples,
      coalesce(sum(pg_total_relation_size(c.oid)) filter (where c.relname = 'check_texts'), 0)::bigint as texts
    from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = ${schema} and c.relkind = 'r'`.execute(
    k,
  );
  // The dictionary's relations one by one (heap, each index; TOAST and free-space maps in "other").
  const parts = await sql`select 'heap' as name, pg_relation_size(t.oid)::bigint as bytes from pg_class t
      join pg_namespace n on n.oid = t.relnamespace where n.nspname = ${schema} and t.relname = 'check_texts'
    union all select i.relname, pg_relation_size(i.oid)::bigint from pg_index x join pg_class i on i.oid = x.indexrelid
      join pg_class t on t.oid = x.indrelid join pg_namespace n on n.oid = t.relnamespace
      where n.nspname = ${schema} and t.relname = 'check_texts'`.execute(k);
  const textParts = Object.fromEntries(parts.rows.map((r) => [r.name, Number(r.bytes)]));
  textParts.other = Number(rows[0].texts) - Object.values(textParts).reduce((a, b) => a + b, 0);
  return {
    all: Number(rows[0].all),
    results: Number(rows[0].results),
    samples: Number(rows[0].samples),
    texts: Number(rows[0].texts),
    textParts,
  };
}

// ---- results: each check once a minute at its own second, batches of 1,000 in time order ----
const write = resultWriter(db, { ingestResults, EventBus });
const phase = checks.map(() => Math.floor(Math.random() * 60_000));
const failures = [
  (i) => `connect ECONNREFUSED 10.0.${i % 200}.${i % 250}:443`,
  (i) => `timed out after 5000 ms waiting for 10.1.${i % 100}.7:${1000 + (i % 50000)}`,
  (i) => `503 Service Unavailable (body: "upstream ${i} overloaded")`,
];
let stored = 0;
let failed = 0;
let sizeBefore;
let textsBefore;
let t0;
// Minute 0 warms up (every check's first result is also its change from unknown to up: a state change, not
// a result's cost); measuring starts after it.
for (let m = -1; m < MINUTES; m++) {
  if (m === 0) {
    sizeBefore = await size();
    textsBefore = Number((await sql`select count(*) as n from check_texts`.execute(k)).rows[0].n);
    stored = 0;
    failed = 0;
    t0 = process.hrtime.bigint();
  }
  const minute = [];
  for (let i = 0; i < checks.length; i++) {
    const at = start + 60_000 + m * 60_000 + phase[i];
    const fail = Math.random() < 0.03;
    if (fail) failed++;
    minute.push({
      checkId: checks[i].id,
      at: iso(at),
      status: fail ? 'down' : 'up',
      latencyMs: fail ? null : Math.round((0.3 + Math.random() ** 3 * 40) * 10) / 10,
      message: fail
        ? failures[i % 3](Math.floor(Math.random() * 1e6))
        : i % 2
          ? '200 OK'
          : 'port 443 open on 127.0.0.1',
    });
  }
  minute.sort((a, b) => (a.at < b.at ? -1 : 1));
  for (let i = 0; i < minute.length; i += 1000) {
    const batch = minute.slice(i, i + 1000);
    stored += (await write(batch)).stored;
  }
}
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
const sizeAfter = await size();
// The hourly roll-ups are written once an hour is over, by the history job (not by ingest): the measured hour's
// rows, one per check (11 results each), for the bytes per hourly row below.
const hourlyT0 = process.hrtime.bigint();
const hourlyJobRows = await rollUpHours(k, {
  now: (Math.floor(start / HOUR) + 1) * HOUR + 10 * 60_000,
  resultRetentionDays: 7,
});
const hourlyJobSeconds = Number(process.hrtime.bigint() - hourlyT0) / 1e9;
const counts =
  await sql`select (select count(*) from check_samples) as samples, (select count(*) from check_hourly) as hourly, (select count(*) from check_texts) as texts`.execute(
    k,
  );
const n = counts.rows[0];
// Bytes per row of each result table (pages in use, so fill factor included), for the steady-state figure.
const tableBytes = {};
if (DIALECT === 'sqlite') {
  const { rows } = await sql`select name, sum(pgsize) as bytes from dbstat group by name`.execute(k);
  for (const r of rows) tableBytes[r.name] = Number(r.bytes);
  for (const [table, indexes] of Object.entries({ check_texts: ['sqlite_autoindex_check_texts_1'] }))
    for (const index of indexes) tableBytes[table] += tableBytes[index] ?? 0;
} else {
  // Live rows only: in a steady state autovacuum makes the space of old row versions (the check rows', rewritten
  // at every result) reusable, so it does not grow with the history kept.
  for (const t of ['check_samples', 'check_hourly']) await sql.raw(`vacuum full ${schema}.${t}`).execute(k);
  const { rows } = await sql`select c.relname as name, pg_total_relation_size(c.oid)::bigint as bytes from pg_class c
    join pg_namespace n on n.oid = c.relnamespace where n.nspname = ${schema} and c.relkind = 'r'`.execute(k);
  for (const r of rows) tableBytes[r.name] = Number(r.bytes);
}
const perSample = tableBytes.check_samples / Number(n.samples);
const perHourly = tableBytes.check_hourly / Number(n.hourly);

// ---- per-minute roll-ups: one full hour per check (60 minutes of the same results), packed as the
// retention job packs them, into an hour of their own; then the job itself over the measured hour ----
const seriesNos = (await k.selectFrom('check_series').select('no').orderBy('no').execute()).map((r) => r.no);
const fullHour = () =>
  Array.from({ length: 60 }, (_, minute) => {
    const fail = Math.random() < 0.03;
    const latency = Math.round((0.3 + Math.random() ** 3 * 40) * 10) / 10;
    return { minute, count: 1, failures: fail ? 1 : 0, latencyCount: fail ? 0 : 1, latencySumMs: fail ? 0 : latency };
  });
const syntheticHour = Math.floor(start / HOUR) - 5;
for (let i = 0; i < seriesNos.length; i += 500)
  await k
    .insertInto('check_minutes')
    .values(
      seriesNos
        .slice(i, i + 500)
        .map((series) => ({ series, hour: syntheticHour, minutes: Buffer.from(packMinutes(fullHour())) })),
    )
    .execute();
/** Bytes of a packed tier's table with its index (pages in use; PostgreSQL after VACUUM FULL). */
async function packedTableBytes(table) {
  if (DIALECT === 'sqlite') {
    const { rows } = await sql`select sum(pgsize) as bytes from dbstat where name = ${table}`.execute(k);
    return Number(rows[0].bytes);
  }
  await sql.raw(`vacuum full ${schema}.${table}`).execute(k);
  const { rows } = await sql`select pg_total_relation_size(${`${schema}.${table}`}::regclass)::bigint as bytes`.execute(
    k,
  );
  return Number(rows[0].bytes);
}
const minuteBytes = await packedTableBytes('check_minutes');
const perMinuteRow = minuteBytes / seriesNos.length;
const measuredHour = Math.floor(start / HOUR);
await k
  .updateTable('history_marks')
  .set({ hour: measuredHour - 1 })
  .where('name', '=', 'minutes')
  .execute();
const jobT0 = process.hrtime.bigint();
const jobRows = await rollUpMinutes(k, { now: (measuredHour + 1) * HOUR + 10 * 60_000, resultRetentionDays: 7 });
const jobSeconds = Number(process.hrtime.bigint() - jobT0) / 1e9;

// ---- hourly roll-ups packed by day: a full day of hourly rows per check (24 hours of 60 of the bench's
// results each), written into a day of their own and packed by the retention job's own code ----
const DAY = 24 * HOUR;
const syntheticDay = Math.floor(start / DAY) - 60;
const hourRow = (series, hour) => {
  let failures = 0;
  let sum = 0;
  let min = null;
  let max = null;
  for (let i = 0; i < 60; i++) {
    if (Math.random() < 0.03) failures++;
    else {
      const us = Math.round((0.3 + Math.random() ** 3 * 40) * 10) * 100;
      sum += us;
      min = min === null ? us : Math.min(min, us);
      max = max === null ? us : Math.max(max, us);
    }
  }
  const latency_count = 60 - failures;
  return { series, hour, count: 60, failures, latency_count, latency_sum: sum, latency_min: min, latency_max: max };
};
for (let i = 0; i < seriesNos.length; i += 100)
  await k
    .insertInto('check_hourly')
    .values(
      seriesNos
        .slice(i, i + 100)
        .flatMap((no) => Array.from({ length: 24 }, (_, h) => hourRow(no, syntheticDay * 24 + h))),
    )
    .execute();
const dayT0 = process.hrtime.bigint();
const dayRows = await packHourlyDays(k, { now: (syntheticDay + HOURLY_ROWS_DAYS + 1) * DAY + 60_000 });
const daySeconds = Number(process.hrtime.bigint() - dayT0) / 1e9;
const dayBytes = await packedTableBytes('check_days');
const perDayRow = dayBytes / dayRows;

// ---- raw results packed by hour: a full hour of the bench's results per check (each at its own second, 0–100 ms
// late, latencies 0.3 + 40·r³ ms in 0.1 ms steps, 3 % failures with one of the bench's varying texts) written as
// raw rows into an hour of their own, then packed by the history job's own code ----
const packHour = Math.floor(start / HOUR) - 2;
const textIds = async (where) => (await where(k.selectFrom('check_texts').select('id')).execute()).map((r) => r.id);
const [upText] = await textIds((q) => q.where('message', '=', '200 OK'));
const [openText] = await textIds((q) => q.where('message', 'like', 'port 443 open%'));
const failureTexts = await textIds((q) =>
  q.where('message', 'not like', 'port 443 open%').where('message', '<>', '200 OK'),
);
const rawRows = [];
const flushRaw = async () => {
  if (rawRows.length) await k.insertInto('check_samples').values(rawRows.splice(0)).execute();
};
for (const [i, series] of seriesNos.entries()) {
  for (let m = 0; m < 60; m++) {
    const fail = Math.random() < 0.03;
    rawRows.push({
      key: encodeKey(series, packHour * HOUR + phase[i] + m * 60_000 + Math.floor(Math.random() * 100)).toString(),
      latency: fail ? null : Math.round((0.3 + Math.random() ** 3 * 40) * 10) * 100,
      text: fail ? failureTexts[Math.floor(Math.random() * failureTexts.length)] : i % 2 ? upText : openText,
    });
  }
  if (rawRows.length >= 1000) await flushRaw();
}
await flushRaw();
// The hour goes through the history job as it would: its per-minute and hourly rows first (packing waits for
// both, and takes the checks that have a per-minute row), then packing.
for (const name of ['minutes', 'hourly', 'samples'])
  await k
    .updateTable('history_marks')
    .set({ hour: packHour - 1 })
    .where('name', '=', name)
    .execute();
// The hub's check_samples is analyzed by autovacuum as it turns over (an hour's rows in and out every hour); this
// one grew thirtyfold a moment ago, and with its old statistics PostgreSQL reads an hour of 10,000 checks in 45 s
// instead of 3–4 s.
if (DIALECT === 'postgres') await sql.raw(`analyze ${schema}.check_samples`).execute(k);
const minutesT0 = process.hrtime.bigint();
const fullMinuteRows = await rollUpMinutes(k, { now: (packHour + 1) * HOUR + 10 * 60_000, resultRetentionDays: 7 });
const fullMinuteSeconds = Number(process.hrtime.bigint() - minutesT0) / 1e9;
const fullHourT0 = process.hrtime.bigint();
const fullHourRows = await rollUpHours(k, { now: (packHour + 1) * HOUR + 10 * 60_000, resultRetentionDays: 7 });
const fullHourSeconds = Number(process.hrtime.bigint() - fullHourT0) / 1e9;
const packT0 = process.hrtime.bigint();
const packedRows = await packSampleHours(k, { now: (packHour + 1) * HOUR + 10 * 60_000, resultRetentionDays: 7 });
const packSeconds = Number(process.hrtime.bigint() - packT0) / 1e9;
const perPackedHour = (await packedTableBytes('check_sample_hours')) / packedRows;
await db.close();
await drop();

const growth = DIALECT === 'sqlite' ? sizeAfter - sizeBefore : sizeAfter.all - sizeBefore.all;
console.log(`\nStorage per result, ${machine()}, ${DIALECT}, load average ${loadavg()[0].toFixed(2)}`);
console.log(
  `${CHECKS} checks once a minute for ${MINUTES} simulated minutes = ${stored} results (${failed} failures with varying text), written in ${seconds.toFixed(0)} s`,
);
console.log('| figure | value |\n| --- | ---: |');
console.log(`| database growth after a checkpoint | ${(growth / 1048576).toFixed(2)} MB |`);
console.log(`| **bytes per stored result** (growth ÷ results) | **${(growth / stored).toFixed(1)}** |`);
if (DIALECT === 'postgres')
  console.log(
    `| of which the result tables (samples, hourly, texts, series; the rest is MVCC copies of check rows) | ${((sizeAfter.results - sizeBefore.results) / stored).toFixed(1)} |`,
  );
if (DIALECT === 'postgres')
  console.log(
    `| of which raw rows / texts (the failures' varying messages, new in the dictionary) | ${((sizeAfter.samples - sizeBefore.samples) / stored).toFixed(1)} / ${((sizeAfter.texts - sizeBefore.texts) / stored).toFixed(1)} |`,
  );
if (DIALECT === 'postgres') {
  const newTexts = Number(n.texts) - textsBefore;
  const split = Object.keys(sizeAfter.textParts)
    .map((name) => `${name} ${((sizeAfter.textParts[name] - (sizeBefore.textParts[name] ?? 0)) / newTexts).toFixed(1)}`)
    .join(', ');
  console.log(
    `| bytes per new text (${newTexts} new during the run): ${split} | ${((sizeAfter.texts - sizeBefore.texts) / newTexts).toFixed(1)} |`,
  );
}
console.log(`| rows: raw results / hourly roll-ups / texts | ${n.samples} / ${n.hourly} / ${n.texts} |`);
console.log(
  `| bytes per row: raw result / hourly roll-up (table and its indexes; PostgreSQL after VACUUM FULL) | ${perSample.toFixed(1)} / ${perHourly.toFixed(1)} |`,
);
console.log(
  `| the hourly roll-up job over the measured hour (${MINUTES + 1} minutes' results) / over a full hour of ${CHECKS} checks' raw results (60 each) | ${hourlyJobRows} rows in ${hourlyJobSeconds.toFixed(2)} s / ${fullHourRows} rows in ${fullHourSeconds.toFixed(2)} s |`,
);
console.log(
  `| the per-minute roll-up job over a full hour of ${CHECKS} checks' raw results (60 each) | ${fullMinuteRows} rows in ${fullMinuteSeconds.toFixed(2)} s |`,
);
console.log(
  `| bytes per per-minute roll-up row (a check's full hour, 60 minutes packed; table and its index) | ${perMinuteRow.toFixed(1)} |`,
);
console.log(
  `| the roll-up job over the hour of the ${MINUTES + 1} minutes' results of ${CHECKS} checks | ${jobRows} rows in ${jobSeconds.toFixed(2)} s |`,
);
console.log(
  `| bytes per hourly roll-up row packed by day (a check's full day, 24 hours; table and its index) | ${perDayRow.toFixed(1)} |`,
);
console.log(
  `| the packing job over a day of ${CHECKS} checks' hourly rows | ${dayRows} rows in ${daySeconds.toFixed(2)} s |`,
);
console.log(
  `| bytes per packed hour of raw results (a check's full hour, 60 results; table and its index) | ${perPackedHour.toFixed(1)} |`,
);
console.log(
  `| the packing job over an hour of ${CHECKS} checks' raw results | ${packedRows} rows (${packedRows * 60} results) in ${packSeconds.toFixed(2)} s |`,
);
// Raw results: every closed hour of the 7 days packed one row per check and hour; raw rows only for the hours not
// packed yet (the current one, and the one before until the hourly pass after its 5 minutes' grace): 2 hours.
const packedHoursSteady = CHECKS * 24 * 7;
const rawRowsSteady = CHECKS * 60 * 2;
const minuteRows = CHECKS * 24 * 90;
// hourly rows for today and the HOURLY_ROWS_DAYS before it; the rest of 2 years packed one row a day
const hourlyRows = CHECKS * 24 * (HOURLY_ROWS_DAYS + 1);
const dayRowsSteady = CHECKS * (730 - HOURLY_ROWS_DAYS - 1);
const tiers = [
  ['packed hours of raw results', packedHoursSteady, perPackedHour],
  ['raw rows (2 open hours)', rawRowsSteady, perSample],
  ['per-minute rows', minuteRows, perMinuteRow],
  ['hourly rows', hourlyRows, perHourly],
  ['day rows', dayRowsSteady, perDayRow],
];
const steady = tiers.reduce((n, [, rows, bytes]) => n + rows * bytes, 0);
console.log(
  `Steady state at ${CHECKS} checks a minute, raw 7 days (closed hours packed) + per-minute roll-ups 90 days + hourly roll-ups 2 years (${HOURLY_ROWS_DAYS + 1} days one row an hour, the rest one row a day): ${tiers.map(([name, rows, bytes]) => `${(rows / 1e6).toFixed(2)} M ${name} × ${bytes.toFixed(1)} B = ${((rows * bytes) / 1e9).toFixed(2)} GB`).join(' + ')} = ${(steady / 1e9).toFixed(2)} GB (texts, checks and the rest not counted: a few MB); with raw rows for all 7 days instead: ${((steady - packedHoursSteady * perPackedHour - rawRowsSteady * perSample + CHECKS * 1440 * 7 * perSample) / 1e9).toFixed(2)} GB`,
);
