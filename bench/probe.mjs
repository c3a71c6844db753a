#!/usr/bin/env node
// The built-in probe at scale (issue 4): the BUILT hub as a real process runs 10,000 checks (half TCP, half
// HTTP against a loopback target in another process) every 60 s. Reports the hub's CPU (% of one core) and
// RSS from /proc, how late checks start behind their schedule (p50/p99/max, from the stored results), whether
// every due result was stored, database growth per hour, and CPU per check per second.
// Usage: node bench/probe.mjs [--minutes 5] [--checks 10000] [--interval 60] [--db sqlite|postgres] [--kinds mixed|http]
// Build first: npm run build
// BENCH_CPU_PROFILE=<dir> writes a V8 CPU profile of the hub there (bench/profile-summary.mjs sums it);
// BENCH_NODE_ARGS="<flags>" starts the hub with those Node/V8 flags (e.g. --trace-gc-nvp, --perf-basic-prof).
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import {
  cpuPercent,
  createHubDatabase,
  procSample,
  requireBuiltHub,
  seedChecks,
  sleep,
  startHub,
  startTarget,
  threadPercent,
} from './lib/probe-hub.mjs';

const { values: args } = parseArgs({
  options: {
    minutes: { type: 'string', default: '5' },
    checks: { type: 'string', default: '10000' },
    interval: { type: 'string', default: '60' },
    db: { type: 'string', default: 'sqlite' },
    kinds: { type: 'string', default: 'mixed' },
  },
});
const MINUTES = Number(args.minutes);
const CHECKS = Number(args.checks);
const INTERVAL_S = Number(args.interval);
const DIALECT = args.db;
const START_DELAY_MS = 8000; // first runs begin this long after seeding, spread over one interval

requireBuiltHub();
const target = await startTarget();
const db = await createHubDatabase(DIALECT);
const { firstDue, startAt } = await seedChecks(db, {
  checks: CHECKS,
  intervalS: INTERVAL_S,
  kinds: args.kinds,
  ports: target.ports,
  startDelayMs: START_DELAY_MS,
});
const sizeBefore = await db.bytes();

// ---- the hub ----
const hub = await startHub(db, { profileDir: process.env.BENCH_CPU_PROFILE });
const measureFrom = startAt;
const measureUntil = measureFrom + MINUTES * 60_000;
console.error(`hub pid ${hub.pid}; ${CHECKS} checks every ${INTERVAL_S} s for ${MINUTES} min on ${DIALECT}…`);

const samples = [];
while (Date.now() < measureFrom) await sleep(200);
samples.push(procSample(hub.pid));
while (Date.now() < measureUntil) {
  await sleep(5000);
  samples.push(procSample(hub.pid));
}
await hub.stop();
target.stop();

// ---- figures ----
const results = await db.results();
const sizeAfter = await db.bytes();
let expected = 0;
const dueBy = measureUntil - 2000; // a run due in the last two seconds may still be in flight when the hub stops
for (const due of firstDue.values()) if (due <= dueBy) expected += Math.floor((dueBy - due) / (INTERVAL_S * 1000)) + 1;
const lateness = [];
const latenessSteady = []; // results due after the first minute: the hub's start and first pass left out
let inWindow = 0;
const seen = new Map();
for (const r of results) {
  const at = Date.parse(r.at);
  const due0 = firstDue.get(r.check_id);
  const late = (at - due0) % (INTERVAL_S * 1000);
  lateness.push(late);
  if (at - late >= measureFrom + 60_000) latenessSteady.push(late);
  seen.set(r.check_id, (seen.get(r.check_id) ?? 0) + 1);
  if (at - late <= dueBy) inWindow++;
}
lateness.sort((a, b) => a - b);
latenessSteady.sort((a, b) => a - b);
const pct = (p, of = lateness) => of[Math.min(of.length - 1, Math.floor(of.length * p))] ?? NaN;
const first = samples[0];
const last = samples.at(-1);
const warm = samples.find((s) => s.t >= first.t + 60_000) ?? first;
const cpuAll = cpuPercent(first, last);
const cpuSteady = warm === last ? cpuAll : cpuPercent(warm, last);
// The hub's first history pass (retention, roll-ups: once an hour, the first a minute after start) falls near
// the first minute's end; this figure leaves it out.
const warmer = samples.find((s) => s.t >= first.t + 120_000);
const cpuAfterPass = warmer && warmer !== last ? cpuPercent(warmer, last) : null;
const rssMax = Math.max(...samples.map((s) => s.rss));
const checksPerS = CHECKS / INTERVAL_S;
const hours = (last.t - first.t) / 3600_000;
const growth = sizeAfter - sizeBefore;
const down = results.filter((r) => r.status !== 'up').length;

console.log(
  `\nBuilt-in probe benchmark, ${new Date().toISOString().slice(0, 10)}, ${cpus().length} × ${cpus()[0]?.model}, Node ${process.version}, ${DIALECT}`,
);
console.log(
  `${CHECKS} checks (${args.kinds === 'http' ? 'all HTTP' : 'half TCP, half HTTP'}, loopback target in its own process) every ${INTERVAL_S} s = ${checksPerS.toFixed(1)} checks/s, measured ${((last.t - first.t) / 60_000).toFixed(1)} min`,
);
console.log('| figure | value |\n| --- | ---: |');
console.log(`| hub CPU, whole run (% of one core) | ${cpuAll.toFixed(1)} % |`);
console.log(`| hub CPU, after the first minute | ${cpuSteady.toFixed(1)} % |`);
if (cpuAfterPass !== null)
  console.log(
    `| hub CPU, after the first two minutes (its first history pass left out) | ${cpuAfterPass.toFixed(1)} % |`,
  );
console.log(
  `| of which kernel (system time: sockets, file writes) | ${(cpuPercent(warm, last, 'stime') || 0).toFixed(1)} % |`,
);
{
  const share = (tid) => threadPercent(warm, last, tid);
  const others = [...last.threads.keys()]
    .filter((tid) => tid !== String(hub.pid))
    .map(share)
    .filter((x) => x >= 0.05)
    .sort((a, b) => b - a);
  console.log(
    `| by thread: main / others (checkpoint worker, V8 and libuv helpers) | ${share(String(hub.pid)).toFixed(1)} % / ${others.map((x) => x.toFixed(1)).join(', ') || '0'} % |`,
  );
}
console.log(`| hub RSS, max | ${(rssMax / 1024 / 1024).toFixed(0)} MB |`);
console.log(
  `| CPU per check per second (after the first minute) | ${(cpuSteady / checksPerS).toFixed(3)} % of a core |`,
);
console.log(`| start lateness p50 / p99 / max | ${pct(0.5)} / ${pct(0.99)} / ${lateness.at(-1)} ms |`);
console.log(
  `| start lateness after the first minute p50 / p99 / max | ${pct(0.5, latenessSteady)} / ${pct(0.99, latenessSteady)} / ${latenessSteady.at(-1)} ms |`,
);
console.log(`| results stored / due | ${inWindow} / ${expected} (${results.length} rows in all; ${down} not up) |`);
console.log(`| checks that never ran | ${CHECKS - seen.size} |`);
console.log(
  `| database growth | ${(growth / 1024 / 1024).toFixed(1)} MB in ${(hours * 60).toFixed(1)} min = ${(growth / hours / 1024 / 1024).toFixed(0)} MB per hour (${(growth / Math.max(1, results.length)).toFixed(0)} bytes per result) |`,
);
console.log(
  'Uptime Kuma beside it on the same machine and target: node bench/kuma-side-by-side.mjs (BENCHMARKS.md, issue 14).',
);

await db.drop();
