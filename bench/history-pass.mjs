#!/usr/bin/env node
// The history job's pass (retention: roll-ups, packing, deletes; worker/retention.ts) on a hub with 10,000
// checks, as it runs a minute after a hub starts: each check has --minutes of results (default 5), nothing is
// old enough to delete yet. Times the pass (wall and this process's CPU) --runs times (default 3).
// Usage: node bench/history-pass.mjs [--db sqlite|postgres] [--checks 10000] [--minutes 5] [--runs 3]
// Build first: npx tsc -b apps/server
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { machine } from './lib/hub.mjs';
import { insertChecks, insertRegister, openBenchDatabase } from './lib/register-rows.mjs';
import { resultWriter } from './lib/result-writer.mjs';

const dist = (p) => new URL(`../apps/server/dist/${p}`, import.meta.url).href;
const { openDatabase } = await import(dist('db/database.js'));
const { migrateToLatest } = await import(dist('db/migrate.js'));
const { ingestResults } = await import(dist('domain/monitoring/ingest.js'));
const { EventBus } = await import(dist('events/bus.js'));
const { pruneHistory } = await import(dist('worker/retention.js'));

const { values: args } = parseArgs({
  options: {
    db: { type: 'string', default: 'sqlite' },
    checks: { type: 'string', default: '10000' },
    minutes: { type: 'string', default: '5' },
    runs: { type: 'string', default: '3' },
  },
});
const CHECKS = Number(args.checks);
const MINUTES = Number(args.minutes);

const { db, drop } = await openBenchDatabase(args.db, 'history_pass', { openDatabase, migrateToLatest });
const k = db.kysely;
const start = Date.parse('2026-11-20T08:00:00.000Z');
const iso = (ms) => new Date(ms).toISOString();
const register = await insertRegister(k, 100, iso(start));
const checks = await insertChecks(k, register, CHECKS, iso(start), () => ({ kind: 'http', params_json: '{}' }));

const write = resultWriter(db, { ingestResults, EventBus });
for (let m = 0; m < MINUTES; m++) {
  const minute = checks.map((c, i) => ({
    checkId: c.id,
    at: iso(start + m * 60_000 + Math.floor((i * 60_000) / CHECKS)),
    status: 'up',
    latencyMs: 12,
    message: '200 OK in 12 ms',
  }));
  for (let i = 0; i < minute.length; i += 1000) await write(minute.slice(i, i + 1000));
}

const now = start + MINUTES * 60_000 + 5_000;
const ctx = {
  db,
  clock: { now: () => new Date(now) },
  settings: { monitoring: { resultRetentionDays: 7, minuteRollupRetentionDays: 90, rollupRetentionDays: 730 } },
};
console.log(`\nHistory pass, ${machine()}, ${args.db}: ${CHECKS} checks with ${MINUTES} minutes of results each`);
console.log('| run | wall | CPU (this process) | load average |');
console.log('| ---: | ---: | ---: | ---: |');
for (let run = 1; run <= Number(args.runs); run++) {
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  await pruneHistory(ctx);
  const wall = performance.now() - t0;
  const used = process.cpuUsage(cpu);
  console.log(
    `| ${run} | ${wall.toFixed(0)} ms | ${((used.user + used.system) / 1000).toFixed(0)} ms | ${loadavg()[0].toFixed(1)} |`,
  );
}
await db.close();
await drop();
