import { afterEach, beforeEach, expect, it } from 'vitest';
import { anonymous, setupOwner, type TestAgent } from '../../test/agent.js';
import { standardChecklist, tickKey } from '../../test/checklists.js';
import { insertClientWithSystem, insertContact, signedInAs } from '../../test/factories.js';
import { createTestHub, forEachDatabase, type TestHub } from '../../test/harness.js';

const opening = {
  name: 'Opening',
  body: {
    sections: [
      {
        title: 'Office',
        steps: [
          { key: 'lights', title: 'Lights on', kind: 'manual' },
          { key: 'doors', title: 'Doors unlocked', kind: 'manual' },
        ],
      },
    ],
  },
};

forEachDatabase('checklist runs with incidents and client reports', (dialect) => {
  let hub: TestHub;
  let owner: TestAgent;

  beforeEach(async () => {
    hub = await createTestHub(dialect);
    owner = await setupOwner(hub);
  });
  afterEach(() => hub.close());

  const timeline = (incidentId: string) =>
    hub.ctx.db.kysely
      .selectFrom('incident_timeline')
      .select(['kind', 'text', 'ref_id'])
      .where('incident_id', '=', incidentId)
      .where('kind', '=', 'checklist')
      .orderBy('seq')
      .execute();

  async function finishedRun(siteId: string, templateId: string, incidentId?: string) {
    const run = (await owner.post('/api/checklist-runs', { templateId, siteId, ...(incidentId ? { incidentId } : {}) }))
      .body;
    await owner.post(`/api/checklist-runs/${run.id}/steps/${run.steps[0].id}/tick`, {
      tickKey: tickKey(),
      status: 'passed',
    });
    await owner.post(`/api/checklist-runs/${run.id}/steps/${run.steps[1].id}/tick`, {
      tickKey: tickKey(),
      status: 'failed',
      note: 'Back door lock broken',
    });
    return (await owner.post(`/api/checklist-runs/${run.id}/finish`)).body;
  }

  it('puts a run started from an incident on its timeline, start and finish', async () => {
    const scene = await insertClientWithSystem(hub.ctx.db.kysely, 'Harbour Dental');
    const incident = await owner.post('/api/incidents', {
      clientId: scene.client.id,
      siteIds: [scene.site.id],
      summary: 'Power cut all weekend',
      acknowledge: true,
    });
    expect(incident.status).toBe(201);
    const template = await owner.post('/api/checklists', opening);
    const run = await finishedRun(scene.site.id, template.body.id, incident.body.id);
    expect(run).toMatchObject({ incidentId: incident.body.id, incidentNumber: incident.body.number });
    expect(await timeline(incident.body.id)).toEqual([
      { kind: 'checklist', text: '"Opening" started at Harbour Dental office', ref_id: run.id },
      { kind: 'checklist', text: 'Finished: failed (1 of 2 steps passed)', ref_id: run.id },
    ]);
    const other = await insertClientWithSystem(hub.ctx.db.kysely);
    const wrong = await owner.post('/api/checklist-runs', {
      templateId: template.body.id,
      siteId: other.site.id,
      incidentId: incident.body.id,
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.fields.incidentId).toMatch(/another client/);
  });

  it('opens an incident from a failed step in one tap, then joins it from the next', async () => {
    const scene = await insertClientWithSystem(hub.ctx.db.kysely, 'Harbour Dental');
    const template = await owner.post('/api/checklists', opening);
    const run = await finishedRun(scene.site.id, template.body.id);
    const doors = run.steps[1];
    const passed = await owner.post(`/api/checklist-runs/${run.id}/steps/${run.steps[0].id}/incident`);
    expect(passed.status).toBe(409);
    const first = await owner.post(`/api/checklist-runs/${run.id}/steps/${doors.id}/incident`);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ opened: true, number: expect.any(Number) });
    const incident = await hub.ctx.db.kysely
      .selectFrom('incidents')
      .selectAll()
      .where('id', '=', first.body.incidentId)
      .executeTakeFirstOrThrow();
    expect(incident.title).toBe('Doors unlocked: failed at Harbour Dental office');
    expect(incident.acknowledged_at).not.toBeNull();
    expect((await timeline(incident.id)).map((e) => e.text)).toEqual([
      '"Opening": "Doors unlocked" failed at Harbour Dental office (Back door lock broken)',
    ]);
    // Another run at the same site: its failed step joins the site's open incident.
    const second = await finishedRun(scene.site.id, template.body.id);
    const joined = await owner.post(`/api/checklist-runs/${second.id}/steps/${second.steps[1].id}/incident`);
    expect(joined.body).toMatchObject({ opened: false, incidentId: incident.id });
    expect(await timeline(incident.id)).toHaveLength(2);
    expect((await owner.get(`/api/checklist-runs/${second.id}`)).body.incidentId).toBe(incident.id);
    const client = await signedInAs(hub, 'client', scene.client.id);
    expect((await client.post(`/api/checklist-runs/${second.id}/steps/${second.steps[1].id}/incident`)).status).toBe(
      403,
    );
  });

  it('a step tapped twice, or by two people at once, makes one incident and one line', async () => {
    const scene = await insertClientWithSystem(hub.ctx.db.kysely, 'Harbour Dental');
    const template = await owner.post('/api/checklists', opening);
    const run = await finishedRun(scene.site.id, template.body.id);
    const colleague = await signedInAs(hub, 'technician');
    const url = `/api/checklist-runs/${run.id}/steps/${run.steps[1].id}/incident`;
    const taps = await Promise.all([owner.post(url), colleague.post(url), owner.post(url)]);
    expect(taps.map((t) => t.status)).toEqual([200, 200, 200]);
    expect(new Set(taps.map((t) => t.body.incidentId)).size).toBe(1);
    expect(taps.filter((t) => t.body.opened)).toHaveLength(1);
    const again = await owner.post(url);
    expect(again.body).toMatchObject({ incidentId: taps[0]!.body.incidentId, opened: false });
    expect(await hub.ctx.db.kysely.selectFrom('incidents').select('id').execute()).toHaveLength(1);
    expect(await timeline(taps[0]!.body.incidentId)).toHaveLength(1);
  });

  it("sends the report to the client's contacts with the run's result filled in", async () => {
    const scene = await insertClientWithSystem(hub.ctx.db.kysely, 'Harbour Dental');
    await insertContact(hub.ctx.db.kysely, scene.client, {
      name: 'Paula Practice',
      email: 'paula@harbour.example',
      preferred_channel: 'email',
      receives_incident_updates: 1,
    });
    const template = await owner.post('/api/checklists', opening);
    const run = await finishedRun(scene.site.id, template.body.id);
    const templates = (await owner.get('/api/message-templates')).body.items as Array<{
      id: string;
      kind: string;
      name: string;
    }>;
    const report = templates.find((t) => t.kind === 'checklist_report')!;
    const draft = await owner.post(`/api/checklist-runs/${run.id}/report-draft`, { templateId: report.id });
    expect(draft.status).toBe(200);
    expect(draft.body.subject).toBe('Harbour Dental: systems checked at Harbour Dental office');
    expect(draft.body.body).toContain('Opening: some steps need attention (1 of 2 steps passed)');
    expect(draft.body.body).toContain('- Doors unlocked: Back door lock broken');
    const incidentTemplate = templates.find((t) => t.kind === 'incident_update')!;
    expect(
      (await owner.post(`/api/checklist-runs/${run.id}/report-draft`, { templateId: incidentTemplate.id })).status,
    ).toBe(400);
    const sent = await owner.post(`/api/checklist-runs/${run.id}/updates`, {
      subject: draft.body.subject,
      body: draft.body.body,
    });
    expect(sent.status).toBe(201);
    const outbox = await hub.ctx.db.kysely
      .selectFrom('outbox')
      .selectAll()
      .where('address', '=', 'paula@harbour.example')
      .execute();
    expect(outbox).toHaveLength(1);
    const updates = await owner.get(`/api/client-updates?checklistRunId=${run.id}`);
    expect(updates.body.items).toHaveLength(1);
  });

  it('shares the report by a secret link that stops working when revoked', async () => {
    const scene = await insertClientWithSystem(hub.ctx.db.kysely, 'Harbour Dental');
    const template = await owner.post('/api/checklists', standardChecklist());
    const run = (await owner.post('/api/checklist-runs', { templateId: template.body.id, siteId: scene.site.id })).body;
    const link = await owner.post(`/api/checklist-runs/${run.id}/report-links`);
    expect(link.status).toBe(201);
    const token = String(link.body.url).split('/shared/checklist-report/')[1]!;
    expect(token.length).toBeGreaterThan(20);
    const nobody = anonymous(hub);
    const opened = await nobody.get(`/api/public/checklist-reports/${token}`);
    expect(opened.status).toBe(200);
    expect(opened.body).toMatchObject({ id: run.id, siteName: 'Harbour Dental office' });
    expect(opened.headers['cache-control']).toBe('no-store');
    expect((await owner.get(`/api/checklist-runs/${run.id}/report-links`)).body.items).toHaveLength(1);
    expect((await owner.delete(`/api/share-links/${link.body.id}`)).status).toBe(200);
    expect((await nobody.get(`/api/public/checklist-reports/${token}`)).status).toBe(404);
    const stranger = await signedInAs(hub, 'client', (await insertClientWithSystem(hub.ctx.db.kysely)).client.id);
    expect((await stranger.post(`/api/checklist-runs/${run.id}/report-links`)).status).toBe(403);
  });
});
