#!/usr/bin/env node
// CPU per stored result of the probe's write path alone (ingestResults, as the probe's result writer calls it:
// batches of 1,000, one transaction each), for comparing two builds at the same moment on a shared machine.
// 10,000 hub checks, each "up" once a minute with a varying latency; a warm-up minute (every check's first
// result is a state change), then --minutes measured with process.cpuUsage() around each batch.
// Usage: node bench/ingest-cpu.mjs [--root <checkout whose build to load>] [--minutes 3] [--db sqlite|postgres]
// Build first: npx tsc -b apps/server
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { insertChecks, insertRegister, openBenchDatabase } from './lib/register-rows.mjs';
import { resultWriter } from './lib/result-writer.mjs';

const { values: args } = parseArgs({
  options: {
    root: { type: 'string', default: new URL('..', import.meta.url).pathname },
    minutes: { type: 'string', default: '3' },
    db: { type: 'string', default: 'sqlite' },
  },
});
const root = resolve(args.root);
const dist = (p) => join(root, 'apps/server/dist', p);
const { openDatabase } = await import(dist('db/database.js'));
const { migrateToLatest } = await import(dist('db/migrate.js'));
const { ingestResults } = await import(dist('domain/monitoring/ingest.js'));
const { EventBus } = await import(dist('events/bus.js'));

const { db, drop } = await openBenchDatabase(args.db, 'ingest', { openDatabase, migrateToLatest });
const k = db.kysely;
const start = Date.parse('2026-11-20T08:00:00.000Z');
const iso = (ms) => new Date(ms).toISOString();
const register = await insertRegister(k, 100, iso(start));
const checks = await insertChecks(k, register, 10_000, iso(start), (i) => ({
  kind: 'http',
  params_json: '{}',
  // A hub that has run a while: each check's sparkline holds its 30 latest latencies.
  recent_latencies: JSON.stringify(Array.from({ length: 30 }, (_, j) => Math.round(3 + ((i * 7 + j * 13) % 400)) / 10)),
}));

const write = resultWriter(db, { ingestResults, EventBus });
let cpu = 0;
let stored = 0;
for (let m = -1; m < Number(args.minutes); m++) {
  const minute = checks.map((c, i) => ({
    checkId: c.id,
    at: iso(start + 60_000 + m * 60_000 + ((i * 6) % 60_000)),
    status: 'up',
    latencyMs: 0.3 + ((i * 7 + m) % 50) / 10,
    message: 'HTTP 200 OK',
  }));
  minute.sort((a, b) => (a.at < b.at ? -1 : 1));
  for (let i = 0; i < minute.length; i += 1000) {
    const batch = minute.slice(i, i + 1000);
    const before = process.cpuUsage();
    const outcome = await write(batch);
    const used = process.cpuUsage(before);
    if (m >= 0) {
      cpu += used.user + used.system;
      stored += outcome.stored;
    }
  }
}
console.log(
  `${args.db}, ${root}: ${(cpu / stored).toFixed(1)} µs of CPU per stored result (${stored} results; load ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')})`,
);
await db.close();
await drop();
