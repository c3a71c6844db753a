#!/usr/bin/env node
// Register at the scale the foundation issue names (200 clients, 400 sites, 5,000 systems) on the built
// hub as a real process: seeds through the API, then times the reads the phone makes.
// Usage: node bench/register.mjs [sqlite|postgres]   (build first: npm run build)
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

const dialect = process.argv[2] ?? 'sqlite';
const CLIENTS = 200;
const SITES_PER_CLIENT = 2;
const SYSTEMS = 5000;
const ROUNDS = 200;
const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const port = await new Promise((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const p = s.address().port;
    s.close(() => resolve(p));
  });
});
const dataDir = mkdtempSync(join(tmpdir(), 'afterhours-bench-'));
const env = { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' };
delete env.DATABASE_URL;
let dbName;
if (dialect === 'postgres') {
  dbName = `bench_${Date.now()}`;
  await admin(`create database ${dbName}`);
  const url = new URL(PG_URL);
  url.pathname = `/${dbName}`;
  env.DATABASE_URL = url.toString();
}

const hub = spawn(process.execPath, ['apps/server/bin/afterhours.js', 'serve', '--data-dir', dataDir], { env, stdio: 'inherit' });
const base = `http://127.0.0.1:${port}`;
try {
  await waitHealthy();
  let cookie = '';
  let csrf = '';
  async function call(method, path, body) {
    const res = await fetch(base + path, {
      method,
      headers: { ...(body ? { 'content-type': 'application/json' } : {}), cookie, 'x-csrf-token': csrf },
      body: body ? JSON.stringify(body) : undefined,
    });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) cookie = setCookie.split(';')[0];
    const json = await res.json();
    if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  }
  csrf = (await call('POST', '/api/setup', { name: 'Bench', email: 'bench@example.com', password: 'bench password 123' })).csrfToken;

  const seedStart = performance.now();
  const siteIds = [];
  for (let c = 0; c < CLIENTS; c++) {
    const client = await call('POST', '/api/clients', { name: `Client ${String(c).padStart(3, '0')} Ltd` });
    for (let s = 0; s < SITES_PER_CLIENT; s++) {
      const site = await call('POST', '/api/sites', { clientId: client.id, name: `Office ${s}`, timeZone: 'Europe/London' });
      siteIds.push(site.id);
    }
  }
  const kinds = ['server', 'virtual_machine', 'email', 'phone_system', 'firewall', 'backup_job', 'ups', 'nas'];
  let made = 0;
  const lastBySite = new Map();
  while (made < SYSTEMS) {
    const batch = [];
    for (let i = 0; i < 20 && made < SYSTEMS; i++, made++) {
      const siteId = siteIds[made % siteIds.length];
      const parent = lastBySite.get(siteId);
      batch.push(
        call('POST', '/api/systems', {
          siteId,
          name: `sys-${made}`,
          kind: kinds[made % kinds.length],
          host: `10.${made % 250}.0.${made % 200}`,
          dependsOn: parent ? [parent] : [],
        }).then((s) => lastBySite.set(siteId, s.id)),
      );
    }
    await Promise.all(batch);
  }
  const seedMs = performance.now() - seedStart;
  const writes = CLIENTS * (1 + SITES_PER_CLIENT) + SYSTEMS;

  const reads = {
    'GET /api/overview': '/api/overview',
    'GET /api/clients?q=07': '/api/clients?q=07',
    'GET /api/systems?q=sys-49 (search 5,000)': '/api/systems?q=sys-49',
    'GET /api/systems?siteId=… (one site)': `/api/systems?siteId=${siteIds[7]}`,
  };
  const rows = [];
  for (const [label, path] of Object.entries(reads)) {
    const times = [];
    for (let i = 0; i < ROUNDS; i++) {
      const t = performance.now();
      await call('GET', path);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    rows.push({ label, p50: times[Math.floor(ROUNDS * 0.5)], p99: times[Math.floor(ROUNDS * 0.99)] });
  }

  console.log(`\nRegister benchmark on ${dialect}, ${new Date().toISOString().slice(0, 10)}, ${cpus().length} × ${cpus()[0]?.model}, Node ${process.version}`);
  console.log(`Seeded ${CLIENTS} clients, ${CLIENTS * SITES_PER_CLIENT} sites, ${SYSTEMS} systems (${writes} API writes) in ${(seedMs / 1000).toFixed(1)} s = ${(writes / (seedMs / 1000)).toFixed(0)} writes/s`);
  if (dialect === 'sqlite') console.log(`SQLite file: ${(statSync(join(dataDir, 'afterhours.db')).size / 1024 / 1024).toFixed(1)} MiB`);
  console.log('| read | p50 ms | p99 ms |\n| --- | ---: | ---: |');
  for (const r of rows) console.log(`| ${r.label} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} |`);
} finally {
  hub.kill('SIGTERM');
  await new Promise((r) => hub.once('exit', r));
  rmSync(dataDir, { recursive: true, force: true });
  if (dbName) await admin(`drop database if exists ${dbName} with (force)`);
}

async function waitHealthy() {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('hub did not start');
}

async function admin(sql) {
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  await c.query(sql);
  await c.end();
}
