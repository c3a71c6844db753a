import { afterEach, beforeEach, expect, it } from 'vitest';
import { signIn } from '../../test/agent.js';
import { insertClient, insertContact, insertUser, TEST_PASSWORD } from '../../test/factories.js';
import { forEachDatabase } from '../../test/harness.js';
import { at, recipient, weekendScene } from '../../test/incidents.js';

/**
 * Updates from an incident and its report: the draft knows the incident, the update reaches the contact over
 * real SMTP and goes on the timeline; the report is read by staff, by the client's own users and by a shared
 * link until it is revoked; nobody of another firm reads it, and client users change nothing.
 */
forEachDatabase('incident updates and reports', (dialect) => {
  let w: Awaited<ReturnType<typeof weekendScene>>;
  beforeEach(async () => {
    w = await weekendScene(dialect);
  });
  afterEach(() => w.close());

  async function openIncident() {
    w.hub.clock.set(at('fri', '18:31'));
    const opened = await w.as.tom.post('/api/incidents', {
      clientId: w.client.id,
      siteIds: [w.site.id],
      systemIds: [w.systems.dc01.id],
      title: 'Power cuts at the office',
      summary: 'Power going on and off all afternoon',
      acknowledge: true,
    });
    expect(opened.status).toBe(201);
    return opened.body.id as string;
  }

  it('sends an update from the incident to the client over SMTP and puts it on the timeline with its delivery', async () => {
    const id = await openIncident();
    await insertContact(w.db, w.client, {
      name: 'Quiet Quentin',
      email: 'q@harbour.example',
      receives_incident_updates: 0,
    });
    const paula = await insertContact(w.db, w.client, { name: 'Paula Practice', email: 'paula@harbour.example' });
    const templates = (await w.as.tom.get('/api/message-templates?kind=incident_update')).body.items;
    const draft = await w.as.tom.post('/api/client-updates/draft', { templateId: templates[0].id, incidentId: id });
    expect(draft.body.body).toContain('We are aware of a problem at Main office: Power cuts at the office.');
    expect(draft.body.body).toContain('Tom, Friday 4 December at 18:31');
    expect(draft.body.recipients.map((r: { name: string }) => r.name)).toEqual(['Dana Reyes', 'Paula Practice']);

    const sent = await w.as.tom.post(`/api/incidents/${id}/updates`, {
      subject: draft.body.subject,
      body: draft.body.body,
      contactIds: [paula.id],
    });
    expect(sent.status).toBe(201);
    expect(sent.body).toMatchObject({ incidentId: id, recipients: [{ name: 'Paula Practice', status: 'queued' }] });
    await w.runUntil(at('fri', '18:32'));
    const mails = w.smtp.mails.filter((m) => recipient(m) === 'paula@harbour.example');
    expect(mails.map((m) => m.subject)).toEqual(['Harbour Dental: we are working on it']);

    const detail = await w.as.tom.get(`/api/incidents/${id}`);
    const line = detail.body.timeline.find((e: { kind: string }) => e.kind === 'update');
    expect(line).toMatchObject({
      text: 'Update to the client: “Harbour Dental: we are working on it” — to Paula Practice (e-mail)',
      refType: 'client_update',
      refId: sent.body.id,
      actor: { name: 'Tom' },
    });
    const updates = await w.as.tom.get(`/api/client-updates?incidentId=${id}`);
    expect(updates.body.items[0].recipients).toMatchObject([{ name: 'Paula Practice', status: 'sent' }]);
  });

  it('shows the report to staff, the client’s users and a shared link until revoked; never to another firm', async () => {
    const id = await openIncident();
    w.hub.clock.set(at('sat', '09:00'));
    await w.as.tom.post(`/api/incidents/${id}/notes`, {
      text: 'Servers shut down cleanly before the next cut',
      internal: false,
    });
    await w.as.tom.post(`/api/incidents/${id}/updates`, { subject: 'Servers safe', body: 'We shut them down.' });

    const report = await w.as.ann.get(`/api/incidents/${id}/report`);
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({
      number: 1,
      title: 'Power cuts at the office',
      clientName: 'Harbour Dental',
      timeZone: 'Europe/London',
      systems: [{ name: 'dc01', site: 'Main office', state: 'up' }],
    });
    const kinds = report.body.timeline.map((e: { kind: string }) => e.kind);
    expect(kinds).not.toContain('paged');
    expect(report.body.timeline.slice(-2).map((e: { text: string }) => e.text)).toEqual([
      'Servers shut down cleanly before the next cut',
      expect.stringContaining('Update to the client: “Servers safe”'),
    ]);
    const times = report.body.timeline.map((e: { at: string }) => e.at);
    expect(times).toEqual([...times].sort());

    const harbourUser = await insertUser(w.db, 'client', w.client.id);
    const asHarbour = await signIn(w.hub, harbourUser.email, TEST_PASSWORD);
    expect((await asHarbour.get(`/api/incidents/${id}/report`)).body.title).toBe('Power cuts at the office');
    expect((await asHarbour.get(`/api/client-updates?incidentId=${id}`)).body.items).toHaveLength(1);
    expect((await asHarbour.post(`/api/incidents/${id}/updates`, { subject: 'x', body: 'y' })).status).toBe(403);
    expect((await asHarbour.post(`/api/incidents/${id}/report-links`)).status).toBe(403);
    expect((await asHarbour.get(`/api/incidents/${id}/report-links`)).status).toBe(403);

    const other = await insertClient(w.db, { name: 'Other Firm' });
    const otherUser = await insertUser(w.db, 'client', other.id);
    const asOther = await signIn(w.hub, otherUser.email, TEST_PASSWORD);
    expect((await asOther.get(`/api/incidents/${id}/report`)).status).toBe(404);
    expect((await asOther.get(`/api/client-updates?incidentId=${id}`)).body.items).toEqual([]);
    expect((await asOther.post(`/api/incidents/${id}/updates`, { subject: 'x', body: 'y' })).status).toBe(404);

    const link = await w.as.tom.post(`/api/incidents/${id}/report-links`);
    expect(link.status).toBe(201);
    expect(link.body.url).toMatch(/^https:\/\/desk\.example\/shared\/incident-report\/[A-Za-z0-9_-]{43}$/);
    const token = link.body.url.split('/').pop();
    const shared = await w.hub.app.inject({ url: `/api/public/incident-reports/${token}` });
    expect(shared.statusCode).toBe(200);
    expect(shared.headers['cache-control']).toBe('no-store');
    expect(shared.json().timeline).toEqual(report.body.timeline);
    const listed = await w.as.tom.get(`/api/incidents/${id}/report-links`);
    expect(listed.body.items).toMatchObject([{ id: link.body.id, revokedAt: null, lastOpenedAt: at('sat', '09:00') }]);
    expect(JSON.stringify(listed.body)).not.toContain(token);

    expect((await w.as.tom.delete(`/api/share-links/${link.body.id}`)).status).toBe(200);
    const revoked = await w.hub.app.inject({ url: `/api/public/incident-reports/${token}` });
    expect(revoked.statusCode).toBe(404);
    expect((await w.hub.app.inject({ url: '/api/public/incident-reports/not-a-token' })).statusCode).toBe(400);
  });
});
