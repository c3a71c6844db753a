#!/usr/bin/env node
// The built-in probe at scale (issue 4): the BUILT hub as a real process runs 10,000 checks (half TCP, half
// HTTP against a loopback target in another process) every 60 s. Reports the hub's CPU (% of one core) and
// RSS from /proc, how late checks start behind their schedule (p50/p99/max, from the stored results), whether
// every due result was stored, database growth per hour, and CPU per check per second.
// Usage: node bench/probe.mjs [--minutes 5] [--checks 10000] [--interval 60] [--db sqlite|postgres] [--kinds mixed|http]
// Build first: npm run build
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import pg from 'pg';

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
const CLIENTS = 100;
const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const BIN = new URL('../apps/server/bin/afterhours.js', import.meta.url).pathname;
const CLK_TCK = 100; // Linux USER_HZ
const START_DELAY_MS = 8000; // first runs begin this long after seeding, spread over one interval

if (!existsSync(new URL('../apps/server/dist/cli/main.js', import.meta.url))) {
  console.error('Build the hub first: npm run build');
  process.exit(1);
}

const freePort = () =>
  new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => resolve(p));
    });
  });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const jitter = (id) => createHash('sha256').update(id).digest().readUInt32BE(0) / 2 ** 32;

// ---- the target, in its own process ----
const target = spawn(process.execPath, [new URL('./probe-target.mjs', import.meta.url).pathname], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
const ports = await new Promise((resolve) => target.stdout.once('data', (d) => resolve(JSON.parse(String(d)))));

// ---- storage and schema ----
const dataDir = mkdtempSync(join(tmpdir(), 'afterhours-probe-bench-'));
const env = { ...process.env, LOG_LEVEL: 'warn', HOST: '127.0.0.1' };
delete env.DATABASE_URL;
let dbName;
if (DIALECT === 'postgres') {
  dbName = `bench_probe_${Date.now()}`;
  await admin(`create database ${dbName}`);
  const url = new URL(PG_URL);
  url.pathname = `/${dbName}`;
  env.DATABASE_URL = url.toString();
}
await run(process.execPath, [BIN, 'migrate', '--data-dir', dataDir], env);

// ---- seed: clients, sites, systems, then the checks (straight into the database: this measures the probe) ----
const now = Date.now();
const iso = (ms) => new Date(ms).toISOString();
const rows = { clients: [], sites: [], systems: [], checks: [] };
const firstDue = new Map();
for (let c = 0; c < CLIENTS; c++) {
  const client = {
    id: crypto.randomUUID(),
    name: `Client ${c}`,
    name_lower: `client ${c}`,
    notes: '',
    contract_json: '{"supportHours":{"kind":"always"},"responseTargetMinutes":60}',
    archived_at: null,
    created_at: iso(now),
    updated_at: iso(now),
  };
  const site = {
    id: crypto.randomUUID(),
    client_id: client.id,
    name: 'Office',
    name_lower: 'office',
    address: '',
    time_zone: 'Europe/London',
    notes: '',
    archived_at: null,
    created_at: iso(now),
    updated_at: iso(now),
  };
  const system = {
    id: crypto.randomUUID(),
    site_id: site.id,
    client_id: client.id,
    name: `Server ${c}`,
    name_lower: `server ${c}`,
    kind: 'server',
    host: '127.0.0.1',
    criticality: 'normal',
    notes: '',
    archived_at: null,
    created_at: iso(now),
    updated_at: iso(now),
  };
  rows.clients.push(client);
  rows.sites.push(site);
  rows.systems.push(system);
}
for (let i = 0; i < CHECKS; i++) {
  const system = rows.systems[i % CLIENTS];
  const id = crypto.randomUUID();
  const http = args.kinds === 'http' || i % 2 === 1;
  const due = now + START_DELAY_MS + Math.floor(jitter(id) * INTERVAL_S * 1000);
  firstDue.set(id, due);
  rows.checks.push({
    id,
    client_id: system.client_id,
    site_id: system.site_id,
    system_id: system.id,
    name: `check ${i}`,
    kind: http ? 'http' : 'tcp',
    params_json: JSON.stringify(
      http ? { url: `http://127.0.0.1:${ports.http}/` } : { host: '127.0.0.1', port: ports.tcp },
    ),
    secrets_enc: null,
    probe: 'hub',
    agent_id: null,
    interval_s: INTERVAL_S,
    timeout_ms: 5000,
    failures_before_down: 2,
    successes_before_up: 1,
    paused: 0,
    state: 'unknown',
    computed_state: 'unknown',
    state_since: iso(now),
    state_reason: 'no result yet',
    state_change_id: null,
    cause_type: null,
    cause_id: null,
    consecutive_failures: 0,
    consecutive_successes: 0,
    last_run_at: null,
    last_status: null,
    last_latency_ms: null,
    last_message: null,
    recent_latencies: '[]',
    next_run_at: iso(due),
    created_at: iso(now),
    updated_at: iso(now),
  });
}
await seed(rows);
const sizeBefore = await databaseBytes();

// ---- the hub ----
const port = await freePort();
const profileDir = process.env.BENCH_CPU_PROFILE; // a directory: write a V8 CPU profile of the hub there
const hub = spawn(
  process.execPath,
  [...(profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : []), BIN, 'serve', '--data-dir', dataDir],
  { env: { ...env, PORT: String(port) }, stdio: ['ignore', 'inherit', 'inherit'] },
);
await waitHealthy(`http://127.0.0.1:${port}/healthz`);
const measureFrom = now + START_DELAY_MS;
const measureUntil = measureFrom + MINUTES * 60_000;
console.error(`hub pid ${hub.pid}; ${CHECKS} checks every ${INTERVAL_S} s for ${MINUTES} min on ${DIALECT}…`);

const samples = [];
const sample = () => {
  const stat = readFileSync(`/proc/${hub.pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${hub.pid}/status`, 'utf8'))[1]) * 1024;
  samples.push({ t: Date.now(), ticks: utime + stime, utime, stime, rss, threads: threadTicks() });
};
// CPU ticks of each thread: the main one (its id is the process id), the SQLite checkpoint worker, V8's and libuv's helpers.
function threadTicks() {
  const out = new Map();
  for (const tid of readdirSync(`/proc/${hub.pid}/task`)) {
    try {
      const st = readFileSync(`/proc/${hub.pid}/task/${tid}/stat`, 'utf8');
      const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
      out.set(tid, Number(f[11]) + Number(f[12]));
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return out;
}
while (Date.now() < measureFrom) await sleep(200);
sample();
while (Date.now() < measureUntil) {
  await sleep(5000);
  sample();
}
hub.kill('SIGTERM');
await new Promise((r) => hub.once('exit', r));
target.kill('SIGTERM');

// ---- figures ----
const results = await readResults();
const sizeAfter = await databaseBytes();
let expected = 0;
const dueBy = measureUntil - 2000; // a run due in the last two seconds may still be in flight when the hub stops
for (const due of firstDue.values()) if (due <= dueBy) expected += Math.floor((dueBy - due) / (INTERVAL_S * 1000)) + 1;
const lateness = [];
let inWindow = 0;
const seen = new Map();
for (const r of results) {
  const at = Date.parse(r.at);
  const due0 = firstDue.get(r.check_id);
  const late = (at - due0) % (INTERVAL_S * 1000);
  lateness.push(late);
  seen.set(r.check_id, (seen.get(r.check_id) ?? 0) + 1);
  if (at - late <= dueBy) inWindow++;
}
lateness.sort((a, b) => a - b);
const pct = (p) => lateness[Math.min(lateness.length - 1, Math.floor(lateness.length * p))] ?? NaN;
const first = samples[0];
const last = samples.at(-1);
const warm = samples.find((s) => s.t >= first.t + 60_000) ?? first;
const cpuPct = (a, b) => ((b.ticks - a.ticks) / CLK_TCK / ((b.t - a.t) / 1000)) * 100;
const cpuAll = cpuPct(first, last);
const cpuSteady = warm === last ? cpuAll : cpuPct(warm, last);
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
console.log(
  `| of which kernel (system time: sockets, file writes) | ${(((last.stime - warm.stime) / CLK_TCK / ((last.t - warm.t) / 1000)) * 100 || 0).toFixed(1)} % |`,
);
{
  const seconds = (last.t - warm.t) / 1000;
  const share = (tid) => (((last.threads.get(tid) ?? 0) - (warm.threads.get(tid) ?? 0)) / CLK_TCK / seconds) * 100;
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
console.log(`| results stored / due | ${inWindow} / ${expected} (${results.length} rows in all; ${down} not up) |`);
console.log(`| checks that never ran | ${CHECKS - seen.size} |`);
console.log(
  `| database growth | ${(growth / 1024 / 1024).toFixed(1)} MB in ${(hours * 60).toFixed(1)} min = ${(growth / hours / 1024 / 1024).toFixed(0)} MB per hour (${(growth / Math.max(1, results.length)).toFixed(0)} bytes per result) |`,
);
console.log(
  `Uptime Kuma 2.5.3 (issue 4): 28 % for 50 checks/s = 0.56 % per check/s; 73 % for 150 checks/s = 0.49 % per check/s.`,
);

rmSync(dataDir, { recursive: true, force: true });
if (dbName) await admin(`drop database if exists ${dbName} with (force)`);

// ---- helpers ----
function run(cmd, argv, e) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { env: e, stdio: ['ignore', 'ignore', 'inherit'] });
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${argv.join(' ')} exited with ${code}`))));
  });
}

async function waitHealthy(url) {
  for (let i = 0; i < 150; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {}
    await sleep(200);
  }
  throw new Error('the hub did not start');
}

async function seed(all) {
  if (DIALECT === 'sqlite') {
    const db = new Database(join(dataDir, 'afterhours.db'));
    const insert = (table, list) => {
      if (!list.length) return;
      const cols = Object.keys(list[0]);
      const stmt = db.prepare(
        `insert into ${table} (${cols.join(',')}) values (${cols.map((c) => '@' + c).join(',')})`,
      );
      db.transaction(() => {
        for (const r of list) stmt.run(r);
      })();
    };
    for (const t of ['clients', 'sites', 'systems', 'checks']) insert(t, all[t]);
    db.close();
    return;
  }
  const c = new pg.Client({ connectionString: env.DATABASE_URL });
  await c.connect();
  for (const t of ['clients', 'sites', 'systems', 'checks']) {
    const list = all[t];
    const cols = Object.keys(list[0]);
    for (let i = 0; i < list.length; i += 500) {
      const part = list.slice(i, i + 500);
      const values = [];
      const tuples = part.map(
        (r, j) => `(${cols.map((col, k) => (values.push(r[col]), `$${j * cols.length + k + 1}`)).join(',')})`,
      );
      await c.query(`insert into ${t} (${cols.join(',')}) values ${tuples.join(',')}`, values);
    }
  }
  await c.end();
}

async function readResults() {
  if (DIALECT === 'sqlite') {
    const db = new Database(join(dataDir, 'afterhours.db'), { readonly: true });
    const list = db.prepare('select check_id, at, status from check_results').all();
    db.close();
    return list;
  }
  const c = new pg.Client({ connectionString: env.DATABASE_URL });
  await c.connect();
  const { rows: list } = await c.query(
    `select check_id, to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as at, status from check_results`,
  );
  await c.end();
  return list;
}

async function databaseBytes() {
  if (DIALECT === 'sqlite') {
    const db = new Database(join(dataDir, 'afterhours.db'));
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    return ['afterhours.db', 'afterhours.db-wal'].reduce(
      (n, f) => n + (existsSync(join(dataDir, f)) ? statSync(join(dataDir, f)).size : 0),
      0,
    );
  }
  const c = new pg.Client({ connectionString: env.DATABASE_URL });
  await c.connect();
  const { rows: r } = await c.query('select pg_database_size(current_database())::bigint as n');
  await c.end();
  return Number(r[0].n);
}

async function admin(sql) {
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  await c.query(sql);
  await c.end();
}
