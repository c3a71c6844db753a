import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const BIN = new URL('../apps/server/bin/afterhours.js', import.meta.url).pathname;

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Where a hub keeps its data: a temp SQLite directory, or a PostgreSQL database made for the test. */
export interface HubStorage {
  dialect: 'sqlite' | 'postgres';
  dataDir: string;
  databaseUrl?: string;
  destroy(): Promise<void>;
}

export async function createStorage(dialect: 'sqlite' | 'postgres'): Promise<HubStorage> {
  const dataDir = mkdtempSync(join(tmpdir(), 'afterhours-e2e-'));
  if (dialect === 'sqlite') {
    return { dialect, dataDir, destroy: async () => rmSync(dataDir, { recursive: true, force: true }) };
  }
  const name = `e2e_${randomBytes(5).toString('hex')}`;
  await admin(`create database ${name}`);
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    dialect,
    dataDir,
    databaseUrl: url.toString(),
    async destroy() {
      await admin(`drop database if exists ${name} with (force)`);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export interface RunningHub {
  url: string;
  port: number;
  output(): string;
  stop(): Promise<number | null>;
  /** kill -9: the process gets no chance to finish anything. */
  crash(): Promise<void>;
}

/** Start the built hub as a real process, the way `npm start` does, and wait until /healthz answers. */
export async function startHub(
  storage: HubStorage,
  port?: number,
  extraEnv: NodeJS.ProcessEnv = {},
): Promise<RunningHub> {
  const chosen = port ?? (await freePort());
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(chosen),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    ...extraEnv,
  };
  delete env.DATABASE_URL;
  if (storage.databaseUrl) env.DATABASE_URL = storage.databaseUrl;
  const child: ChildProcess = spawn(process.execPath, [BIN, 'serve', '--data-dir', storage.dataDir], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout?.on('data', (d) => (log += d));
  child.stderr?.on('data', (d) => (log += d));
  const url = `http://127.0.0.1:${chosen}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`hub exited with ${child.exitCode}:\n${log}`);
    try {
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) });
      if (res.ok) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`hub did not become healthy within 20 s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  return {
    url,
    port: chosen,
    output: () => log,
    crash: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', (code) => {
          clearTimeout(timer);
          resolve(code);
        });
        child.kill('SIGTERM');
      }),
  };
}

/** A minimal HTTP client that keeps the session cookie and CSRF token, like the web app does. */
export class ApiSession {
  private cookie = '';
  private csrf = '';
  constructor(private readonly base: string) {}

  async call<T = any>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.cookie) headers.cookie = this.cookie;
    if (this.csrf && method !== 'GET') headers['x-csrf-token'] = this.csrf;
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(10_000),
    });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) this.cookie = setCookie.split(';')[0] ?? '';
    const text = await res.text();
    const parsed = text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text;
    if (parsed && typeof parsed === 'object' && 'csrfToken' in parsed) this.csrf = String(parsed.csrfToken);
    return { status: res.status, body: parsed as T };
  }
}

/** First-run setup through the API: the owner account, signed in. */
export async function setUpOwner(
  hub: RunningHub,
  owner: { name: string; email: string; password: string },
): Promise<ApiSession> {
  const api = new ApiSession(hub.url);
  const res = await api.call('POST', '/api/setup', owner);
  if (res.status !== 200) throw new Error(`setup: ${res.status} ${JSON.stringify(res.body)}`);
  return api;
}

/** A client with one site and one system, made through the API; answers their ids. */
export async function addClientSiteSystem(
  api: ApiSession,
  names: { client: string; site: string; timeZone: string; system: string; kind?: string },
): Promise<{ clientId: string; siteId: string; systemId: string }> {
  const made = async (path: string, body: Record<string, unknown>): Promise<string> => {
    const res = await api.call('POST', path, body);
    if (res.status !== 201) throw new Error(`POST ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.id as string;
  };
  const clientId = await made('/api/clients', { name: names.client });
  const siteId = await made('/api/sites', { clientId, name: names.site, timeZone: names.timeZone });
  const systemId = await made('/api/systems', { siteId, name: names.system, kind: names.kind ?? 'backup_job' });
  return { clientId, siteId, systemId };
}

/**
 * The hub's database directly (SQL with `?` placeholders): what the API does not show, read while the
 * hub runs, or written while it is down (time passing, as far as it knows).
 */
export async function query<T = Record<string, unknown>>(
  storage: HubStorage,
  text: string,
  params: unknown[] = [],
): Promise<T[]> {
  if (storage.databaseUrl) {
    let n = 0;
    const client = new pg.Client({ connectionString: storage.databaseUrl, connectionTimeoutMillis: 5000 });
    await client.connect();
    try {
      return (
        await client.query(
          text.replace(/\?/g, () => `$${++n}`),
          params,
        )
      ).rows as T[];
    } finally {
      await client.end();
    }
  }
  const require = createRequire(new URL('../apps/server/package.json', import.meta.url));
  const Database = require('better-sqlite3') as typeof import('better-sqlite3');
  const db = new Database(join(storage.dataDir, 'afterhours.db'), { fileMustExist: true });
  try {
    const statement = db.prepare(text);
    return (statement.reader ? statement.all(...params) : (statement.run(...params), [])) as T[];
  } finally {
    db.close();
  }
}

/**
 * SQL for a moment `interval` ago ('1 second', '5 minutes'), to the millisecond as the hub writes times:
 * it compares them for equality when claiming, so a microsecond more would never match.
 */
export function ago(dialect: 'sqlite' | 'postgres', interval: string): string {
  return dialect === 'postgres'
    ? `date_trunc('milliseconds', now()) - interval '${interval}'`
    : `strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-${interval}')`;
}

/**
 * The start of a kill -9 test: a hub on storage of its own, its owner signed in, its mail going to the SMTP
 * server on `smtpPort`. The test crashes `hub` and starts it again on the same storage and port.
 */
export async function hubWithMail(dialect: 'sqlite' | 'postgres', smtpPort: number, env: Record<string, string> = {}) {
  const storage = await createStorage(dialect);
  const hub = await startHub(storage, undefined, env);
  const api = await setUpOwner(hub, {
    name: 'Olive Owner',
    email: 'olive@example.com',
    password: 'a long enough password',
  });
  const mail = await api.call('PUT', '/api/settings/channels/smtp', {
    host: '127.0.0.1',
    port: smtpPort,
    security: 'none',
    from: 'Afterhours <alerts@desk.example>',
  });
  if (mail.status !== 200) throw new Error(`smtp settings: ${mail.status} ${JSON.stringify(mail.body)}`);
  return { storage, hub, api };
}
