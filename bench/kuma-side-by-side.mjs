#!/usr/bin/env node
// Afterhours' built-in probe and Uptime Kuma side by side (issue 14): for each rate, both watch the same
// loopback HTTP target (bench/probe-target.mjs, its own process) with rate × interval HTTP checks, every result
// stored, on SQLite, at the same time. Kuma's monitors are added through its socket.io API (as its web app
// does; the client then disconnects, as a closed browser tab would), ours are written into the hub's
// database. After a warm-up both processes' CPU (user + system) and RSS are read from /proc over the same
// minutes, results counted in each database, and each database's growth taken after a checkpoint.
// Usage: node bench/kuma-side-by-side.mjs [--kuma-dir /work/kuma] [--rates 50,150] [--interval 20]
//        [--minutes 5] [--warmup 90]
// Needs: npm run build (the hub), and an Uptime Kuma 2.x checkout outside this repository with its
// dependencies installed (`npm ci --omit dev`); none of its code is part of Afterhours.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { freePort, machine } from './lib/hub.mjs';
import {
  cpuPercent,
  createHubDatabase,
  procSample,
  requireBuiltHub,
  seedChecks,
  sleep,
  sqliteBytes,
  startHub,
  startTarget,
} from './lib/probe-hub.mjs';

const { values: args } = parseArgs({
  options: {
    'kuma-dir': { type: 'string', default: process.env.KUMA_DIR ?? '/work/kuma' },
    rates: { type: 'string', default: '50,150' },
    interval: { type: 'string', default: '20' },
    minutes: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '90' },
  },
});
const KUMA_DIR = args['kuma-dir'];
const INTERVAL_S = Number(args.interval);
const MINUTES = Number(args.minutes);
const WARMUP_S = Number(args.warmup);
const RATES = args.rates.split(',').map(Number);

requireBuiltHub();
if (!existsSync(join(KUMA_DIR, 'server/server.js')) || !existsSync(join(KUMA_DIR, 'node_modules'))) {
  console.error(
    `No Uptime Kuma with its dependencies at ${KUMA_DIR} (--kuma-dir): check out 2.x there, npm ci --omit dev`,
  );
  process.exit(1);
}
const kumaRequire = createRequire(join(KUMA_DIR, 'package.json'));
const kumaVersion = kumaRequire('./package.json').version;
const { io } = kumaRequire('socket.io-client');
// Kuma's server refuses to start without its built web app; the web app plays no part in checking.
if (!existsSync(join(KUMA_DIR, 'dist/index.html'))) {
  mkdirSync(join(KUMA_DIR, 'dist'), { recursive: true });
  writeFileSync(join(KUMA_DIR, 'dist/index.html'), '<!doctype html><title>Uptime Kuma (web app not built)</title>\n');
}

// Kuma is stopped on the way out even when the run fails (the hub and target are stopped by their owners).
const kumaProcesses = new Set();
process.on('exit', () => {
  for (const proc of kumaProcesses) proc.kill('SIGKILL');
});

const rows = [];
for (const rate of RATES) rows.push(await compare(rate));

console.log(`\nUptime Kuma ${kumaVersion} and Afterhours side by side, ${machine()}, SQLite for both`);
console.log(
  `Both watch one loopback HTTP target (its own process), every result stored; ${MINUTES} min measured per rate after ${WARMUP_S} s of warm-up`,
);
console.log(
  '| load | Uptime Kuma CPU / RSS / DB growth | Afterhours CPU / RSS / DB growth | checks done per s (Kuma / ours) | CPU per check per s (Kuma / ours) | ours uses | load average during |',
);
console.log('| --- | ---: | ---: | ---: | ---: | ---: | --- |');
for (const r of rows) {
  const fmt = (s) =>
    `${s.cpu.toFixed(1)} % / ${(s.rssMax / 1048576).toFixed(0)} MB / ${s.growthMBh.toFixed(0)} MB/h (${s.bytesPerResult.toFixed(0)} B per result)`;
  console.log(
    `| ${r.checks.toLocaleString('en')} HTTP checks at ${INTERVAL_S} s (${r.rate}/s) | ${fmt(r.kuma)} | ${fmt(r.ours)} | ${r.kuma.perS.toFixed(1)} / ${r.ours.perS.toFixed(1)} | ${r.kuma.perCheck.toFixed(3)} % / ${r.ours.perCheck.toFixed(4)} % | **${(r.kuma.perCheck / r.ours.perCheck).toFixed(1)}× less** | ${r.load} |`,
  );
}
for (const r of rows)
  console.log(
    `${r.rate}/s: results not up in the window — Kuma ${r.kuma.notUp}, ours ${r.ours.notUp}; Kuma monitors added ${r.kuma.added} / ${r.checks}`,
  );

async function compare(rate) {
  const checks = rate * INTERVAL_S;
  console.error(`\n== ${rate} checks/s: ${checks} HTTP checks every ${INTERVAL_S} s, each side ==`);
  const target = await startTarget();
  const url = `http://127.0.0.1:${target.ports.http}/`;
  const kuma = await startKuma();
  try {
    kuma.added = await addKumaMonitors(kuma.port, checks, url);
    console.error(`Kuma: ${kuma.added} monitors added (pid ${kuma.pid})`);
    const db = await createHubDatabase('sqlite');
    await seedChecks(db, { checks, intervalS: INTERVAL_S, kinds: 'http', ports: target.ports, startDelayMs: 5000 });
    const hub = await startHub(db);
    console.error(`Afterhours: ${checks} checks seeded, hub pid ${hub.pid}; warming up ${WARMUP_S} s…`);
    await sleep(WARMUP_S * 1000);

    const sides = {
      kuma: { pid: kuma.pid, path: kuma.dbPath, count: () => kumaCount(kuma.dbPath), samples: [] },
      ours: { pid: hub.pid, path: join(db.dataDir, 'afterhours.db'), count: () => oursCount(db), samples: [] },
    };
    for (const side of Object.values(sides)) {
      side.bytes0 = sqliteBytes(side.path);
      side.count0 = await side.count();
    }
    for (const side of Object.values(sides)) side.samples.push(procSample(side.pid));
    const loads = [loadAverage()];
    const until = Date.now() + MINUTES * 60_000;
    while (Date.now() < until) {
      await sleep(5000);
      for (const side of Object.values(sides)) side.samples.push(procSample(side.pid));
      if (sides.kuma.samples.length % 12 === 1) loads.push(loadAverage()); // once a minute
    }
    loads.push(loadAverage());
    const out = { rate, checks, load: `${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}` };
    for (const [name, side] of Object.entries(sides)) {
      const first = side.samples[0];
      const last = side.samples.at(-1);
      const seconds = (last.t - first.t) / 1000;
      const counted = await side.count();
      const done = counted.total - side.count0.total;
      const grown = sqliteBytes(side.path) - side.bytes0;
      const cpu = cpuPercent(first, last);
      out[name] = {
        cpu,
        rssMax: Math.max(...side.samples.map((s) => s.rss)),
        perS: done / seconds,
        perCheck: cpu / (done / seconds),
        growthMBh: grown / 1048576 / (seconds / 3600),
        bytesPerResult: grown / Math.max(1, done),
        notUp: counted.notUp - side.count0.notUp,
      };
    }
    out.kuma.added = kuma.added;
    console.error(JSON.stringify(out));
    await hub.stop();
    await db.drop();
    return out;
  } finally {
    await kuma.stop();
    target.stop();
  }
}

function loadAverage() {
  return Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
}

async function startKuma() {
  const dataDir = mkdtempSync(join(tmpdir(), 'kuma-bench-'));
  writeFileSync(join(dataDir, 'db-config.json'), '{"type":"sqlite"}\n');
  const port = await freePort();
  const log = openSync(join(dataDir, 'kuma.log'), 'a');
  const proc = spawn(
    process.execPath,
    ['server/server.js', `--data-dir=${dataDir}`, `--port=${port}`, '--host=127.0.0.1'],
    {
      cwd: KUMA_DIR,
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: ['ignore', log, log],
    },
  );
  kumaProcesses.add(proc);
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/api/entry-page`)).ok) break;
    } catch {}
    if (i > 300 || proc.exitCode !== null) throw new Error(`Uptime Kuma did not start: see ${dataDir}/kuma.log`);
    await sleep(500);
  }
  return {
    pid: proc.pid,
    port,
    dbPath: join(dataDir, 'kuma.db'),
    async stop() {
      if (proc.exitCode === null) {
        proc.kill('SIGTERM');
        await Promise.race([new Promise((r) => proc.once('exit', r)), sleep(20_000)]);
        if (proc.exitCode === null) proc.kill('SIGKILL');
      }
      kumaProcesses.delete(proc);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Sets up Kuma's first user, then adds the monitors spread over one interval, as its web app would. */
async function addKumaMonitors(port, count, url) {
  const socket = io(`http://127.0.0.1:${port}`, { transports: ['websocket'], reconnection: false, timeout: 10_000 });
  const call = (event, ...params) =>
    new Promise((resolve, reject) => {
      // A loaded Kuma answers slowly: its event loop is busy running the monitors already added.
      const timer = setTimeout(() => reject(new Error(`Kuma did not answer "${event}" in 5 minutes`)), 300_000);
      socket.emit(event, ...params, (answer) => {
        clearTimeout(timer);
        resolve(answer);
      });
    });
  try {
    // Kuma registers its handlers after it has sent "info" (and "setup" on a new install) to a new connection.
    await new Promise((resolve, reject) => {
      socket.once('setup', resolve);
      socket.once('connect_error', reject);
    });
    const user = 'bench';
    const password = 'Bench-side-by-side-1';
    const setup = await call('setup', user, password);
    if (!setup.ok) throw new Error(`Kuma setup: ${setup.msg}`);
    const login = await call('login', { username: user, password, token: '' });
    if (!login.ok) throw new Error(`Kuma login: ${login.msg}`);
    const gapMs = (INTERVAL_S * 1000) / count;
    const start = Date.now();
    let added = 0;
    const pending = new Set();
    for (let i = 0; i < count; i++) {
      const wait = start + i * gapMs - Date.now();
      if (wait > 0) await sleep(wait);
      while (pending.size >= 20) await Promise.race(pending);
      const p = call('add', kumaMonitor(`check ${i}`, url)).then(
        (answer) => {
          pending.delete(p);
          if (answer.ok) added++;
          else console.error(`Kuma add: ${answer.msg}`);
        },
        (error) => {
          pending.delete(p);
          console.error(`Kuma add: ${error.message}`);
        },
      );
      pending.add(p);
    }
    await Promise.all(pending);
    return added;
  } finally {
    socket.disconnect();
  }
}

/** An HTTP monitor as Kuma's web app sends it, with its defaults: no retries, 200–299 is up. */
function kumaMonitor(name, url) {
  return {
    type: 'http',
    name,
    url,
    method: 'GET',
    interval: INTERVAL_S,
    retryInterval: INTERVAL_S,
    resendInterval: 0,
    maxretries: 0,
    timeout: INTERVAL_S * 0.8,
    active: true,
    ignoreTls: false,
    upsideDown: false,
    maxredirects: 10,
    accepted_statuscodes: ['200-299'],
    notificationIDList: {},
    expiryNotification: false,
    kafkaProducerBrokers: [],
    kafkaProducerSaslOptions: { mechanism: 'None' },
    conditions: [],
    rabbitmqNodes: [],
  };
}

function kumaCount(path) {
  const db = new Database(path, { readonly: true, timeout: 10_000 });
  try {
    const total = db.prepare('select count(*) as n from heartbeat').get().n;
    const notUp = db.prepare('select count(*) as n from heartbeat where status != 1').get().n;
    return { total, notUp };
  } finally {
    db.close();
  }
}

async function oursCount(db) {
  const results = await db.results();
  return { total: results.length, notUp: results.filter((r) => r.status !== 'up').length };
}
