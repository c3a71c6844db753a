import { afterEach, beforeEach, expect, it } from 'vitest';
import { ackLink } from '../../domain/alerts/links.js';
import { openAlert } from '../../domain/alerts/lifecycle.js';
import { PHOTO_MAX_BYTES } from '@afterhours/shared';
import {
  insertClientWithSystem,
  insertContact,
  insertMany,
  insertUser,
  signedInAs,
  TEST_PASSWORD,
} from '../../test/factories.js';
import { newId } from '../../lib/ids.js';
import { createTestHub, forEachDatabase, type TestHub } from '../../test/harness.js';
import { signIn, type TestAgent } from '../../test/agent.js';

/** A tiny but real JPEG header and body: what a phone's camera sends, as far as the hub looks. */
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(2000, 7), Buffer.from([0xff, 0xd9])]);

forEachDatabase('incident routes', (dialect) => {
  let hub: TestHub;
  let tech: TestAgent;
  beforeEach(async () => {
    hub = await createTestHub(dialect, { publicUrl: 'https://desk.example' });
    tech = await signedInAs(hub, 'technician');
  });
  afterEach(async () => {
    await hub.close();
  });
  const db = () => hub.ctx.db.kysely;

  async function anIncident(body: Record<string, unknown> = {}) {
    const scene = await insertClientWithSystem(db());
    const res = await tech.post('/api/incidents', {
      clientId: scene.client.id,
      siteIds: [scene.site.id],
      summary: 'Server room is hot',
      acknowledge: true,
      ...body,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return { ...scene, incident: res.body };
  }

  it('bad input is a 400 naming the field and the problem', async () => {
    const scene = await insertClientWithSystem(db());
    const other = await insertClientWithSystem(db());
    const client = await insertUser(db(), 'client', scene.client.id);
    const open = (body: object) => tech.post('/api/incidents', { clientId: scene.client.id, summary: 'x', ...body });
    expect((await tech.post('/api/incidents', { clientId: scene.client.id })).body.error.fields).toEqual({
      summary: expect.any(String),
    });
    expect((await open({ siteIds: [other.site.id] })).body.error.fields).toEqual({
      siteIds: `site ${other.site.id} is not one of this client's sites`,
    });
    expect((await open({ systemIds: [other.system.id] })).body.error.fields).toHaveProperty('systemIds');
    expect((await open({ call: {} })).body.error.fields).toEqual({
      'call.callerName': expect.stringContaining('required'),
    });
    const stranger = await insertContact(db(), other.client);
    expect((await open({ call: { contactId: stranger.id } })).body.error.fields).toHaveProperty(['call.contactId']);
    expect((await open({ call: { callerName: 'Dana', at: '2030-01-01T00:00:00Z' } })).body.error.fields).toEqual({
      'call.at': 'cannot be in the future',
    });
    const { incident } = await anIncident();
    const task = (body: object) => tech.post(`/api/incidents/${incident.id}/tasks`, { title: 'Check', ...body });
    expect((await task({ assigneeUserId: client.id })).body.error.fields).toEqual({
      assigneeUserId: 'must be an active colleague (owner, admin or technician)',
    });
    expect((await task({ title: 'two\nlines' })).status).toBe(400);
    expect((await task({ dueAt: 'tomorrow' })).body.error.fields).toHaveProperty('dueAt');
    expect((await tech.post(`/api/incidents/${incident.id}/notes`, { text: '' })).status).toBe(400);
  });

  it('refused status changes say why; resolving releases the site, reopening takes it back', async () => {
    const { incident, site } = await anIncident();
    const status = (s: string) => tech.post(`/api/incidents/${incident.id}/status`, { status: s });
    const same = await status('investigating');
    expect(same.status).toBe(409);
    expect(same.body.error.message).toBe('The incident is already investigating');
    expect((await status('identified')).body).toMatchObject({
      status: 'identified',
      statusBy: { name: expect.any(String) },
    });
    await tech.post(`/api/incidents/${incident.id}/tasks`, { title: 'Look at the UPS' });
    const early = await status('resolved');
    expect(early.body.error.message).toBe('1 task is not finished ("Look at the UPS"): mark it done or blocked first');
    const [task] = (await tech.get(`/api/incidents/${incident.id}`)).body.tasks;
    await tech.patch(`/api/tasks/${task.id}`, { status: 'done', outcome: 'UPS fine' });
    expect((await status('resolved')).body.status).toBe('resolved');
    const after = await db().selectFrom('incident_sites').select('open').where('site_id', '=', site.id).execute();
    expect(after).toEqual([{ open: 0 }]);
    expect((await status('monitoring')).body.error.message).toBe(
      'A resolved incident can only be reopened as investigating',
    );
    const changeTask = await tech.patch(`/api/tasks/${task.id}`, { status: 'doing' });
    expect(changeTask.body.error.message).toBe(
      `Incident #${incident.number} is resolved: reopen it to change its tasks`,
    );
    expect((await status('investigating')).body.status).toBe('investigating');
    expect((await db().selectFrom('incident_sites').select('open').execute())[0]!.open).toBe(1);
  });

  it('promoting an alert: the alert joins, the promoter has both in hand, nobody is paged', async () => {
    const scene = await insertClientWithSystem(db());
    const now = hub.clock.now().toISOString();
    const alert = await db()
      .transaction()
      .execute((trx) =>
        openAlert(
          trx,
          {
            kind: 'check',
            key: `check:${scene.system.id}`,
            title: 'dc01: ping down',
            reason: 'no reply',
            criticality: 'critical',
            clientId: scene.client.id,
            siteId: scene.site.id,
            systemId: scene.system.id,
            subjectState: 'down',
            at: now,
          },
          now,
        ),
      );
    const res = await tech.post('/api/incidents', {
      clientId: scene.client.id,
      summary: 'dc01 down',
      fromAlertId: alert.id,
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      source: 'alert',
      sites: [{ id: scene.site.id }],
      systems: [{ id: scene.system.id }],
      alerts: [{ id: alert.id, state: 'acknowledged' }],
      acknowledgedBy: { name: expect.any(String) },
    });
    const escalations = await db()
      .selectFrom('escalations')
      .select(['subject_type', 'state'])
      .orderBy('subject_type')
      .execute();
    expect(escalations).toEqual([{ subject_type: 'alert', state: 'acknowledged' }]);
    const again = await tech.post('/api/incidents', { clientId: scene.client.id, summary: 'x', fromAlertId: alert.id });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toBe('The alert is already part of incident #1');
  });

  it('an incident page carries a signed link that acknowledges it', async () => {
    const scene = await insertClientWithSystem(db());
    const owner = await insertUser(db(), 'owner');
    const res = await tech.post('/api/incidents', {
      clientId: scene.client.id,
      siteIds: [scene.site.id],
      summary: 'No e-mail',
    });
    expect(res.body.acknowledgedAt).toBeNull();
    const link = ackLink(hub.ctx, { type: 'incident', id: res.body.id }, owner.id);
    const preview = await hub.app.inject({ method: 'GET', url: new URL(link).pathname + new URL(link).search });
    expect(preview.body).toContain('Incident #1: No e-mail');
    const confirm = await hub.app.inject({
      method: 'POST',
      url: '/l/ack',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ t: new URL(link).searchParams.get('t')! }).toString(),
    });
    expect(confirm.body).toContain('Acknowledged');
    const detail = (await tech.get(`/api/incidents/${res.body.id}`)).body;
    expect(detail.acknowledgedBy.id).toBe(owner.id);
    expect(detail.timeline.at(-1)).toMatchObject({ kind: 'acknowledged', text: expect.stringContaining('(link)') });
    expect((await db().selectFrom('escalations').select('state').executeTakeFirstOrThrow()).state).toBe('acknowledged');
  });

  it('a photo is stored on the hub, size-limited, and served only to those who may see the incident', async () => {
    const { incident, client } = await anIncident();
    const upload = (body: Buffer, type = 'image/jpeg') =>
      tech.send('POST', `/api/incidents/${incident.id}/photos?note=Water%20on%20the%20floor&internal=false`, body, {
        'content-type': type,
      });
    const res = await upload(JPEG);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const detail = (await tech.get(`/api/incidents/${incident.id}`)).body;
    expect(detail.timeline.at(-1)).toMatchObject({ kind: 'photo', text: 'Water on the floor', refId: res.body.id });
    const url = `/api/incidents/${incident.id}/photos/${res.body.id}`;
    const mine = await signedInAs(hub, 'client', client.id);
    const served = await hub.app.inject({ method: 'GET', url, headers: { cookie: (mine as any).auth.cookie } });
    expect(served.statusCode).toBe(200);
    expect(served.headers['content-type']).toBe('image/jpeg');
    expect(served.rawPayload.equals(JPEG)).toBe(true);
    const other = await insertClientWithSystem(db());
    const theirs = await signedInAs(hub, 'client', other.client.id);
    expect((await theirs.get(url)).status).toBe(404);
    expect(
      (await mine.send('POST', `/api/incidents/${incident.id}/photos`, JPEG, { 'content-type': 'image/jpeg' })).status,
    ).toBe(403);
    expect((await upload(Buffer.from('<svg onload=alert(1)>'), 'image/png')).status).toBe(415);
    expect((await upload(Buffer.alloc(PHOTO_MAX_BYTES + 1, 1))).status).toBe(413);
  });

  it('notes and photos are the team’s unless marked for the client: never in the client’s view, the report or a link', async () => {
    const { incident, client } = await anIncident();
    const id = incident.id;
    const internal = await tech.post(`/api/incidents/${id}/notes`, { text: 'Their admin unplugged the UPS' });
    expect(internal.body).toMatchObject({ kind: 'note', internal: true });
    const shared = await tech.post(`/api/incidents/${id}/notes`, { text: 'Power is back', internal: false });
    expect(shared.body).toMatchObject({ kind: 'note', internal: false });
    expect((await tech.post(`/api/incidents/${id}/notes`, { text: 'x', internal: 'no' })).body.error.fields).toEqual({
      internal: expect.any(String),
    });
    const photo = (internalFlag: string) =>
      tech.send('POST', `/api/incidents/${id}/photos?note=Rack&internal=${internalFlag}`, JPEG, {
        'content-type': 'image/jpeg',
      });
    const teamPhoto = (await photo('true')).body.id;
    const clientPhoto = (await photo('false')).body.id;

    const team = (await tech.get(`/api/incidents/${id}`)).body;
    expect(team.timeline.slice(-4).map((e: { text: string; internal: boolean }) => [e.text, e.internal])).toEqual([
      ['Their admin unplugged the UPS', true],
      ['Power is back', false],
      ['Rack', true],
      ['Rack', false],
    ]);
    const mine = await signedInAs(hub, 'client', client.id);
    const theirView = (await mine.get(`/api/incidents/${id}`)).body;
    const theirPage = (await mine.get(`/api/incidents/${id}/timeline`)).body;
    for (const lines of [theirView.timeline, theirPage.items]) {
      expect(lines.map((e: { internal: boolean }) => e.internal)).not.toContain(true);
      expect(lines.map((e: { text: string }) => e.text)).toContain('Power is back');
      expect(JSON.stringify(lines)).not.toContain('unplugged');
    }
    expect(theirView.timelineTotal).toBe(team.timelineTotal - 2);
    expect((await mine.get(`/api/incidents/${id}/photos/${teamPhoto}`)).status).toBe(404);
    expect((await mine.get(`/api/incidents/${id}/photos/${clientPhoto}`)).status).toBe(200);
    expect((await tech.get(`/api/incidents/${id}/photos/${teamPhoto}`)).status).toBe(200);

    // The report shows the client's lines only, whoever opens it; the shared link and its JSON too.
    const link = await tech.post(`/api/incidents/${id}/report-links`);
    const token = link.body.url.split('/').pop();
    const reports = [
      (await tech.get(`/api/incidents/${id}/report`)).body,
      (await mine.get(`/api/incidents/${id}/report`)).body,
      (await hub.app.inject({ url: `/api/public/incident-reports/${token}` })).json(),
    ];
    for (const report of reports) {
      expect(JSON.stringify(report)).not.toContain('unplugged');
      expect(report.timeline.map((e: { text: string }) => e.text)).toContain('Power is back');
      expect(report.timeline.filter((e: { text: string }) => e.text === 'Rack')).toHaveLength(1);
    }
  });

  it('reminders follow the task: a new due time or assignee replaces the queued reminder', async () => {
    const { incident } = await anIncident();
    const [ann, ben] = [await insertUser(db(), 'technician'), await insertUser(db(), 'technician')];
    const made = await tech.post(`/api/incidents/${incident.id}/tasks`, {
      title: 'Be on site at opening',
      assigneeUserId: ann.id,
      dueAt: '2026-11-21T09:00:00Z',
    });
    const reminders = () =>
      db()
        .selectFrom('outbox')
        .select(['user_id', 'next_attempt_at', 'status'])
        .where('subject_id', '=', made.body.id)
        .where('round', 'like', 'reminder:%')
        .orderBy('created_at')
        .orderBy('status')
        .execute();
    expect(await reminders()).toEqual([
      { user_id: ann.id, next_attempt_at: '2026-11-21T09:00:00.000Z', status: 'queued' },
    ]);
    await tech.patch(`/api/tasks/${made.body.id}`, { assigneeUserId: ben.id, dueAt: '2026-11-21T10:00:00Z' });
    expect((await reminders()).filter((r) => r.status === 'queued')).toEqual([
      { user_id: ben.id, next_attempt_at: '2026-11-21T10:00:00.000Z', status: 'queued' },
    ]);
    await tech.patch(`/api/tasks/${made.body.id}`, { status: 'done' });
    expect((await reminders()).filter((r) => r.status === 'queued')).toEqual([]);
    const mine = await signIn(hub, ben.email, TEST_PASSWORD);
    expect((await mine.get('/api/tasks/mine?status=all')).body.items.map((t: { id: string }) => t.id)).toEqual([
      made.body.id,
    ]);
  });

  it('owner, severity and affected systems change with a line each; templates are the firm’s', async () => {
    const { incident, system } = await anIncident();
    const colleague = await insertUser(db(), 'technician', null, { name: 'Ann' });
    const changed = await tech.patch(`/api/incidents/${incident.id}`, { ownerUserId: colleague.id, severity: 'minor' });
    expect(changed.body).toMatchObject({ owner: { name: 'Ann' }, severity: 'minor' });
    const affected = await tech.put(`/api/incidents/${incident.id}/affected`, { siteIds: [], systemIds: [system.id] });
    expect(affected.body.systems).toEqual([expect.objectContaining({ id: system.id, state: 'none' })]);
    expect(affected.body.timeline.slice(-3).map((e: { kind: string }) => e.kind)).toEqual([
      'severity',
      'owner',
      'affected',
    ]);
    const note = await tech.post(`/api/incidents/${incident.id}/notes`, { text: 'Fans are loud' });
    expect(note.status).toBe(201);
    expect(note.body).toMatchObject({ kind: 'note', text: 'Fans are loud', actor: { name: expect.any(String) } });
    const contact = await insertContact(
      db(),
      { id: incident.clientId },
      { name: 'Dana Reyes', phone: '+44 20 7946 0000' },
    );
    const call = await tech.post(`/api/incidents/${incident.id}/calls`, { contactId: contact.id, text: 'Power back' });
    expect(call.body).toMatchObject({
      kind: 'call',
      text: 'Call from Dana Reyes (+44 20 7946 0000): Power back',
      refId: contact.id,
    });
    const template = await tech.post('/api/task-templates', { title: 'Remote check of every system' });
    expect(template.status).toBe(201);
    expect((await tech.get('/api/task-templates')).body.items).toEqual([template.body]);
    const client = await signedInAs(hub, 'client', incident.clientId);
    expect((await client.get('/api/task-templates')).status).toBe(403);
    expect((await client.patch(`/api/incidents/${incident.id}`, { severity: 'critical' })).status).toBe(403);
  });

  it('a long timeline opens with its newest 200 lines; older ones page in, oldest first within each page', async () => {
    const { incident, client } = await anIncident();
    const rows = Array.from({ length: 450 }, (_, i) => ({
      id: newId(),
      incident_id: incident.id,
      // Ten lines a second: the seq orders lines of the same time.
      at: new Date(Date.UTC(2026, 11, 5, 10, 0, Math.floor(i / 10))).toISOString(),
      seq: 100 + i,
      kind: i === 449 ? 'paged' : 'note',
      actor_user_id: null,
      text: `Line ${i}`,
      ref_type: null,
      ref_id: null,
      data_json: null,
    }));
    await insertMany(db(), 'incident_timeline', rows);
    const detail = (await tech.get(`/api/incidents/${incident.id}`)).body;
    const before = incident.timeline.length;
    expect(detail.timelineTotal).toBe(before + 450);
    expect(detail.timeline).toHaveLength(200);
    const texts: string[] = [];
    let oldest = detail.timeline[0].id;
    for (;;) {
      const page = (await tech.get(`/api/incidents/${incident.id}/timeline?before=${oldest}`)).body;
      texts.unshift(...page.items.map((e: { text: string }) => e.text));
      if (!page.more) break;
      oldest = page.items[0].id;
    }
    const all = [...texts, ...detail.timeline.map((e: { text: string }) => e.text)];
    expect(new Set(all).size).toBe(before + 450);
    expect(all.slice(-450).sort()).toEqual(rows.map((r) => r.text).sort());
    // The client's own people do not see who was paged, in the page or the count.
    const theirs = await signedInAs(hub, 'client', client.id);
    const seen = (await theirs.get(`/api/incidents/${incident.id}`)).body;
    expect(seen.timelineTotal).toBe(before + 449);
    expect(seen.timeline.map((e: { kind: string }) => e.kind)).not.toContain('paged');
    const other = await insertClientWithSystem(db());
    const stranger = await signedInAs(hub, 'client', other.client.id);
    expect((await stranger.get(`/api/incidents/${incident.id}/timeline`)).status).toBe(404);
  });
});
