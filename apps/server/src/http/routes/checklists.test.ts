import { afterEach, beforeEach, expect, it } from 'vitest';
import { setupOwner, type TestAgent } from '../../test/agent.js';
import { insertAgent } from '../../test/checks.js';
import { closedPort, openPort, standardChecklist, tcpCheck, tickKey } from '../../test/checklists.js';
import { insertClientWithSystem, insertSite, signedInAs } from '../../test/factories.js';
import { createTestHub, forEachDatabase, type TestHub } from '../../test/harness.js';

forEachDatabase('checklists', (dialect) => {
  let hub: TestHub;
  let owner: TestAgent;
  let up: Awaited<ReturnType<typeof openPort>>;

  beforeEach(async () => {
    hub = await createTestHub(dialect);
    owner = await setupOwner(hub);
    up = await openPort();
  });
  afterEach(async () => {
    await up.close();
    await hub.close();
  });

  /** A site with a mail server that answers, an RDP port that does not, a backup heartbeat, an agent, a UPS. */
  async function office() {
    const scene = await insertClientWithSystem(hub.ctx.db.kysely, 'Harbour Dental');
    await tcpCheck(owner, scene.system.id, 'SMTP', up.port);
    await tcpCheck(owner, scene.system.id, 'RDP', await closedPort());
    const hb = await owner.post('/api/heartbeats', {
      systemId: scene.system.id,
      name: 'Nightly offsite backup',
      slug: 'nightly',
    });
    expect(hb.status).toBe(201);
    await insertAgent(hub.ctx.db.kysely, scene.site, { name: 'office-pi' });
    await hub.ctx.db.kysely
      .insertInto('power_state')
      .values({
        site_id: scene.site.id,
        client_id: scene.client.id,
        state: 'online',
        on_battery_since: null,
        charge_percent: 100,
        runtime_seconds: 1800,
        load_percent: 20,
        readings_json: '{}',
        alert_state: 'online',
        online_since: '2026-11-20T10:00:00.000Z',
        updated_at: '2026-11-20T17:00:00.000Z',
      })
      .execute();
    return { ...scene, heartbeatId: hb.body.id as string };
  }

  async function settled(runId: string) {
    let run: any;
    await expect
      .poll(
        async () => {
          run = (await owner.get(`/api/checklist-runs/${runId}`)).body;
          return run.steps.filter((s: { status: string }) => s.status === 'running').length;
        },
        { timeout: 15_000 },
      )
      .toBe(0);
    return run;
  }

  it('runs the automatic steps against real checks at once and records each result', async () => {
    const scene = await office();
    const ping = await hub.app.inject({ method: 'POST', url: `/ping/${scene.heartbeatId}` });
    expect(ping.statusCode).toBe(200);
    const template = await owner.post('/api/checklists', standardChecklist());
    expect(template.status).toBe(201);
    const started = await owner.post('/api/checklist-runs', { templateId: template.body.id, siteId: scene.site.id });
    expect(started.status).toBe(201);
    // Manual steps wait for a person; automatic ones are under way (or already judged) when the run starts.
    const statuses = started.body.steps.map((s: { status: string }) => s.status);
    expect(statuses.slice(0, 2)).toEqual(['pending', 'pending']);
    expect(statuses.slice(2).every((s: string) => s !== 'pending')).toBe(true);
    const run = await settled(started.body.id);
    const byKey = Object.fromEntries(run.steps.map((s: { key: string }) => [s.key, s]));
    expect(byKey.mail).toMatchObject({
      status: 'passed',
      targetLabel: 'Harbour Dental server: SMTP',
      doneBy: 'Afterhours',
    });
    expect(byKey.rdp.status).toBe('failed');
    expect(byKey.rdp.message).toMatch(/^down/);
    expect(byKey.backup).toMatchObject({ status: 'passed' });
    expect(byKey.backup.message).toMatch(/Last success/);
    expect(byKey.agent).toMatchObject({ status: 'passed', message: 'office-pi online' });
    expect(byKey.ups).toMatchObject({ status: 'passed', message: 'On line, battery 100%' });
    // The checks' own state moved too: the run went through the monitoring code, not around it.
    const rdp = await hub.ctx.db.kysely
      .selectFrom('checks')
      .select('last_status')
      .where('name', '=', 'RDP')
      .executeTakeFirstOrThrow();
    expect(rdp.last_status).toBe('down');
  });

  it('fails a heartbeat step when the backup failed after its last success, or is older than allowed', async () => {
    const scene = await office();
    await hub.app.inject({ method: 'POST', url: `/ping/${scene.heartbeatId}` });
    hub.clock.advance(3600_000);
    await hub.app.inject({ method: 'POST', url: `/ping/${scene.heartbeatId}/fail` });
    const template = await owner.post('/api/checklists', standardChecklist());
    const started = await owner.post('/api/checklist-runs', { templateId: template.body.id, siteId: scene.site.id });
    const run = await settled(started.body.id);
    const backup = run.steps.find((s: { key: string }) => s.key === 'backup');
    expect(backup.status).toBe('failed');
    expect(backup.message).toMatch(/Last run failed/);

    await hub.app.inject({ method: 'POST', url: `/ping/${scene.heartbeatId}` });
    hub.clock.advance(25 * 3600_000);
    const later = await owner.post('/api/checklist-runs', { templateId: template.body.id, siteId: scene.site.id });
    const stale = (await settled(later.body.id)).steps.find((s: { key: string }) => s.key === 'backup');
    expect(stale.status).toBe('failed');
    expect(stale.message).toMatch(/more than 24 h/);
  });

  it('applies a resent tick once, finishes with who, when and how long, and refuses ticks after', async () => {
    const scene = await office();
    const template = await owner.post('/api/checklists', standardChecklist());
    const started = await owner.post('/api/checklist-runs', { templateId: template.body.id, siteId: scene.site.id });
    const run = await settled(started.body.id);
    const room = run.steps[0];
    const key = tickKey();
    const first = await owner.post(`/api/checklist-runs/${run.id}/steps/${room.id}/tick`, {
      tickKey: key,
      status: 'passed',
      note: 'All quiet',
    });
    expect(first.status).toBe(200);
    expect(first.body.applied).toBe(true);
    expect(first.body.run.steps[0]).toMatchObject({ status: 'passed', note: 'All quiet', doneBy: 'Olive Owner' });
    // A colleague marks it failed meanwhile; the first phone's queued tick arrives again: no change.
    const colleague = await signedInAs(hub, 'technician');
    await colleague.post(`/api/checklist-runs/${run.id}/steps/${room.id}/tick`, {
      tickKey: tickKey(),
      status: 'failed',
    });
    const again = await owner.post(`/api/checklist-runs/${run.id}/steps/${room.id}/tick`, {
      tickKey: key,
      status: 'passed',
      note: 'All quiet',
    });
    expect(again.body.applied).toBe(false);
    expect(again.body.run.steps[0].status).toBe('failed');
    expect(await hub.ctx.db.kysely.selectFrom('checklist_ticks').selectAll().execute()).toHaveLength(2);

    hub.clock.advance(4 * 60_000);
    const finished = await owner.post(`/api/checklist-runs/${run.id}/finish`);
    expect(finished.status).toBe(200);
    expect(finished.body).toMatchObject({ status: 'failed', finishedBy: 'Olive Owner', durationS: 240 });
    expect(finished.body.steps[1]).toMatchObject({ status: 'not_done' });
    const late = await owner.post(`/api/checklist-runs/${run.id}/steps/${room.id}/tick`, {
      tickKey: tickKey(),
      status: 'passed',
    });
    expect(late.status).toBe(409);
    const junk = await owner.post(`/api/checklist-runs/${run.id}/steps/${room.id}/tick`, {
      tickKey: tickKey(),
      status: 'passed',
      at: '2026-11-20T17:00:01Zjunk',
    });
    expect(junk.status).toBe(400);
    expect(junk.body.error.fields.at).toMatch(/date and time/);
    expect((await owner.post(`/api/checklist-runs/${run.id}/finish`)).status).toBe(409);
  });

  it('ends "passed with notes" when every step passed and one has a note', async () => {
    const scene = await insertClientWithSystem(hub.ctx.db.kysely);
    const template = await owner.post('/api/checklists', {
      name: 'Opening',
      body: {
        sections: [
          {
            title: 'Office',
            steps: [
              { key: 'a', title: 'Lights', kind: 'manual' },
              { key: 'b', title: 'Doors', kind: 'manual' },
            ],
          },
        ],
      },
    });
    const run = (await owner.post('/api/checklist-runs', { templateId: template.body.id, siteId: scene.site.id })).body;
    await owner.post(`/api/checklist-runs/${run.id}/steps/${run.steps[0].id}/tick`, {
      tickKey: tickKey(),
      status: 'passed',
    });
    await owner.post(`/api/checklist-runs/${run.id}/steps/${run.steps[1].id}/tick`, {
      tickKey: tickKey(),
      status: 'passed',
      note: 'Back door sticks',
    });
    const done = await owner.post(`/api/checklist-runs/${run.id}/finish`);
    expect(done.body.status).toBe('passed_with_notes');
  });

  it('keeps versions: a run keeps the version it started with; YAML round-trips; bad YAML names the field', async () => {
    const scene = await insertClientWithSystem(hub.ctx.db.kysely);
    const created = await owner.post('/api/checklists', standardChecklist());
    const id = created.body.id;
    const run = (await owner.post('/api/checklist-runs', { templateId: id, siteId: scene.site.id })).body;
    const exported = await owner.get(`/api/checklists/${id}/yaml`);
    expect(exported.body.yaml).toContain('name: Systems checklist');
    expect(exported.body.yaml).toContain('key: server-room');
    const changed = exported.body.yaml.replace('Look at the server room', 'Walk through the server room');
    const put = await owner.put(`/api/checklists/${id}/yaml`, { yaml: changed });
    expect(put.status).toBe(200);
    expect(put.body.version).toBe(2);
    expect((await owner.get(`/api/checklist-runs/${run.id}`)).body).toMatchObject({ templateVersion: 1 });
    expect((await owner.get(`/api/checklist-runs/${run.id}`)).body.steps[0].title).toBe('Look at the server room');
    const second = (await owner.post('/api/checklist-runs', { templateId: id, siteId: scene.site.id })).body;
    expect(second).toMatchObject({ templateVersion: 2 });
    expect(second.steps[0].title).toBe('Walk through the server room');

    const imported = await owner.post('/api/checklists/import', { yaml: exported.body.yaml, siteId: scene.site.id });
    expect(imported.status).toBe(201);
    expect((await owner.get(`/api/checklists/${imported.body.id}`)).body).toMatchObject({
      siteId: scene.site.id,
      steps: 7,
    });

    const notYaml = await owner.post('/api/checklists/import', { yaml: 'name: [unclosed' });
    expect(notYaml.status).toBe(400);
    expect(Object.keys(notYaml.body.error.fields)).toEqual(['yaml']);
    const badStep = await owner.post('/api/checklists/import', {
      yaml: 'name: X\nsections:\n  - title: A\n    steps:\n      - key: Bad Key\n        title: T\n        kind: manual\n',
    });
    expect(badStep.status).toBe(400);
    expect(badStep.body.error.fields).toHaveProperty(['yaml.sections.0.steps.0.key']);
    const duplicate = await owner.post('/api/checklists', {
      name: 'Dup',
      body: {
        sections: [
          {
            title: 'A',
            steps: [
              { key: 'a', title: 'One', kind: 'manual' },
              { key: 'a', title: 'Two', kind: 'manual' },
            ],
          },
        ],
      },
    });
    expect(duplicate.status).toBe(400);
    expect(duplicate.body.error.fields['body.sections.0.steps.1.key']).toMatch(/used twice/);
  });

  it('binds a global step to a check of the site by id, and refuses a check of another site', async () => {
    const scene = await office();
    const other = await insertClientWithSystem(hub.ctx.db.kysely, 'Other firm');
    const foreign = await tcpCheck(owner, other.system.id, 'SMTP', up.port);
    const mine = await tcpCheck(owner, scene.system.id, 'Mail relay', up.port);
    const template = await owner.post('/api/checklists', standardChecklist());
    const url = `/api/checklists/${template.body.id}/sites/${scene.site.id}/bindings`;
    const refused = await owner.put(url, { bindings: { rdp: { checkId: foreign } } });
    expect(refused.status).toBe(400);
    expect(refused.body.error.fields['bindings.rdp.checkId']).toMatch(/is not one of/);
    expect((await owner.put(url, { bindings: { nope: {} } })).status).toBe(400);
    expect((await owner.put(url, { bindings: { rdp: { checkId: mine } } })).status).toBe(200);
    const run = await settled(
      (await owner.post('/api/checklist-runs', { templateId: template.body.id, siteId: scene.site.id })).body.id,
    );
    expect(run.steps.find((s: { key: string }) => s.key === 'rdp')).toMatchObject({
      status: 'passed',
      targetLabel: 'Harbour Dental server: Mail relay',
    });
  });

  it('fails a step at once when nothing at the site has its name, and refuses a site template elsewhere', async () => {
    const scene = await insertClientWithSystem(hub.ctx.db.kysely);
    const template = await owner.post('/api/checklists', standardChecklist());
    const run = (await owner.post('/api/checklist-runs', { templateId: template.body.id, siteId: scene.site.id })).body;
    expect(run.steps.find((s: { key: string }) => s.key === 'mail')).toMatchObject({
      status: 'failed',
      message: expect.stringMatching(/No check "SMTP"/),
    });
    const own = await owner.post('/api/checklists', standardChecklist({ name: 'Site only', siteId: scene.site.id }));
    const elsewhere = await insertSite(hub.ctx.db.kysely, scene.client);
    expect((await owner.post('/api/checklist-runs', { templateId: own.body.id, siteId: elsewhere.id })).status).toBe(
      409,
    );
  });

  it('keeps client accounts to their own firm, read-only', async () => {
    const scene = await office();
    const template = await owner.post('/api/checklists', standardChecklist());
    const run = (await owner.post('/api/checklist-runs', { templateId: template.body.id, siteId: scene.site.id })).body;
    const theirs = await signedInAs(hub, 'client', scene.client.id);
    const stranger = await signedInAs(hub, 'client', (await insertClientWithSystem(hub.ctx.db.kysely)).client.id);
    expect((await theirs.get(`/api/checklist-runs/${run.id}`)).status).toBe(200);
    expect(
      (
        await theirs.post(`/api/checklist-runs/${run.id}/steps/${run.steps[0].id}/tick`, {
          tickKey: tickKey(),
          status: 'passed',
        })
      ).status,
    ).toBe(403);
    expect(
      (await theirs.post('/api/checklist-runs', { templateId: template.body.id, siteId: scene.site.id })).status,
    ).toBe(403);
    expect((await theirs.get(`/api/checklists/${template.body.id}`)).status).toBe(404);
    expect((await stranger.get(`/api/checklist-runs/${run.id}`)).status).toBe(404);
    expect((await stranger.get('/api/checklist-runs')).body.items).toEqual([]);
    expect((await theirs.get('/api/checklist-runs')).body.items).toHaveLength(1);
  });

  it('keeps a photo of a step, shown only to those who may see the run', async () => {
    const scene = await insertClientWithSystem(hub.ctx.db.kysely);
    const template = await owner.post('/api/checklists', standardChecklist());
    const run = (await owner.post('/api/checklist-runs', { templateId: template.body.id, siteId: scene.site.id })).body;
    const step = run.steps[0];
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
      'base64',
    );
    const url = `/api/checklist-runs/${run.id}/steps/${step.id}/photo`;
    const sent = await owner.send('POST', url, png, { 'content-type': 'image/png' });
    expect(sent.status).toBe(201);
    expect((await owner.get(`/api/checklist-runs/${run.id}`)).body.steps[0].hasPhoto).toBe(true);
    const read = await hub.app.inject({ method: 'GET', url, headers: { cookie: (owner as any).auth.cookie } });
    expect(read.statusCode).toBe(200);
    expect(read.headers['content-type']).toBe('image/png');
    expect(read.rawPayload.equals(png)).toBe(true);
    const notImage = await owner.send('POST', url, Buffer.from('<svg/>'), { 'content-type': 'image/png' });
    expect(notImage.status).toBe(415);
    const stranger = await signedInAs(hub, 'client', (await insertClientWithSystem(hub.ctx.db.kysely)).client.id);
    expect((await stranger.get(url)).status).toBe(404);
    // A second photo replaces the first.
    expect((await owner.send('POST', url, png, { 'content-type': 'image/png' })).status).toBe(201);
    expect(await hub.ctx.db.kysely.selectFrom('checklist_photos').select('id').execute()).toHaveLength(1);
  });
});
