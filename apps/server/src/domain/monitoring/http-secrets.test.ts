import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { openDatabase } from '../../db/database.js';
import { migrateToLatest } from '../../db/migrate.js';
import { setupOwner } from '../../test/agent.js';
import { insertClientWithSystem } from '../../test/factories.js';
import { createTestHub, createTestDatabase, forEachDatabase, type TestHub } from '../../test/harness.js';
import { runnableParams } from './secret-params.js';
import { sealClearSecrets } from './seal-secrets.js';

const SECRETS = ['url-pass-4711', 'hdr-auth-4711', 'hdr-cookie-4711', 'hdr-apikey-4711', 'hdr-proxy-4711', 'body-4711'];
const params = {
  url: 'https://monitor:url-pass-4711@127.0.0.1:9/health',
  headers: {
    Authorization: 'Bearer hdr-auth-4711',
    Cookie: 'sid=hdr-cookie-4711',
    'X-Api-Key': 'hdr-apikey-4711',
    'Proxy-Authorization': 'Basic hdr-proxy-4711',
    Accept: 'application/json',
  },
  method: 'POST',
  body: '{"token":"body-4711"}',
};

let hub: TestHub | undefined;
let dir: string | undefined;
afterEach(async () => {
  await hub?.close();
  hub = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

it('keeps the secrets of http checks out of the database file, the API and the audit log', async () => {
  dir = mkdtempSync(join(tmpdir(), 'ah-http-secrets-'));
  const db = openDatabase({ sqliteFile: join(dir, 'hub.db') });
  await migrateToLatest(db);
  hub = await createTestHub('sqlite', {}, { database: { db, drop: () => db.close() } });
  const owner = await setupOwner(hub);
  const { system } = await insertClientWithSystem(hub.ctx.db.kysely);
  const created = await owner.post('/api/checks', { systemId: system.id, name: 'Portal', kind: 'http', params });
  expect(created.status).toBe(201);
  expect(created.body.params).toMatchObject({
    url: 'https://monitor:***@127.0.0.1:9/health',
    headers: {
      Authorization: '***',
      Cookie: '***',
      'X-Api-Key': '***',
      'Proxy-Authorization': '***',
      Accept: 'application/json',
    },
    body: '***',
  });
  // An edit that sends the masks back keeps every secret; a changed header value replaces only that one.
  const edited = await owner.patch(`/api/checks/${created.body.id}`, {
    params: { ...created.body.params, headers: { ...created.body.params.headers, 'X-Api-Key': 'hdr-newkey-4711' } },
  });
  expect(edited.status).toBe(200);
  const row = await hub.ctx.db.kysely
    .selectFrom('checks')
    .selectAll()
    .where('id', '=', created.body.id)
    .executeTakeFirstOrThrow();
  expect(runnableParams(hub.ctx.secrets, row)).toMatchObject({
    ...params,
    headers: { ...params.headers, 'X-Api-Key': 'hdr-newkey-4711' },
  });

  const shown = JSON.stringify([
    (await owner.get(`/api/checks/${created.body.id}`)).body,
    (await owner.get('/api/audit')).body,
  ]);
  const stored = readdirSync(dir)
    .map((f) => readFileSync(join(dir!, f)).toString('latin1'))
    .join('\n');
  for (const secret of [...SECRETS, 'hdr-newkey-4711']) {
    expect(shown, secret).not.toContain(secret);
    expect(stored, secret).not.toContain(secret);
  }
});

forEachDatabase('sealing http secrets stored in clear by an older hub', (dialect) => {
  it('encrypts them in place and masks them in the audit log, once', async () => {
    const database = await createTestDatabase(dialect);
    hub = await createTestHub(dialect, {}, { database });
    const owner = await setupOwner(hub);
    const { system } = await insertClientWithSystem(hub.ctx.db.kysely);
    const created = await owner.post('/api/checks', {
      systemId: system.id,
      name: 'Portal',
      kind: 'http',
      params: { url: 'https://127.0.0.1:9/' },
    });
    // What an older hub left: secrets in params_json and in the audit entry.
    const clear = JSON.stringify(params);
    await hub.ctx.db.kysely
      .updateTable('checks')
      .set({ params_json: clear, secrets_enc: null })
      .where('id', '=', created.body.id)
      .execute();
    await hub.ctx.db.kysely
      .updateTable('audit_events')
      .set({ after_json: JSON.stringify({ name: 'Portal', params }) })
      .where('entity_id', '=', created.body.id)
      .execute();

    expect(await sealClearSecrets(hub.ctx)).toEqual({ checks: 1, auditEntries: 1 });
    expect(await sealClearSecrets(hub.ctx)).toEqual({ checks: 0, auditEntries: 0 });
    const row = await hub.ctx.db.kysely
      .selectFrom('checks')
      .selectAll()
      .where('id', '=', created.body.id)
      .executeTakeFirstOrThrow();
    expect(runnableParams(hub.ctx.secrets, row)).toMatchObject(params);
    const audit = await hub.ctx.db.kysely.selectFrom('audit_events').selectAll().execute();
    for (const secret of SECRETS) {
      expect(row.params_json, secret).not.toContain(secret);
      expect(JSON.stringify(audit), secret).not.toContain(secret);
    }
  });
});
