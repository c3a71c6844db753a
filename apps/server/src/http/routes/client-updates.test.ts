import { afterEach, beforeEach, expect, it } from 'vitest';
import { saveHubChannel } from '../../domain/notify/hub-channels.js';
import { setupOwner, type TestAgent } from '../../test/agent.js';
import { insertClient, insertContact, insertSite, signedInAs } from '../../test/factories.js';
import { createTestHub, forEachDatabase, type TestHub } from '../../test/harness.js';
import { startHttpSink, startSmtpSink, useSmtpSink } from '../../test/notify.js';
import { OutboxWorker } from '../../worker/outbox.js';

forEachDatabase('client updates API', (dialect) => {
  let hub: TestHub;
  let owner: TestAgent;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  let sms: Awaited<ReturnType<typeof startHttpSink>>;
  beforeEach(async () => {
    hub = await createTestHub(dialect, {
      notify: {
        workerEnabled: false,
        maxAttempts: 3,
        retryBaseMs: 20_000,
        retryCapMs: 600_000,
        sendTimeoutMs: 2000,
        concurrency: 8,
      },
    });
    hub.clock.set(new Date('2026-12-05T13:05:00.000Z'));
    owner = await setupOwner(hub);
    smtp = await startSmtpSink();
    await useSmtpSink(hub.ctx, smtp.port);
    sms = await startHttpSink(() => ({ status: 201, body: JSON.stringify({ sid: 'SM1' }) }));
    await saveHubChannel(
      hub.ctx.db.kysely,
      hub.ctx.secrets,
      'twilio',
      { baseUrl: sms.url, accountSid: 'AC1', authToken: 'token', from: '+441632960000' },
      null,
      '2026-11-20T17:00:00.000Z',
    );
  });
  afterEach(async () => {
    await sms.close();
    await smtp.close();
    await hub.close();
  });

  async function harbour() {
    const db = hub.ctx.db.kysely;
    const client = await insertClient(db, { name: 'Harbour Dental' });
    await insertSite(db, client, { name: 'Main office', time_zone: 'Europe/London' });
    const anna = await insertContact(db, client, { name: 'Anna Owner', email: 'anna@harbour.example' });
    const bob = await insertContact(db, client, {
      name: 'Bob Manager',
      email: null,
      phone: '+44 7700 900123',
      preferred_channel: 'sms',
    });
    await insertContact(db, client, {
      name: 'Carl Quiet',
      email: 'carl@harbour.example',
      receives_incident_updates: 0,
    });
    return { client, anna, bob };
  }

  it('seeds the firm’s templates; owners change them; unknown placeholders are refused by field', async () => {
    const list = await owner.get('/api/message-templates?kind=incident_update');
    expect(list.body.items.map((t: { name: string }) => t.name)).toEqual([
      'We are aware',
      'Servers shut down safely',
      'Everything is ready for Monday',
    ]);
    const created = await owner.post('/api/message-templates', {
      kind: 'incident_update',
      name: 'Internet down',
      subject: '{client}: internet line down',
      body: 'The internet line at {site} is down since {time}.',
    });
    expect(created.status).toBe(201);
    const bad = await owner.patch(`/api/message-templates/${created.body.id}`, { body: 'At {sight}' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields.body).toMatch(/unknown placeholder \{sight\}; use \{client\}/);
    const changed = await owner.patch(`/api/message-templates/${created.body.id}`, { name: 'Line down' });
    expect(changed.body).toMatchObject({ name: 'Line down', subject: '{client}: internet line down' });
    expect((await owner.delete(`/api/message-templates/${created.body.id}`)).status).toBe(200);
    expect((await owner.get('/api/message-templates')).body.items).toHaveLength(4);

    const technician = await signedInAs(hub, 'technician');
    expect((await technician.get('/api/message-templates')).status).toBe(200);
    expect((await technician.post('/api/message-templates', { ...created.body, id: undefined })).status).toBe(400);
    const refused = await technician.post('/api/message-templates', {
      kind: 'incident_update',
      name: 'x',
      subject: 'x',
      body: 'x',
    });
    expect(refused.status).toBe(403);
    const { client } = await harbour();
    const clientUser = await signedInAs(hub, 'client', client.id);
    expect((await clientUser.get('/api/message-templates')).status).toBe(403);
  });

  it('drafts from a template, sends by e-mail and SMS over real peers, and shows each recipient’s delivery', async () => {
    const { client, anna, bob } = await harbour();
    const [template] = (await owner.get('/api/message-templates?kind=incident_update')).body.items;
    const draft = await owner.post('/api/client-updates/draft', { templateId: template.id, clientId: client.id });
    expect(draft.status).toBe(200);
    expect(draft.body.subject).toBe('Harbour Dental: we are working on it');
    expect(draft.body.body).toContain('We are aware of a problem at Main office: {incident}.');
    expect(draft.body.body).toContain('Saturday 5 December at 13:05');
    expect(draft.body.recipients).toEqual([
      { contactId: anna.id, name: 'Anna Owner', channel: 'email', to: 'anna@harbour.example', skipped: null },
      { contactId: bob.id, name: 'Bob Manager', channel: 'sms', to: '+447700900123', skipped: null },
    ]);

    const body = draft.body.body.replace(': {incident}', ': the power keeps going off');
    const sent = await owner.post(`/api/clients/${client.id}/updates`, { subject: draft.body.subject, body });
    expect(sent.status).toBe(201);
    expect(sent.body.recipients.map((r: { name: string; status: string }) => [r.name, r.status])).toEqual([
      ['Anna Owner', 'queued'],
      ['Bob Manager', 'queued'],
    ]);

    expect(await new OutboxWorker(hub.ctx).runOnce()).toBe(2);
    expect(smtp.mails).toHaveLength(1);
    expect(smtp.mails[0]?.subject).toBe('Harbour Dental: we are working on it');
    expect(smtp.mails[0]?.text).toContain('the power keeps going off');
    expect(sms.requests).toHaveLength(1);
    const form = new URLSearchParams(sms.requests[0]!.text);
    expect(form.get('To')).toBe('+447700900123');
    expect(form.get('Body')).toMatch(/^Hello, We are aware of a problem at Main office: the power keeps going off/);

    const listed = await owner.get(`/api/client-updates?clientId=${client.id}`);
    expect(listed.body.items).toHaveLength(1);
    expect(listed.body.items[0].sentBy.name).toMatch(/./);
    expect(listed.body.items[0].recipients.map((r: { status: string }) => r.status)).toEqual(['sent', 'sent']);
  });

  it('names the contacts chosen; refuses contacts of another firm and a client with nobody to tell', async () => {
    const { client, bob } = await harbour();
    const other = await insertClient(hub.ctx.db.kysely, { name: 'Other Firm' });
    const stranger = await insertContact(hub.ctx.db.kysely, other, { name: 'Stranger' });
    const only = await owner.post(`/api/clients/${client.id}/updates`, {
      subject: 'Hi',
      body: 'Text',
      contactIds: [bob.id],
    });
    expect(only.body.recipients.map((r: { name: string }) => r.name)).toEqual(['Bob Manager']);
    const foreign = await owner.post(`/api/clients/${client.id}/updates`, {
      subject: 'Hi',
      body: 'Text',
      contactIds: [stranger.id],
    });
    expect(foreign.status).toBe(400);
    expect(foreign.body.error.fields.contactIds).toMatch(/is not a contact of this client/);
    const empty = await insertClient(hub.ctx.db.kysely, { name: 'Empty Firm' });
    const nobody = await owner.post(`/api/clients/${empty.id}/updates`, { subject: 'Hi', body: 'Text' });
    expect(nobody.status).toBe(400);
    expect(nobody.body.error.fields.contactIds).toMatch(/has no contact who receives incident updates/);
  });

  it('client users read their own firm’s updates only and cannot send', async () => {
    const { client } = await harbour();
    const other = await insertClient(hub.ctx.db.kysely, { name: 'Other Firm' });
    await insertContact(hub.ctx.db.kysely, other, { name: 'Olga', email: 'olga@other.example' });
    await owner.post(`/api/clients/${client.id}/updates`, { subject: 'Harbour news', body: 'Text' });
    await owner.post(`/api/clients/${other.id}/updates`, { subject: 'Other news', body: 'Text' });

    const harbourUser = await signedInAs(hub, 'client', client.id);
    const own = await harbourUser.get(`/api/client-updates?clientId=${client.id}`);
    expect(own.body.items.map((u: { subject: string }) => u.subject)).toEqual(['Harbour news']);
    // Asking for the other firm's updates answers its own firm's, never the other's.
    const asked = await harbourUser.get(`/api/client-updates?clientId=${other.id}`);
    expect(asked.body.items.map((u: { subject: string }) => u.subject)).toEqual(['Harbour news']);
    const send = await harbourUser.post(`/api/clients/${client.id}/updates`, { subject: 'x', body: 'y' });
    expect(send.status).toBe(403);
    const [template] = (await owner.get('/api/message-templates')).body.items;
    expect(
      (await harbourUser.post('/api/client-updates/draft', { templateId: template.id, clientId: client.id })).status,
    ).toBe(403);
    expect((await owner.get('/api/client-updates')).status).toBe(400);
  });
});
