// Shared by bench/probe.mjs and bench/kuma-side-by-side.mjs: the loopback target in its own process, a hub
// database seeded with checks straight into its tables (this measures the probe, not the API), the built hub
// serving it, and a process's CPU and RSS read from /proc.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import pg from 'pg';
import { PG_URL, adminQuery, serveHub } from './hub.mjs';
import { checkRow, registerRows } from './register-rows.mjs';

const BIN = new URL('../../apps/server/bin/afterhours.js', import.meta.url).pathname;
const CLK_TCK = 100; // Linux USER_HZ
const CLIENTS = 100;

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function requireBuiltHub() {
  if (!existsSync(new URL('../../apps/server/dist/cli/main.js', import.meta.url))) {
    console.error('Build the hub first: npm run build');
    process.exit(1);
  }
}

/** bench/probe-target.mjs in its own process: `{ ports: { tcp, http }, stop() }`. */
export async function startTarget() {
  const proc = spawn(process.execPath, [new URL('../probe-target.mjs', import.meta.url).pathname], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const ports = await new Promise((resolve) => proc.stdout.once('data', (d) => resolve(JSON.parse(String(d)))));
  return { ports, pid: proc.pid, stop: () => proc.kill('SIGTERM') };
}

/** A migrated, empty hub database: a temp data dir (SQLite) or a throwaway PostgreSQL database. */
export async function createHubDatabase(dialect) {
  const dataDir = mkdtempSync(join(tmpdir(), 'afterhours-probe-bench-'));
  const env = { ...process.env, LOG_LEVEL: 'warn', HOST: '127.0.0.1' };
  delete env.DATABASE_URL;
  let dbName;
  if (dialect === 'postgres') {
    dbName = `bench_probe_${Date.now()}`;
    await adminQuery(`create database ${dbName}`);
    const url = new URL(PG_URL);
    url.pathname = `/${dbName}`;
    env.DATABASE_URL = url.toString();
  }
  await run(process.execPath, [BIN, 'migrate', '--data-dir', dataDir], env);
  const sqlitePath = join(dataDir, 'afterhours.db');
  return {
    dialect,
    dataDir,
    env,
    /** Database size after a checkpoint (SQLite: file + WAL; PostgreSQL: the database). */
    async bytes() {
      if (dialect === 'sqlite') return sqliteBytes(sqlitePath);
      const { rows } = await query('select pg_database_size(current_database())::bigint as n');
      return Number(rows[0].n);
    },
    /** Every stored result: check id, time (ISO) and status. */
    async results() {
      if (dialect === 'sqlite') {
        const db = new Database(sqlitePath, { readonly: true });
        const list = db.prepare('select check_id, at, status from check_results').all();
        db.close();
        return list;
      }
      const { rows } = await query(
        `select check_id, to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as at, status from check_results`,
      );
      return rows;
    },
    /** How many results are stored so far (read beside the running hub). */
    async resultCount() {
      if (dialect === 'sqlite') {
        const db = new Database(sqlitePath, { readonly: true });
        const n = db.prepare('select count(*) as n from check_results').get().n;
        db.close();
        return n;
      }
      const { rows } = await query('select count(*)::bigint as n from check_results');
      return Number(rows[0].n);
    },
    async seed(rows) {
      await seed(dialect, sqlitePath, env, rows);
    },
    async drop() {
      rmSync(dataDir, { recursive: true, force: true });
      if (dbName) await adminQuery(`drop database if exists ${dbName} with (force)`);
    },
  };

  async function query(sql) {
    const c = new pg.Client({ connectionString: env.DATABASE_URL });
    await c.connect();
    try {
      return await c.query(sql);
    } finally {
      await c.end();
    }
  }
}

/** SQLite file + WAL bytes after a TRUNCATE checkpoint (taken from a second connection if the owner runs). */
export function sqliteBytes(path) {
  const db = new Database(path, { timeout: 10_000 });
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return [path, `${path}-wal`].reduce((n, f) => n + (existsSync(f) ? statSync(f).size : 0), 0);
}

const jitter = (id) => createHash('sha256').update(id).digest().readUInt32BE(0) / 2 ** 32;

/**
 * Writes `checks` hub checks (all HTTP, or half TCP and half HTTP) against the target into the database, first
 * runs spread over one interval starting `startDelayMs` from now. Returns each check's first due time (ms)
 * and when the first runs begin (`startAt`, ms).
 */
export async function seedChecks(db, { checks, intervalS, kinds, ports, startDelayMs }) {
  const now = Date.now();
  const iso = (ms) => new Date(ms).toISOString();
  const rows = { ...registerRows(CLIENTS, iso(now)), checks: [] };
  const firstDue = new Map();
  for (let i = 0; i < checks; i++) {
    const http = kinds === 'http' || i % 2 === 1;
    const row = checkRow(rows.systems[i % CLIENTS], i, iso(now), {
      kind: http ? 'http' : 'tcp',
      params_json: JSON.stringify(
        http ? { url: `http://127.0.0.1:${ports.http}/` } : { host: '127.0.0.1', port: ports.tcp },
      ),
      interval_s: intervalS,
    });
    const due = now + startDelayMs + Math.floor(jitter(row.id) * intervalS * 1000);
    row.next_run_at = iso(due);
    firstDue.set(row.id, due);
    rows.checks.push(row);
  }
  await db.seed(rows);
  return { firstDue, startAt: now + startDelayMs };
}

/** `afterhours serve` on the database; with `profileDir`, a V8 CPU profile of it is written there on exit. */
export async function startHub(db, { profileDir } = {}) {
  const nodeArgs = profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [];
  const { pid, halt } = await serveHub(db.dataDir, db.env, { nodeArgs });
  return { pid, stop: halt };
}

/** A process's CPU ticks (user, system), RSS and each thread's ticks, from /proc. */
export function procSample(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) * 1024;
  return { t: Date.now(), ticks: utime + stime, utime, stime, rss, threads: threadTicks(pid) };
}

/** % of one core between two samples: all ticks, or a field of them (`utime`, `stime`). */
export function cpuPercent(a, b, field = 'ticks') {
  return ((b[field] - a[field]) / CLK_TCK / ((b.t - a.t) / 1000)) * 100;
}

/** A thread's % of one core between two samples. */
export function threadPercent(a, b, tid) {
  return (((b.threads.get(tid) ?? 0) - (a.threads.get(tid) ?? 0)) / CLK_TCK / ((b.t - a.t) / 1000)) * 100;
}

// CPU ticks of each thread: the main one (its id is the process id), the SQLite checkpoint worker, V8's and libuv's helpers.
function threadTicks(pid) {
  const out = new Map();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const st = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
      out.set(tid, Number(f[11]) + Number(f[12]));
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return out;
}

function run(cmd, argv, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { env, stdio: ['ignore', 'ignore', 'inherit'] });
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${argv.join(' ')} exited with ${code}`))));
  });
}

async function seed(dialect, sqlitePath, env, all) {
  if (dialect === 'sqlite') {
    const db = new Database(sqlitePath);
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
    // The hub places a check's row by the time of the minute it runs when the check is added or rescheduled
    // (sqlite-check-placement.ts); rows written straight into the table are placed the same way here.
    const { placeAllCheckRows } = await import('../../apps/server/dist/db/dialects/sqlite-check-placement.js');
    const kysely = new Kysely({ dialect: new SqliteDialect({ database: db }) });
    await placeAllCheckRows(kysely);
    await kysely.destroy();
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
