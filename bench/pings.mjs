#!/usr/bin/env node
// Heartbeat pings per second and their latency, against the BUILT hub (npm run build first) as a real
// process on 127.0.0.1, on SQLite and on PostgreSQL. The load generator runs in its own process over
// loopback: wrk (Debian's `wrk`, with bench/pings.lua) where installed, which takes far less of the two
// cores than autocannon; otherwise autocannon in this process (--loader autocannon forces it). 10,000 heartbeats are made first (by ?create=1 pings on slug URLs); the load then mixes
// the URL forms a backup script uses: 70 % GET /ping/<uuid>, 10 % slug URLs, 10 % /start, 10 % POST with a
// 200-byte body. The per-source rate limit is off (all load comes from one address); the per-heartbeat
// one stays on. Afterwards the hub is stopped and the stored pings are counted: every 2xx answered must be
// a row. The hub's CPU time per ping (user + system, from /proc) is reported too: it depends far less
// than pings/s on what else the shared machine is doing.
//
// Usage: node bench/pings.mjs [--db sqlite,postgres] [--connections 50] [--warmup 5] [--duration 20] [--heartbeats 10000] [--loader wrk|autocannon]
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import pg from 'pg';
import { ApiClient, startBuiltHub } from './lib/hub.mjs';

const { values } = parseArgs({
  options: {
    db: { type: 'string', default: 'sqlite,postgres' },
    connections: { type: 'string', default: '50' },
    warmup: { type: 'string', default: '5' },
    duration: { type: 'string', default: '20' },
    heartbeats: { type: 'string', default: '10000' },
    loader: { type: 'string', default: hasWrk() ? 'wrk' : 'autocannon' },
  },
});
function hasWrk() {
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' });
    return true;
  } catch (error) {
    return error.status === 1; // wrk --version prints its version and exits 1
  }
}

/** CPU seconds (user, system) a process has used so far, from /proc. */
function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return { user: Number(fields[11]) / 100, system: Number(fields[12]) / 100 }; // clock ticks (USER_HZ = 100)
}

const HEARTBEATS = Number(values.heartbeats);

/** Setup through the API: owner, client, site, system, ping key; heartbeats by ?create=1 pings. */
async function setUp(base) {
  const session = new ApiClient(base);
  const api = (method, path, body) => session.call(method, path, body);
  await api('POST', '/api/setup', {
    name: 'Bench Owner',
    email: 'bench@example.com',
    password: 'a long enough password',
  });
  const client = await api('POST', '/api/clients', { name: 'Bench client' });
  const site = await api('POST', '/api/sites', { clientId: client.id, name: 'Office', timeZone: 'Europe/London' });
  const system = await api('POST', '/api/systems', { siteId: site.id, name: 'Backups', kind: 'backup_job' });
  const { key } = await api('POST', `/api/clients/${client.id}/ping-key`, { autoCreateSystemId: system.id });
  let next = 0;
  let created = 0;
  await Promise.all(
    Array.from({ length: 50 }, async () => {
      while (next < HEARTBEATS) {
        const n = next++;
        const res = await fetch(`${base}/ping/${key}/job-${n}?create=1`);
        await res.text();
        if (res.status === 201) created += 1;
      }
    }),
  );
  const ids = [];
  let cursor = null;
  do {
    const page = await api('GET', `/api/heartbeats?limit=1000${cursor ? `&cursor=${cursor}` : ''}`);
    ids.push(...page.items.map((h) => h.id));
    cursor = page.nextCursor;
  } while (cursor);
  return { key, ids, created };
}

/** The same mix through wrk, in its own process; answers autocannon's figures that the report uses. */
async function loadWrk(base, key, ids, seconds) {
  const list = join(tmpdir(), `afterhours-bench-ids-${process.pid}.txt`);
  writeFileSync(list, [key, ...ids].join('\n'));
  const script = new URL('./pings.lua', import.meta.url).pathname;
  const child = spawn(
    'wrk',
    ['-t', '1', '-c', values.connections, '-d', `${seconds}s`, '--timeout', '10s', '-s', script, base, '--', list],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  const code = await new Promise((r) => child.once('exit', r));
  rmSync(list, { force: true });
  const line = out.trim().split('\n').at(-1);
  if (code !== 0 || !line?.startsWith('{')) throw new Error(`wrk failed (${code}):\n${out}`);
  const w = JSON.parse(line);
  return {
    requests: { average: w.requests / (w.durationUs / 1e6) },
    '2xx': w.requests - w.non2xx,
    non2xx: w.non2xx,
    errors: w.errors,
    timeouts: w.timeouts,
    latency: { p50: w.p50, p90: w.p90, p99: w.p99, max: w.max },
  };
}

function load(base, key, ids, seconds) {
  if (values.loader === 'wrk') return loadWrk(base, key, ids, seconds);
  const body = 'x'.repeat(200);
  const pick = () => Math.floor(Math.random() * ids.length);
  return autocannon({
    url: base,
    connections: Number(values.connections),
    duration: seconds,
    requests: [
      {
        setupRequest(req) {
          const r = Math.random();
          const i = pick();
          if (r < 0.7) return { ...req, method: 'GET', path: `/ping/${ids[i]}` };
          if (r < 0.8) return { ...req, method: 'GET', path: `/ping/${key}/job-${i}` };
          if (r < 0.9) return { ...req, method: 'GET', path: `/ping/${ids[i]}/start` };
          return { ...req, method: 'POST', path: `/ping/${ids[i]}/0`, body, headers: { 'content-type': 'text/plain' } };
        },
      },
    ],
  });
}

async function storedPings(hub, dialect) {
  if (dialect === 'postgres') {
    const c = new pg.Client({ connectionString: hub.databaseUrl });
    await c.connect();
    const { rows } = await c.query('select count(*)::int as n from heartbeat_pings');
    await c.end();
    return rows[0].n;
  }
  const db = new Database(join(hub.dataDir, 'afterhours.db'), { readonly: true });
  const n = db.prepare('select count(*) as n from heartbeat_pings').get().n;
  db.close();
  return n;
}

const loadAverage = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const loadAverageBefore = loadAverage();
const results = [];
for (const dialect of values.db.split(',')) {
  const hub = await startBuiltHub(dialect, { AFTERHOURS_PING_RATE_PER_SOURCE: '0', AFTERHOURS_PROBE: 'off' });
  try {
    const { key, ids, created } = await setUp(hub.url);
    const warm = await load(hub.url, key, ids, Number(values.warmup));
    const cpuBefore = cpuSeconds(hub.pid);
    const r = await load(hub.url, key, ids, Number(values.duration));
    const cpuAfter = cpuSeconds(hub.pid);
    const perPingUs = (s) => Math.round((s * 1e6) / (r['2xx'] + r.non2xx));
    await hub.halt();
    const stored = await storedPings(hub, dialect);
    const answered2xx = created + warm['2xx'] + r['2xx'];
    results.push({
      database: dialect,
      heartbeats: ids.length,
      loader: values.loader,
      connections: Number(values.connections),
      seconds: Number(values.duration),
      pingsPerSecond: Math.round(r.requests.average),
      ok2xx: r['2xx'],
      non2xx: r.non2xx,
      errors: r.errors,
      timeouts: r.timeouts,
      latencyMs: { p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, max: r.latency.max },
      hubCpuPerPingUs: {
        user: perPingUs(cpuAfter.user - cpuBefore.user),
        system: perPingUs(cpuAfter.system - cpuBefore.system),
      },
      answered2xxInAll: answered2xx,
      storedPings: stored,
      everyAnsweredPingStored: stored >= answered2xx, // more stored: requests in flight when autocannon stopped counting
    });
  } finally {
    await hub.stop();
  }
}
console.log(
  JSON.stringify(
    {
      machine: `${cpus().length} × ${cpus()[0]?.model}`,
      node: process.version,
      date: new Date().toISOString().slice(0, 10),
      loadAverageBefore,
      loadAverageAfter: loadAverage(),
      results,
    },
    null,
    2,
  ),
);
