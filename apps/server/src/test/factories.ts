import type { Role } from '@afterhours/shared';
import type { Insertable } from 'kysely';
import type { Kdb } from '../db/database.js';
import type { ClientsTable, ContactsTable, Database, SitesTable, SystemsTable, UsersTable } from '../db/schema.js';
import { hashPassword } from '../domain/auth/passwords.js';
import { newId } from '../lib/ids.js';
import { signIn, type TestAgent } from './agent.js';
import type { TestHub } from './harness.js';

/**
 * Test data builders: each returns a valid row or request body, with overrides. Rows go straight
 * into the database (for setting the scene); bodies go through the API (for what is under test).
 */

let counter = 0;
const next = () => ++counter;
const NOW = '2026-11-20T17:00:00.000Z';

// ---- Rows -----------------------------------------------------------------

export function clientRow(overrides: Partial<ClientsTable> = {}): ClientsTable {
  const name = overrides.name ?? `Client ${next()}`;
  return {
    id: newId(),
    name,
    name_lower: name.toLowerCase(),
    notes: '',
    contract_json: JSON.stringify({ supportHours: { kind: 'always' }, responseTargetMinutes: 60 }),
    archived_at: null,
    created_at: NOW,
    updated_at: NOW,
    ...overrides,
  };
}

export function siteRow(client: { id: string }, overrides: Partial<SitesTable> = {}): SitesTable {
  const name = overrides.name ?? `Site ${next()}`;
  return {
    id: newId(),
    client_id: client.id,
    name,
    name_lower: name.toLowerCase(),
    address: '',
    time_zone: 'Europe/London',
    notes: '',
    archived_at: null,
    created_at: NOW,
    updated_at: NOW,
    ...overrides,
  };
}

export function systemRow(
  site: { id: string; client_id: string },
  overrides: Partial<SystemsTable> = {},
): SystemsTable {
  const name = overrides.name ?? `System ${next()}`;
  return {
    id: newId(),
    site_id: site.id,
    client_id: site.client_id,
    name,
    name_lower: name.toLowerCase(),
    kind: 'server',
    host: null,
    criticality: 'normal',
    notes: '',
    archived_at: null,
    created_at: NOW,
    updated_at: NOW,
    ...overrides,
  };
}

export function contactRow(client: { id: string }, overrides: Partial<ContactsTable> = {}): ContactsTable {
  const n = next();
  return {
    id: newId(),
    client_id: client.id,
    name: `Contact ${n}`,
    role: '',
    email: `contact${n}@example.com`,
    phone: null,
    preferred_channel: 'email',
    receives_incident_updates: 1,
    created_at: NOW,
    updated_at: NOW,
    ...overrides,
  };
}

export async function insertClient(db: Kdb, overrides: Partial<ClientsTable> = {}) {
  const row = clientRow(overrides);
  await db.insertInto('clients').values(row).execute();
  return row;
}

export async function insertSite(db: Kdb, client: { id: string }, overrides: Partial<SitesTable> = {}) {
  const row = siteRow(client, overrides);
  await db.insertInto('sites').values(row).execute();
  return row;
}

export async function insertSystem(
  db: Kdb,
  site: { id: string; client_id: string },
  overrides: Partial<SystemsTable> = {},
) {
  const row = systemRow(site, overrides);
  await db.insertInto('systems').values(row).execute();
  return row;
}

export async function insertContact(db: Kdb, client: { id: string }, overrides: Partial<ContactsTable> = {}) {
  const row = contactRow(client, overrides);
  await db.insertInto('contacts').values(row).execute();
  return row;
}

/** `system` depends on `on`. */
export async function insertDependency(db: Kdb, system: { id: string; client_id: string }, on: { id: string }) {
  await db
    .insertInto('system_dependencies')
    .values({ system_id: system.id, depends_on_id: on.id, client_id: system.client_id })
    .execute();
}

/** A client with one site and one system: the smallest useful scene. */
export async function insertClientWithSystem(db: Kdb, name = `Client ${next()}`) {
  const client = await insertClient(db, { name });
  const site = await insertSite(db, client, { name: `${name} office` });
  const system = await insertSystem(db, site, { name: `${name} server` });
  return { client, site, system };
}

/** Insert many rows in batches (PostgreSQL allows 65,535 parameters per statement). */
export async function insertMany<T extends keyof Database>(
  db: Kdb,
  table: T,
  rows: Insertable<Database[T]>[],
  batch = 400,
): Promise<void> {
  for (let i = 0; i < rows.length; i += batch) {
    await db
      .insertInto(table)
      .values(rows.slice(i, i + batch) as never)
      .execute();
  }
}

export async function countRows(db: Kdb, table: keyof Database): Promise<number> {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

// ---- Users ----------------------------------------------------------------

export const TEST_PASSWORD = 'a long enough password';

export async function insertUser(
  db: Kdb,
  role: Role,
  clientId: string | null = null,
  overrides: Partial<UsersTable> = {},
) {
  const n = next();
  const row: UsersTable = {
    id: newId(),
    email: `${role}${n}@example.com`,
    name: `${role} ${n}`,
    role,
    client_id: clientId,
    password_hash: await hashPassword(TEST_PASSWORD),
    totp_secret_enc: null,
    totp_pending_enc: null,
    totp_enabled: 0,
    disabled: 0,
    created_at: NOW,
    updated_at: NOW,
    last_sign_in_at: null,
    locale: null,
    clock: null,
    ...overrides,
  };
  await db.insertInto('users').values(row).execute();
  return row;
}

/** A user of the given role, inserted directly and signed in through /api/auth/sign-in. */
export async function signedInAs(hub: TestHub, role: Role, clientId: string | null = null): Promise<TestAgent> {
  const user = await insertUser(hub.ctx.db.kysely, role, clientId);
  return signIn(hub, user.email, TEST_PASSWORD);
}

// ---- Request bodies ---------------------------------------------------------

export const clientBody = (overrides: Record<string, unknown> = {}) => ({
  name: `Harbour Dental ${next()}`,
  ...overrides,
});

export const contactBody = (overrides: Record<string, unknown> = {}) => ({
  name: 'Dana Reyes',
  role: 'Practice manager',
  email: `dana${next()}@example.com`,
  phone: '+44 20 7946 0000',
  ...overrides,
});

export const siteBody = (clientId: string, overrides: Record<string, unknown> = {}) => ({
  clientId,
  name: `Main office ${next()}`,
  address: '1 High Street',
  timeZone: 'Europe/London',
  ...overrides,
});

export const systemBody = (siteId: string, overrides: Record<string, unknown> = {}) => ({
  siteId,
  name: `Server ${next()}`,
  kind: 'server',
  host: 'srv1.example.lan',
  ...overrides,
});
