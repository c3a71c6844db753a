// Shared by the benchmarks: start the built hub as a real process on a throwaway database, and talk to
// its API like the web app does (session cookie + CSRF token).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const BIN = new URL('../../apps/server/bin/afterhours.js', import.meta.url).pathname;

export function machine() {
  return `${new Date().toISOString().slice(0, 10)}, ${cpus().length} × ${cpus()[0]?.model}, Node ${process.version}`;
}

export function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export async function adminQuery(sql) {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * Start `afterhours serve` on SQLite (a temp data dir) or PostgreSQL (a throwaway database). The hub's output
 * goes to stderr: stdout is the benchmark's report.
 */
export async function startBuiltHub(dialect = 'sqlite', extraEnv = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'afterhours-bench-'));
  const env = { ...process.env, HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...extraEnv };
  delete env.DATABASE_URL;
  let dbName;
  if (dialect === 'postgres') {
    dbName = `bench_${randomBytes(5).toString('hex')}`;
    await adminQuery(`create database ${dbName}`);
    const url = new URL(PG_URL);
    url.pathname = `/${dbName}`;
    env.DATABASE_URL = url.toString();
  }
  let removed = false;
  const remove = async () => {
    if (removed) return;
    removed = true;
    rmSync(dataDir, { recursive: true, force: true });
    if (dbName) await adminQuery(`drop database if exists ${dbName} with (force)`);
  };
  const { url, proc, halt } = await serveHub(dataDir, env).catch(async (error) => {
    await remove();
    throw error;
  });
  return {
    url,
    proc,
    pid: proc.pid,
    dataDir,
    databaseUrl: env.DATABASE_URL,
    /** Stops the hub and keeps its data, to be read afterwards. */
    halt,
    /** Stops the hub and drops its data. */
    async stop() {
      await halt();
      await remove();
    },
  };
}

/**
 * `afterhours serve` on `dataDir` with `env` (PORT set here), waiting until /healthz answers; its output goes
 * to stderr. `halt` stops it (SIGTERM) and waits for it to exit. BENCH_NODE_ARGS adds Node/V8 flags the hub is
 * started with, after `nodeArgs` (e.g. "--trace-gc", "--perf-basic-prof", "--cpu-prof --cpu-prof-dir=/tmp/prof";
 * NODE_OPTIONS refuses some of them).
 */
export async function serveHub(dataDir, env, { nodeArgs = [], port } = {}) {
  const chosen = port ?? (await freePort());
  const benchArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const proc = spawn(process.execPath, [...nodeArgs, ...benchArgs, BIN, 'serve', '--data-dir', dataDir], {
    env: { ...env, PORT: String(chosen) },
    stdio: ['ignore', 2, 2],
  });
  const exited = new Promise((r) => proc.once('exit', r));
  const halt = async () => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    proc.kill('SIGTERM');
    await exited;
  };
  const url = `http://127.0.0.1:${chosen}`;
  for (let i = 0; ; i++) {
    if (proc.exitCode !== null) throw new Error(`the hub exited with ${proc.exitCode} (its output is above)`);
    try {
      if ((await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) })).ok) break;
    } catch {}
    if (i > 150) {
      proc.kill('SIGKILL');
      await exited;
      throw new Error('the hub did not start');
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, proc, pid: proc.pid, halt };
}

/** The API as a signed-in browser uses it. */
export class ApiClient {
  cookie = '';
  csrf = '';
  constructor(base) {
    this.base = base;
  }
  async call(method, path, body) {
    const res = await fetch(this.base + path, {
      method,
      headers: {
        ...(body ? { 'content-type': 'application/json' } : {}),
        cookie: this.cookie,
        'x-csrf-token': this.csrf,
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) this.cookie = setCookie.split(';')[0];
    const json = await res.json();
    if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    if (json && typeof json === 'object' && 'csrfToken' in json) this.csrf = json.csrfToken;
    return json;
  }
}

/** The owner every benchmark sets up. */
export const BENCH_OWNER = { name: 'Bench', email: 'bench@example.com', password: 'bench password 123' };

/** First-run setup through the API; answers the owner's signed-in client. */
export async function setUpOwner(hub) {
  const api = new ApiClient(hub.url);
  await api.call('POST', '/api/setup', BENCH_OWNER);
  return api;
}

/**
 * A firm's register through the API: `clients` clients with `sitesPerClient` sites each and `systems`
 * systems spread over the sites, each depending on the previous one at its site. Returns the site ids
 * and system ids.
 */
export async function seedRegister(api, { clients = 200, sitesPerClient = 2, systems = 5000 } = {}) {
  const siteIds = [];
  for (let c = 0; c < clients; c++) {
    const client = await api.call('POST', '/api/clients', { name: `Client ${String(c).padStart(3, '0')} Ltd` });
    for (let s = 0; s < sitesPerClient; s++) {
      const site = await api.call('POST', '/api/sites', {
        clientId: client.id,
        name: `Office ${s}`,
        timeZone: 'Europe/London',
      });
      siteIds.push(site.id);
    }
  }
  const kinds = ['server', 'virtual_machine', 'email', 'phone_system', 'firewall', 'backup_job', 'ups', 'nas'];
  const systemIds = [];
  const lastBySite = new Map();
  for (let made = 0; made < systems; ) {
    const batch = [];
    for (let i = 0; i < 20 && made < systems; i++, made++) {
      const siteId = siteIds[made % siteIds.length];
      const parent = lastBySite.get(siteId);
      const body = {
        siteId,
        name: `sys-${made}`,
        kind: kinds[made % kinds.length],
        host: `10.${made % 250}.0.${made % 200}`,
        dependsOn: parent ? [parent] : [],
      };
      batch.push(
        api.call('POST', '/api/systems', body).then((s) => {
          lastBySite.set(siteId, s.id);
          systemIds.push(s.id);
        }),
      );
    }
    await Promise.all(batch);
  }
  return { siteIds, systemIds };
}
