import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adminQuery, PG_URL } from './hub.mjs';

// The register the probe and storage benchmarks write straight into the hub's tables (they measure the probe
// and the storage, not the API): clients with one site and one server each, and hub checks on them.

const NEW_CHECK_STATE = new URL('../../apps/server/dist/domain/monitoring/new-check-state.js', import.meta.url);
if (!existsSync(NEW_CHECK_STATE)) {
  console.error('Build the hub first: npm run build');
  process.exit(1);
}
const { newCheckState } = await import(NEW_CHECK_STATE.href);

/** `count` clients, each with one site ("Office") and one server, made at `at` (ISO). */
export function registerRows(count, at) {
  const rows = { clients: [], sites: [], systems: [] };
  for (let c = 0; c < count; c++) {
    const client = {
      id: crypto.randomUUID(),
      name: `Client ${c}`,
      name_lower: `client ${c}`,
      notes: '',
      contract_json: '{"supportHours":{"kind":"always"},"responseTargetMinutes":60}',
      archived_at: null,
      created_at: at,
      updated_at: at,
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
      created_at: at,
      updated_at: at,
    };
    rows.clients.push(client);
    rows.sites.push(site);
    rows.systems.push({
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
      created_at: at,
      updated_at: at,
    });
  }
  return rows;
}

/** A firm technician who signs in with no password anyone knows and no second factor, made at `at`. */
export function technicianRow(email, name, at) {
  return {
    id: crypto.randomUUID(),
    email,
    name,
    role: 'technician',
    client_id: null,
    password_hash: 'x',
    totp_secret_enc: null,
    totp_pending_enc: null,
    totp_enabled: 0,
    disabled: 0,
    created_at: at,
    updated_at: at,
    last_sign_in_at: null,
  };
}

/** Hub check number `i` on `system`, made at `at` and not run yet; `fields` set its kind, params and the rest. */
export function checkRow(system, i, at, fields) {
  return {
    id: crypto.randomUUID(),
    client_id: system.client_id,
    site_id: system.site_id,
    system_id: system.id,
    name: `check ${i}`,
    secrets_enc: null,
    probe: 'hub',
    agent_id: null,
    interval_s: 60,
    timeout_ms: 5000,
    failures_before_down: 2,
    successes_before_up: 1,
    ...newCheckState(at),
    created_at: at,
    updated_at: at,
    ...fields,
  };
}

/**
 * Inserts `count` hub checks spread over `register`'s systems (`fields(i)`: check i's kind, params and the rest),
 * in statements of 500 rows; answers the rows.
 */
export async function insertChecks(k, register, count, at, fields) {
  const checks = Array.from({ length: count }, (_, i) =>
    checkRow(register.systems[i % register.systems.length], i, at, fields(i)),
  );
  for (let i = 0; i < checks.length; i += 500)
    await k
      .insertInto('checks')
      .values(checks.slice(i, i + 500))
      .execute();
  return checks;
}

/**
 * A migrated database of its own for a bench that writes straight into the hub's tables: a SQLite file in a
 * temporary folder, or a PostgreSQL schema; `server` holds the build's `openDatabase` and `migrateToLatest`
 * (benches may load another checkout's build). `drop()` removes it.
 */
export async function openBenchDatabase(dialect, name, server) {
  let dir;
  let schema;
  let db;
  if (dialect === 'sqlite') {
    dir = mkdtempSync(join(tmpdir(), `afterhours-${name}-bench-`));
    db = server.openDatabase({ sqliteFile: join(dir, 'afterhours.db') });
  } else {
    schema = `bench_${name}_${Date.now()}`;
    await adminQuery(`create schema ${schema}`);
    db = server.openDatabase({ url: PG_URL, pgSchema: schema });
  }
  await server.migrateToLatest(db);
  const drop = async () => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    if (schema) await adminQuery(`drop schema ${schema} cascade`);
  };
  return { db, dir, schema, drop };
}

/** Inserts `registerRows(count, at)` into the database and answers it. */
export async function insertRegister(k, count, at) {
  const register = registerRows(count, at);
  for (const table of ['clients', 'sites', 'systems'])
    for (const row of register[table]) await k.insertInto(table).values(row).execute();
  return register;
}
