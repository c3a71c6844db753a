import { afterAll, beforeAll, expect, it } from 'vitest';
import { setupOwner, type TestAgent } from '../test/agent.js';
import { standardChecklist, tickKey } from '../test/checklists.js';
import { insertClient, insertContact, insertSite, insertSystem, signedInAs } from '../test/factories.js';
import { createTestHub, forEachDatabase, type TestHub } from '../test/harness.js';

/**
 * A client user of firm A reads every GET route of the newer features (from /api/openapi.json), with firm A's
 * ids and with firm B's: no answer may hold anything of firm B, nor anything only the team should see (how
 * to reach machines, secrets, internal notes, who was paged).
 */
const SWEPT =
  /^\/api\/(incidents|tasks|task-templates|message-templates|client-updates|clients\/\{id\}\/updates|checklists|checklist-runs|checklist-schedules|sites\/\{id\}\/(power|maintenance)|oncall|schedules|teams|escalation-policies|maintenance|share-links)/;

/** Everything a firm has in those features, made through the API as the owner. */
async function firm(owner: TestAgent, hub: TestHub, tag: string, ownerId: string) {
  const db = hub.ctx.db.kysely;
  const client = await insertClient(db, { name: `${tag} Firm` });
  const site = await insertSite(db, client, { name: `${tag} Office` });
  const system = await insertSystem(db, site, { name: `${tag} server` });
  await insertContact(db, client, { name: `${tag} Contact`, email: `${tag.toLowerCase()}@client.example` });
  const reach = {
    upsHost: `ups-${tag.toLowerCase()}.internal`,
    upsUser: `upsmon${tag.toLowerCase()}`,
    sshHost: `srv-${tag.toLowerCase()}.internal`,
    sshUser: `root${tag.toLowerCase()}`,
    secret: `secret-${tag.toLowerCase()}-pw`,
  };
  const ok = (res: { status: number; body: unknown }, what: string) => {
    if (res.status >= 300) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as any;
  };
  ok(
    await owner.post(`/api/sites/${site.id}/power/ups`, {
      name: `${tag} UPS`,
      kind: 'nut',
      settings: { host: reach.upsHost, ups: 'office', username: reach.upsUser, password: reach.secret },
    }),
    'ups',
  );
  ok(
    await owner.put(`/api/systems/${system.id}/power`, {
      shutdown: { kind: 'ssh', settings: { host: reach.sshHost, username: reach.sshUser, password: reach.secret } },
      startup: null,
    }),
    'power actions',
  );
  ok(
    await owner.post(`/api/sites/${site.id}/power/outages`, {
      startsAt: '2026-12-24T08:00:00.000Z',
      endsAt: '2026-12-24T12:00:00.000Z',
      note: `${tag} grid works`,
    }),
    'outage',
  );
  const incident = ok(
    await owner.post('/api/incidents', {
      clientId: client.id,
      siteIds: [site.id],
      systemIds: [system.id],
      summary: `${tag} power going on and off`,
    }),
    'incident',
  );
  ok(
    await owner.post(`/api/incidents/${incident.id}/notes`, { text: `${tag} note for the client`, internal: false }),
    'note',
  );
  ok(
    await owner.post(`/api/incidents/${incident.id}/notes`, { text: `${tag} internal: the client's admin broke it` }),
    'internal note',
  );
  ok(await owner.post(`/api/incidents/${incident.id}/tasks`, { title: `${tag} restart the servers` }), 'task');
  ok(
    await owner.post(`/api/incidents/${incident.id}/updates`, {
      subject: `${tag} update`,
      body: `${tag} we are on it`,
    }),
    'update',
  );
  const template = ok(await owner.post('/api/checklists', standardChecklist({ name: `${tag} Monday check` })), 'list');
  const run = ok(await owner.post('/api/checklist-runs', { templateId: template.id, siteId: site.id }), 'run');
  ok(
    await owner.post(`/api/checklist-runs/${run.id}/steps/${run.steps[0].id}/tick`, {
      status: 'passed',
      note: `${tag} step note`,
      tickKey: tickKey(),
    }),
    'tick',
  );
  ok(
    await owner.post('/api/checklist-schedules', {
      templateId: template.id,
      siteId: site.id,
      cron: '0 6 * * mon',
      notifyUserIds: [ownerId],
    }),
    'schedule',
  );
  ok(
    await owner.post(`/api/sites/${site.id}/maintenance`, {
      kind: 'once',
      endsAt: '2026-12-31T12:00:00.000Z',
      reason: `${tag} firmware`,
    }),
    'maintenance',
  );
  return { tag, client, site, system, incident, template, run, reach };
}

type Firm = Awaited<ReturnType<typeof firm>>;

/** Fills a route's path parameters from a firm's objects, by the segment before each one. */
function fill(path: string, f: Firm): string {
  const ids: Record<string, string> = {
    incidents: f.incident.id,
    'checklist-runs': f.run.id,
    checklists: f.template.id,
    sites: f.site.id,
    clients: f.client.id,
    steps: f.run.steps[0].id,
  };
  return path.replace(/([a-z-]+)\/\{[^}]+\}/g, (_, segment: string) => `${segment}/${ids[segment] ?? f.site.id}`);
}

forEachDatabase('what a client user can read', (dialect) => {
  let hub: TestHub;
  let a: Firm;
  let b: Firm;
  let clientOfA: TestAgent;
  beforeAll(async () => {
    hub = await createTestHub(dialect);
    const owner = await setupOwner(hub);
    const ownerId = (await owner.get('/api/me')).body.id;
    await owner.post('/api/escalation-policies', {
      name: 'Staff only policy',
      isDefault: false,
      repeat: 0,
      steps: [{ targets: [{ type: 'user', id: ownerId }], waitMinutes: 5 }],
    });
    a = await firm(owner, hub, 'Alpha', ownerId);
    b = await firm(owner, hub, 'Bravo', ownerId);
    clientOfA = await signedInAs(hub, 'client', a.client.id);
  }, 120_000);
  afterAll(() => hub.close());

  it("answers every GET with nothing of another firm and nothing internal, with its own ids or another firm's", async () => {
    const openapi = (await hub.app.inject({ url: '/api/openapi.json' })).json() as {
      paths: Record<string, Record<string, unknown>>;
    };
    const paths = Object.entries(openapi.paths)
      .filter(([path, methods]) => SWEPT.test(path) && 'get' in methods && !path.endsWith('/photo'))
      .map(([path]) => path);
    expect(paths.length).toBeGreaterThan(20);
    const internal = [
      ...Object.values(a.reach),
      'Alpha internal',
      'Staff only policy',
      '"hostKey"',
      '"secretsSet"',
      '"paged"',
    ];
    const otherFirm = ['Bravo', b.client.id, b.site.id, b.system.id, b.incident.id, b.run.id];
    const leaks: string[] = [];
    let own = 0;
    for (const path of paths) {
      for (const firmOfIds of [a, b]) {
        const url = fill(path, firmOfIds);
        const res = await clientOfA.get(url);
        const text = typeof res.body === 'string' ? res.body : JSON.stringify(res.body);
        if (firmOfIds === a && res.status === 200) own += 1;
        for (const needle of [...internal, ...otherFirm])
          if (text.includes(needle)) leaks.push(`${url} (${res.status}) shows ${needle}`);
        if (res.status >= 500) leaks.push(`${url} answered ${res.status}`);
      }
    }
    expect(leaks).toEqual([]);
    // The sweep means something only if the client user could read its own firm's things.
    expect(own).toBeGreaterThan(8);
    const power = await clientOfA.get(`/api/sites/${a.site.id}/power`);
    expect(power.body).toMatchObject({ protected: true, outages: [{ note: 'Alpha grid works' }] });
    const incident = await clientOfA.get(`/api/incidents/${a.incident.id}/timeline`);
    expect(JSON.stringify(incident.body)).toContain('Alpha note for the client');
  }, 300_000);
});
