import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { eventually } from './agent-process.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpSink } from '../apps/server/src/test/notify.js';
import {
  addClientSiteSystem,
  createStorage,
  setUpOwner,
  startHub,
  type ApiSession,
  type HubStorage,
  type RunningHub,
} from './hub-process.js';

const OWNER = { name: 'Olive Owner', email: 'olive@example.com', password: 'a long enough password' };

/** A statement straight on the hub's database while the hub is down (time passing, as far as it knows). */
async function onDatabase(storage: HubStorage, text: string): Promise<void> {
  if (storage.databaseUrl) {
    const client = new pg.Client({ connectionString: storage.databaseUrl, connectionTimeoutMillis: 5000 });
    await client.connect();
    try {
      await client.query(text);
    } finally {
      await client.end();
    }
    return;
  }
  const db = new Database(join(storage.dataDir, 'afterhours.db'));
  try {
    db.exec(text);
  } finally {
    db.close();
  }
}

/**
 * kill -9 of a real hub process in the middle of an escalation: after restart the next step runs, every
 * step's page went out exactly once, and nothing already sent is sent again.
 */
describe.each(['sqlite', 'postgres'] as const)('escalation survives kill -9 [%s]', (dialect) => {
  let storage: HubStorage;
  let hub: RunningHub;
  let api: ApiSession;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    storage = await createStorage(dialect);
    hub = await startHub(storage);
    api = await setUpOwner(hub, OWNER);
  });
  afterAll(async () => {
    await hub?.stop();
    await storage?.destroy();
    await smtp?.close();
  });

  it('resumes on restart with no step lost and nothing sent twice', async () => {
    expect(
      (
        await api.call('PUT', '/api/settings/channels/smtp', {
          host: '127.0.0.1',
          port: smtp.port,
          security: 'none',
          from: 'Afterhours <alerts@desk.example>',
        })
      ).status,
    ).toBe(200);
    const users: string[] = [];
    for (const name of ['amy', 'bob']) {
      const made = await api.call('POST', '/api/users', {
        email: `${name}@desk.example`,
        name,
        role: 'technician',
        password: 'a long enough password',
      });
      expect(made.status).toBe(201);
      users.push(made.body.id);
    }
    const policy = await api.call('POST', '/api/escalation-policies', {
      name: 'Weekend',
      isDefault: true,
      steps: [
        { targets: [{ type: 'user', id: users[0] }], waitMinutes: 5 },
        { targets: [{ type: 'user', id: users[1] }], waitMinutes: 5 },
      ],
    });
    expect(policy.status).toBe(201);
    const scene = await addClientSiteSystem(api, {
      client: 'Harbour Dental',
      site: 'Main office',
      timeZone: 'Europe/London',
      system: 'Nightly backup',
    });
    const heartbeat = await api.call('POST', '/api/heartbeats', {
      systemId: scene.systemId,
      name: 'Nightly backup',
      schedule: { kind: 'period', periodS: 86_400, graceS: 3_600 },
    });
    await fetch(`${hub.url}/ping/${heartbeat.body.id}/fail`, { method: 'POST', signal: AbortSignal.timeout(5000) });

    const to = (address: string) => smtp.mails.filter((m) => JSON.stringify(m.to).includes(address));
    await eventually('the first page, to amy', async () => to('amy@desk.example').length === 1);

    await hub.crash();
    // Five minutes pass while the hub is down: the next step is due.
    await onDatabase(
      storage,
      `update escalations set due_at = ${dialect === 'postgres' ? "now() - interval '1 second'" : "strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-1 second')"}`,
    );
    hub = await startHub(storage, hub.port);

    await eventually('the second page, to bob', async () => to('bob@desk.example').length === 1);
    // Give a resend (if any were coming) time to show up.
    await new Promise((r) => setTimeout(r, 2000));
    expect(to('amy@desk.example')).toHaveLength(1);
    expect(to('bob@desk.example')).toHaveLength(1);
    const [alert] = (await api.call('GET', '/api/alerts')).body.items;
    const detail = await api.call('GET', `/api/alerts/${alert.id}`);
    expect(detail.body.timeline.map((e: { kind: string }) => e.kind)).toEqual(['opened', 'paged', 'paged']);
  });
});
