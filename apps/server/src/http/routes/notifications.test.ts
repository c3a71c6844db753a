import nodemailer from 'nodemailer';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { DEFAULT_HEARTBEAT_SETTINGS } from '../../domain/heartbeats/settings.js';
import { raiseSystemAlert } from '../../domain/alerts/raise.js';
import { pageUser } from '../../domain/notify/page.js';
import { startEmailReports, type EmailReportListener } from '../../integrations/email-reports/listener.js';
import { twilioSignature } from '../../integrations/twilio/api.js';
import { signedInAs } from '../../test/factories.js';
import { createTestHub, forEachDatabase, type TestHub } from '../../test/harness.js';
import { startHttpSink, startSmtpSink, useSmtpSink } from '../../test/notify.js';
import { OutboxWorker } from '../../worker/outbox.js';

const PUBLIC = 'https://desk.example';
const reports = { port: 0, host: '127.0.0.1', domains: ['desk.example'], maxBytes: 64 * 1024 };
const message = {
  title: 'Server down',
  body: 'dc01 is down',
  links: { ack: `${PUBLIC}/l/ack?t=x` },
  client: 'Harbour Dental',
};

forEachDatabase('notification settings and replies', (dialect) => {
  let hub: TestHub;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  let sink: Awaited<ReturnType<typeof startHttpSink>>;
  let listener: EmailReportListener;
  let worker: OutboxWorker;
  beforeEach(async () => {
    hub = await createTestHub(dialect, {
      publicUrl: PUBLIC,
      heartbeats: { ...DEFAULT_HEARTBEAT_SETTINGS, smtp: reports },
    });
    smtp = await startSmtpSink();
    sink = await startHttpSink((req) =>
      req.url.endsWith('.json') ? { status: 201, body: JSON.stringify({ sid: 'SM1' }) } : { status: 200, body: 'ok' },
    );
    listener = await startEmailReports(hub.ctx, reports);
    await useSmtpSink(hub.ctx, smtp.port);
    worker = new OutboxWorker(hub.ctx);
  });
  afterEach(async () => {
    await listener.close();
    await sink.close();
    await smtp.close();
    await hub.close();
  });

  const raisedAlert = async () =>
    (
      await hub.ctx.db.kysely.transaction().execute((trx) =>
        raiseSystemAlert(trx, {
          kind: 'test',
          title: 'Server down',
          dedupeKey: 'dc01',
          now: hub.clock.now().toISOString(),
        }),
      )
    ).alert;
  const alertState = async () =>
    hub.ctx.db.kysely.selectFrom('alerts').select(['state', 'acknowledged_by']).executeTakeFirstOrThrow();

  const codeIn = (text: string) => /code is (\d{6})/.exec(text)?.[1] ?? '';

  it('adds a method, verifies it with the code its message carried, sends a test, keeps a delivery log', async () => {
    const tech = await signedInAs(hub, 'technician');
    const bad = await tech.post('/api/me/contact-methods', {
      kind: 'email',
      label: 'Work',
      settings: { address: 'nope' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields).toEqual({ 'settings.address': 'must be an e-mail address' });

    const added = await tech.post('/api/me/contact-methods', {
      kind: 'email',
      label: 'Work',
      settings: { address: 'me@desk.example' },
    });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ kind: 'email', label: 'Work', summary: 'me@desk.example', verified: false });
    await worker.runOnce();
    const code = codeIn(smtp.mails[0]?.subject ?? '');
    expect(code).toMatch(/^\d{6}$/);

    const wrong = await tech.post(`/api/me/contact-methods/${added.body.id}/verify`, {
      code: code === '000000' ? '000001' : '000000',
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.fields.code).toBe('is not the code that was sent');
    const verified = await tech.post(`/api/me/contact-methods/${added.body.id}/verify`, { code });
    expect(verified.body.verified).toBe(true);

    hub.clock.advance(60_000);
    const test = await tech.post(`/api/me/contact-methods/${added.body.id}/test`, {});
    expect(test.status).toBe(202);
    await worker.runOnce();
    expect(smtp.mails[1]?.subject).toBe('Test message');

    const log = await tech.get('/api/me/deliveries');
    expect(log.body.items.map((i: { title: string; status: string }) => [i.title, i.status])).toEqual([
      ['Test message', 'sent'],
      [`Your Afterhours code is ${code}`, 'sent'],
    ]);
    expect(log.body.items[0].events.map((e: { event: string }) => e.event)).toEqual(['queued', 'sent']);
    // The settings never come back, and the audit log names no address secret.
    const settings = await tech.get('/api/me/notifications');
    expect(JSON.stringify(settings.body)).not.toContain('settings_enc');
    expect(settings.body.channels.find((c: { kind: string }) => c.kind === 'sms').available).toBe(false);
  });

  it('a code stops working after five wrong guesses or 30 minutes; a test to an unverified method sends a new one', async () => {
    const tech = await signedInAs(hub, 'technician');
    const added = await tech.post('/api/me/contact-methods', {
      kind: 'email',
      label: 'Work',
      settings: { address: 'me@desk.example' },
    });
    const verify = (code: string) => tech.post(`/api/me/contact-methods/${added.body.id}/verify`, { code });
    const newCode = async () => {
      hub.clock.advance(1000);
      expect((await tech.post(`/api/me/contact-methods/${added.body.id}/test`, {})).status).toBe(202);
      await worker.runOnce();
      return codeIn(smtp.mails.at(-1)?.subject ?? '');
    };
    await worker.runOnce();
    const first = codeIn(smtp.mails[0]?.subject ?? '');
    const wrong = first === '000000' ? '000001' : '000000';
    for (let i = 0; i < 4; i++)
      expect((await verify(wrong)).body.error.fields.code).toBe('is not the code that was sent');
    expect((await verify(wrong)).body.error.fields.code).toBe(
      'was wrong too many times: send a new test to get another code',
    );
    expect((await verify(first)).body.error.fields.code).toBe('has expired: send a new test to get another code');

    const second = await newCode();
    expect(second).toMatch(/^\d{6}$/);
    hub.clock.advance(31 * 60_000);
    expect((await verify(second)).body.error.fields.code).toBe('has expired: send a new test to get another code');

    const third = await newCode();
    const verified = await verify(third);
    expect(verified.status).toBe(200);
    expect(verified.body.verified).toBe(true);
  });

  it('rules and quiet hours validate their input', async () => {
    const tech = await signedInAs(hub, 'technician');
    const method = await tech.post('/api/me/contact-methods', {
      kind: 'ntfy',
      label: 'ntfy',
      settings: { server: sink.url, topic: 'me' },
    });
    const rule = await tech.post('/api/me/notification-rules', {
      methodId: method.body.id,
      delayMinutes: 2,
      urgency: 'high',
    });
    expect(rule.status).toBe(201);
    const again = await tech.post('/api/me/notification-rules', {
      methodId: method.body.id,
      delayMinutes: 2,
      urgency: 'high',
    });
    expect(again.status).toBe(409);
    const late = await tech.post('/api/me/notification-rules', {
      methodId: method.body.id,
      delayMinutes: 9999,
      urgency: 'high',
    });
    expect(late.status).toBe(400);
    expect(Object.keys(late.body.error.fields)).toEqual(['delayMinutes']);
    const quiet = await tech.put('/api/me/quiet-hours', { start: '22:00', end: null, timeZone: 'Europe/London' });
    expect(quiet.body.error.fields).toEqual({ end: 'is required when the other end is set' });
    const ok = await tech.put('/api/me/quiet-hours', { start: '22:00', end: '07:00', timeZone: 'Europe/London' });
    expect(ok.status).toBe(200);
    const other = await signedInAs(hub, 'technician');
    expect((await other.delete(`/api/me/contact-methods/${method.body.id}`)).status).toBe(404);
  });

  it('hub channel settings: owners and admins only, secrets write-only', async () => {
    const tech = await signedInAs(hub, 'technician');
    const admin = await signedInAs(hub, 'admin');
    const smtpBody = {
      host: 'mail.example',
      port: 587,
      security: 'starttls',
      username: 'hub',
      password: 's3cret-pass',
      from: 'Desk <desk@example.com>',
    };
    expect((await tech.put('/api/settings/channels/smtp', smtpBody)).status).toBe(403);
    const set = await admin.put('/api/settings/channels/smtp', smtpBody);
    expect(set.status).toBe(200);
    expect(set.body.smtp).toEqual({
      host: 'mail.example',
      port: 587,
      security: 'starttls',
      username: 'hub',
      from: 'Desk <desk@example.com>',
      hasPassword: true,
    });
    const { password: _, ...withoutPassword } = smtpBody;
    await admin.put('/api/settings/channels/smtp', withoutPassword);
    const stored = await hub.ctx.db.kysely
      .selectFrom('hub_channel_settings')
      .selectAll()
      .where('key', '=', 'smtp')
      .executeTakeFirstOrThrow();
    expect(stored.value_enc).not.toContain('s3cret');
    expect(JSON.parse(hub.ctx.secrets.decrypt(stored.value_enc)).password).toBe('s3cret-pass');
    const noToken = await admin.put('/api/settings/channels/sms-voice', { accountSid: 'AC1', from: '+441632960000' });
    expect(noToken.body.error.fields).toEqual({ authToken: 'is required the first time' });
    const badFrom = await admin.put('/api/settings/channels/sms-voice', {
      accountSid: 'AC1',
      authToken: 't',
      from: '07700',
    });
    expect(Object.keys(badFrom.body.error.fields)).toEqual(['from']);
    const audit = await hub.ctx.db.kysely
      .selectFrom('audit_events')
      .select('after_json')
      .where('action', '=', 'settings.smtp')
      .execute();
    expect(JSON.stringify(audit)).not.toContain('s3cret');
  });

  it('hub channel settings are removed by owners and admins only; the stored secrets go with them', async () => {
    const tech = await signedInAs(hub, 'technician');
    const admin = await signedInAs(hub, 'admin');
    await admin.put('/api/settings/channels/sms-voice', {
      baseUrl: sink.url,
      accountSid: 'AC1',
      authToken: 'tw-secret-token',
      from: '+441632960000',
    });
    expect((await tech.delete('/api/settings/channels/smtp')).status).toBe(403);
    expect((await tech.delete('/api/settings/channels/sms-voice')).status).toBe(403);
    const smtpGone = await admin.delete('/api/settings/channels/smtp');
    expect(smtpGone.status).toBe(200);
    expect(smtpGone.body.smtp).toBeNull();
    const smsGone = await admin.delete('/api/settings/channels/sms-voice');
    expect(smsGone.body).toMatchObject({ smtp: null, twilio: null });
    const keys = (await hub.ctx.db.kysely.selectFrom('hub_channel_settings').select('key').execute()).map((r) => r.key);
    expect(keys).not.toContain('smtp');
    expect(keys).not.toContain('twilio');
    const audit = await hub.ctx.db.kysely
      .selectFrom('audit_events')
      .select(['summary', 'after_json', 'before_json'])
      .where('action', 'in', ['settings.smtp', 'settings.sms_voice'])
      .execute();
    expect(audit.map((a) => a.summary)).toEqual(
      expect.arrayContaining(['Outgoing mail server removed', 'SMS and voice provider removed']),
    );
    expect(JSON.stringify(audit)).not.toContain('tw-secret-token');
    const me = await signedInAs(hub, 'technician');
    const settings = await me.get('/api/me/notifications');
    for (const kind of ['email', 'sms', 'voice'])
      expect(settings.body.channels.find((c: { kind: string }) => c.kind === kind).available).toBe(false);
    // Removing what is not set changes nothing and is not an error.
    expect((await admin.delete('/api/settings/channels/smtp')).status).toBe(200);
  });

  async function pagedBySmsAndCall() {
    const admin = await signedInAs(hub, 'admin');
    await admin.put('/api/settings/channels/sms-voice', {
      baseUrl: sink.url,
      accountSid: 'AC1',
      authToken: 'tw-token',
      from: '+441632960000',
    });
    const tech = await signedInAs(hub, 'technician');
    const me = await tech.get('/api/me');
    for (const kind of ['sms', 'voice']) {
      const m = await tech.post('/api/me/contact-methods', {
        kind,
        label: kind,
        settings: { number: '+447700900123' },
      });
      await hub.ctx.db.kysely
        .updateTable('contact_methods')
        .set({ verified_at: '2026-11-20T17:00:00.000Z' })
        .where('id', '=', m.body.id)
        .execute();
    }
    const alert = await raisedAlert();
    await hub.ctx.db.kysely.transaction().execute((trx) =>
      pageUser(trx, {
        userId: me.body.id,
        subject: { type: 'alert', id: alert.id },
        round: 's0',
        message,
        urgency: 'high',
        now: hub.clock.now(),
      }),
    );
    await worker.runOnce();
    const rows = await hub.ctx.db.kysely.selectFrom('outbox').selectAll().where('purpose', '=', 'page').execute();
    return {
      sms: rows.find((r) => r.kind === 'sms')!,
      call: rows.find((r) => r.kind === 'voice')!,
      userId: me.body.id as string,
    };
  }

  const twilioPost = (path: string, form: Record<string, string>, token = 'tw-token') =>
    hub.app.inject({
      method: 'POST',
      url: path,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': twilioSignature(token, PUBLIC + path, form),
      },
      payload: new URLSearchParams(form).toString(),
    });
  const acks = () =>
    hub.ctx.db.kysely
      .selectFrom('deliveries')
      .select(['outbox_id', 'detail'])
      .where('event', '=', 'acknowledged')
      .execute();

  it('an SMS reply "ack" acknowledges (signed by the provider); unsigned requests are refused', async () => {
    const { sms, userId } = await pagedBySmsAndCall();
    const forged = await twilioPost('/api/notify/twilio/sms', { From: '+447700900123', Body: 'ack' }, 'wrong-token');
    expect(forged.statusCode).toBe(403);
    expect(await acks()).toEqual([]);
    const reply = await twilioPost('/api/notify/twilio/sms', { From: '+447700900123', Body: 'Ack, on it' });
    expect(reply.statusCode).toBe(200);
    expect(reply.headers['content-type']).toContain('text/xml');
    expect(reply.body).toContain('<Message>Acknowledged. Thank you.</Message>');
    expect(await acks()).toEqual([{ outbox_id: sms.id, detail: 'acknowledged by sms reply' }]);
    expect(await alertState()).toEqual({ state: 'acknowledged', acknowledged_by: userId });
  });

  it('pressing 1 on the call acknowledges; the status callback marks a message delivered', async () => {
    const { sms, call, userId } = await pagedBySmsAndCall();
    const pressed = await twilioPost(`/api/notify/twilio/voice/${call.id}`, { Digits: '1', CallSid: 'CA1' });
    expect(pressed.body).toContain('<Say>Acknowledged. Thank you. Goodbye.</Say>');
    expect(await acks()).toEqual([{ outbox_id: call.id, detail: 'acknowledged by voice reply' }]);
    expect(await alertState()).toEqual({ state: 'acknowledged', acknowledged_by: userId });
    const status = await twilioPost(`/api/notify/twilio/status/${sms.id}`, {
      MessageSid: 'SM1',
      MessageStatus: 'delivered',
    });
    expect(status.statusCode).toBe(204);
    const row = await hub.ctx.db.kysely
      .selectFrom('outbox')
      .selectAll()
      .where('id', '=', sms.id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('delivered');
    expect(row.delivered_at).toBe(hub.clock.now().toISOString());
  });

  it('an e-mail reply "ack" to reply+<message id>@ acknowledges, from the address it was sent to only', async () => {
    const tech = await signedInAs(hub, 'technician');
    const me = await tech.get('/api/me');
    const alert = await raisedAlert();
    await hub.ctx.db.kysely.transaction().execute((trx) =>
      pageUser(trx, {
        userId: me.body.id,
        subject: { type: 'alert', id: alert.id },
        round: 's0',
        message,
        urgency: 'high',
        now: hub.clock.now(),
      }),
    );
    await worker.runOnce();
    const mail = smtp.mails[0];
    const replyTo = mail?.replyTo && 'text' in mail.replyTo ? mail.replyTo.text : '';
    const [row] = await hub.ctx.db.kysely.selectFrom('outbox').selectAll().execute();
    expect(replyTo).toBe(`reply+${row?.id}@desk.example`);
    const send = (from: string, text: string) =>
      nodemailer
        .createTransport({
          host: '127.0.0.1',
          port: listener.port,
          secure: false,
          ignoreTLS: true,
          connectionTimeout: 5000,
        })
        .sendMail({ from, to: replyTo, subject: `Re: ${mail?.subject}`, text, inReplyTo: mail?.messageId });
    await send('stranger@evil.example', 'ack');
    expect(await acks()).toEqual([]);
    await send(me.body.email, 'ack\n\n> Harbour Dental: Server down');
    expect(await acks()).toEqual([{ outbox_id: row?.id, detail: 'acknowledged by email reply' }]);
    expect(await alertState()).toEqual({ state: 'acknowledged', acknowledged_by: me.body.id });
  });
});
