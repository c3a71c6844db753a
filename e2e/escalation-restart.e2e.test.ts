import { eventually } from './agent-process.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpSink } from '../apps/server/src/test/notify.js';
import {
  addClientSiteSystem,
  ago,
  hubWithMail,
  startHub,
  type ApiSession,
  type HubStorage,
  type RunningHub,
  query,
} from './hub-process.js';

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
    ({ storage, hub, api } = await hubWithMail(dialect, smtp.port));
  });
  afterAll(async () => {
    await hub?.stop();
    await storage?.destroy();
    await smtp?.close();
  });

  it('resumes on restart with no step lost and nothing sent twice', async () => {
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
    await query(storage, `update escalations set due_at = ${ago(dialect, '1 second')}`);
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
