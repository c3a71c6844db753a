import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Message } from '@afterhours/shared';
import { cancelPending, notifyUser, pageUser, sendToAddress } from '../domain/notify/page.js';
import { createTestHub, forEachDatabase, type TestHub } from '../test/harness.js';
import { insertUser } from '../test/factories.js';
import { insertContactMethod, startHttpSink, startSmtpSink, useSmtpSink } from '../test/notify.js';
import { OutboxWorker } from './outbox.js';

const message: Message = {
  title: 'Server down',
  body: 'dc01 has not answered ping for 3 minutes.',
  lines: ['ping: timeout', 'smb: refused'],
  links: { ack: 'https://desk.example/l/ack?t=abc', open: 'https://desk.example/l/open?t=def' },
  client: 'Harbour Dental',
  site: 'Main office',
  since: '2026-11-20T16:55:00.000Z',
};

forEachDatabase('outbox', (dialect) => {
  let hub: TestHub;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
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
    smtp = await startSmtpSink();
    await useSmtpSink(hub.ctx, smtp.port, true);
  });
  afterEach(async () => {
    await smtp.close();
    await hub.close();
  });

  const statuses = async () =>
    await hub.ctx.db.kysely.selectFrom('outbox').select(['kind', 'status', 'attempts']).orderBy('created_at').execute();
  const events = async (outboxId: string) =>
    (
      await hub.ctx.db.kysely
        .selectFrom('deliveries')
        .select('event')
        .where('outbox_id', '=', outboxId)
        .orderBy('at')
        .execute()
    ).map((r) => r.event);

  it('pages by e-mail through the SMTP server: lock-screen subject, text, links, headers; once per round', async () => {
    const user = await insertUser(hub.ctx.db.kysely, 'technician');
    await insertContactMethod(hub.ctx, user.id, 'email', { address: 'tech@desk.example' });
    const input = {
      userId: user.id,
      subject: { type: 'alert' as const, id: 'a1' },
      round: 'step-0',
      message,
      urgency: 'high' as const,
      now: hub.clock.now(),
    };
    const first = await hub.ctx.db.kysely.transaction().execute((trx) => pageUser(trx, input));
    const again = await hub.ctx.db.kysely.transaction().execute((trx) => pageUser(trx, input));
    expect(first.queued).toBe(1);
    expect(again.queued).toBe(0);
    const worker = new OutboxWorker(hub.ctx);
    expect(await worker.runOnce()).toBe(1);
    expect(await worker.runOnce()).toBe(0);
    expect(smtp.mails).toHaveLength(1);
    const mail = smtp.mails[0]!;
    expect(mail.subject).toBe('Harbour Dental · Main office: Server down');
    expect(mail.to && 'text' in mail.to ? mail.to.text : '').toBe('tech@desk.example');
    expect(mail.from?.value[0]?.address).toBe('alerts@desk.example');
    expect(mail.text).toContain('since 20 Nov 16:55 UTC');
    expect(mail.text).toContain('Acknowledge: https://desk.example/l/ack?t=abc');
    expect(mail.text).toContain('Open: https://desk.example/l/open?t=def');
    expect(mail.text).toContain('- smb: refused');
    const [row] = await hub.ctx.db.kysely.selectFrom('outbox').selectAll().execute();
    expect(mail.headers.get('x-afterhours-message')).toBe(row!.id);
    expect(mail.messageId).toBe(`<${row!.id}@desk.example>`);
    expect(row!.status).toBe('sent');
    expect(await events(row!.id)).toEqual(['queued', 'sent']);
  });

  it('follows the rules: e-mail at once, SMS after 2 minutes; an acknowledgement cancels what is not handed over', async () => {
    const user = await insertUser(hub.ctx.db.kysely, 'technician');
    const mailId = await insertContactMethod(hub.ctx, user.id, 'email', { address: 'tech@desk.example' });
    const smsId = await insertContactMethod(hub.ctx, user.id, 'sms', { number: '+447700900123' });
    await hub.ctx.db.kysely
      .insertInto('notification_rules')
      .values([
        {
          id: crypto.randomUUID(),
          user_id: user.id,
          method_id: mailId,
          delay_minutes: 0,
          urgency: 'high',
          created_at: '2026-11-20T17:00:00.000Z',
        },
        {
          id: crypto.randomUUID(),
          user_id: user.id,
          method_id: smsId,
          delay_minutes: 2,
          urgency: 'high',
          created_at: '2026-11-20T17:00:00.000Z',
        },
      ])
      .execute();
    const subject = { type: 'alert' as const, id: 'a2' };
    await hub.ctx.db.kysely
      .transaction()
      .execute((trx) =>
        pageUser(trx, { userId: user.id, subject, round: 'step-0', message, urgency: 'high', now: hub.clock.now() }),
      );
    const worker = new OutboxWorker(hub.ctx);
    expect(await worker.runOnce()).toBe(1);
    hub.clock.advance(60_000);
    expect(await worker.runOnce()).toBe(0);
    const cancelled = await hub.ctx.db.kysely
      .transaction()
      .execute((trx) => cancelPending(trx, subject, hub.clock.now()));
    expect(cancelled).toBe(1);
    hub.clock.advance(120_000);
    expect(await worker.runOnce()).toBe(0);
    expect(await statuses()).toEqual([
      { kind: 'email', status: 'sent', attempts: 1 },
      { kind: 'sms', status: 'cancelled', attempts: 0 },
    ]);
  });

  it('with no working method, a page still goes to the account e-mail; client contacts get mail by address', async () => {
    const user = await insertUser(hub.ctx.db.kysely, 'technician');
    await hub.ctx.db.kysely.transaction().execute(async (trx) => {
      await pageUser(trx, {
        userId: user.id,
        subject: { type: 'test', id: 't1' },
        round: 'r',
        message,
        urgency: 'high',
        now: hub.clock.now(),
      });
      await sendToAddress(trx, {
        kind: 'email',
        address: 'office@harbour.example',
        subject: { type: 'incident', id: 'i1' },
        round: 'update-1',
        message,
        now: hub.clock.now(),
      });
    });
    await new OutboxWorker(hub.ctx).runOnce();
    expect(smtp.mails.map((m) => (m.to && 'text' in m.to ? m.to.text : '')).sort()).toEqual(
      [user.email, 'office@harbour.example'].sort(),
    );
  });

  it('quiet hours hold back a low-urgency message until they end, never a page', async () => {
    const user = await insertUser(hub.ctx.db.kysely, 'technician');
    await insertContactMethod(hub.ctx, user.id, 'email', { address: 'tech@desk.example' });
    // 17:00 UTC = 17:00 London: inside 16:00–08:00.
    await hub.ctx.db.kysely
      .insertInto('notification_prefs')
      .values({
        user_id: user.id,
        quiet_start: '16:00',
        quiet_end: '08:00',
        time_zone: 'Europe/London',
        updated_at: '2026-11-20T17:00:00.000Z',
      })
      .execute();
    const low = await hub.ctx.db.kysely.transaction().execute((trx) =>
      notifyUser(trx, {
        userId: user.id,
        subject: { type: 'alert', id: 'a3' },
        round: 'resolved',
        message,
        now: hub.clock.now(),
      }),
    );
    const high = await hub.ctx.db.kysely.transaction().execute((trx) =>
      pageUser(trx, {
        userId: user.id,
        subject: { type: 'alert', id: 'a3' },
        round: 'step-0',
        message,
        urgency: 'high',
        now: hub.clock.now(),
      }),
    );
    expect(low.firstDueAt).toBe('2026-11-21T08:00:00.000Z');
    expect(high.firstDueAt).toBe('2026-11-20T17:00:00.000Z');
    expect(await new OutboxWorker(hub.ctx).runOnce()).toBe(1);
  });

  it('a channel that times out is retried with backoff, then given up; nothing is sent twice', async () => {
    const sink = await startHttpSink(() => null);
    try {
      const user = await insertUser(hub.ctx.db.kysely, 'technician');
      await insertContactMethod(hub.ctx, user.id, 'slack', { webhookUrl: `${sink.url}/services/T/B/X` });
      await hub.ctx.db.kysely.transaction().execute((trx) =>
        pageUser(trx, {
          userId: user.id,
          subject: { type: 'alert', id: 'a4' },
          round: 'step-0',
          message,
          urgency: 'high',
          now: hub.clock.now(),
        }),
      );
      const worker = new OutboxWorker(hub.ctx, { random: () => 1 });
      expect(await worker.runOnce()).toBe(1);
      let [row] = await hub.ctx.db.kysely.selectFrom('outbox').selectAll().execute();
      expect(row!.status).toBe('queued');
      expect(row!.last_error).toContain('did not answer within 2000 ms');
      expect(row!.next_attempt_at).toBe('2026-11-20T17:00:20.000Z');
      hub.clock.advance(19_000);
      expect(await worker.runOnce()).toBe(0);
      hub.clock.advance(1_000);
      expect(await worker.runOnce()).toBe(1);
      hub.clock.advance(40_000);
      expect(await worker.runOnce()).toBe(1);
      hub.clock.advance(3600_000);
      expect(await worker.runOnce()).toBe(0);
      [row] = await hub.ctx.db.kysely.selectFrom('outbox').selectAll().execute();
      expect(row!.status).toBe('failed');
      expect(await events(row!.id)).toEqual(['queued', 'retry', 'retry', 'failed']);
      expect(sink.requests).toHaveLength(3);
      // A timeout is not the method's fault: it stays in use.
      const method = await hub.ctx.db.kysely
        .selectFrom('contact_methods')
        .select('broken_at')
        .executeTakeFirstOrThrow();
      expect(method.broken_at).toBeNull();
    } finally {
      await sink.close();
    }
  });

  it('a permanent refusal marks the method broken and tells its owner on another method', async () => {
    const sink = await startHttpSink(() => ({ status: 404, body: 'no_service' }));
    try {
      const user = await insertUser(hub.ctx.db.kysely, 'technician');
      await insertContactMethod(
        hub.ctx,
        user.id,
        'slack',
        { webhookUrl: `${sink.url}/services/T/B/X` },
        { createdAt: '2026-11-20T16:00:00.000Z' },
      );
      await insertContactMethod(
        hub.ctx,
        user.id,
        'email',
        { address: 'tech@desk.example' },
        { createdAt: '2026-11-20T16:30:00.000Z' },
      );
      await hub.ctx.db.kysely.transaction().execute((trx) =>
        notifyUser(trx, {
          userId: user.id,
          subject: { type: 'alert', id: 'a5' },
          round: 'resolved',
          message,
          urgency: 'high',
          now: hub.clock.now(),
        }),
      );
      const worker = new OutboxWorker(hub.ctx);
      await worker.runOnce();
      await worker.runOnce();
      const method = await hub.ctx.db.kysely
        .selectFrom('contact_methods')
        .selectAll()
        .where('kind', '=', 'slack')
        .executeTakeFirstOrThrow();
      expect(method.broken_reason).toBe('Slack answered HTTP 404: no_service');
      expect(smtp.mails).toHaveLength(1);
      expect(smtp.mails[0]!.subject).toBe('Your slack method "slack" stopped working');
    } finally {
      await sink.close();
    }
  });

  it('a row left in sending by a dead process becomes "may have been sent" and is never sent again', async () => {
    const user = await insertUser(hub.ctx.db.kysely, 'technician');
    await insertContactMethod(hub.ctx, user.id, 'email', { address: 'tech@desk.example' });
    await hub.ctx.db.kysely.transaction().execute((trx) =>
      pageUser(trx, {
        userId: user.id,
        subject: { type: 'alert', id: 'a6' },
        round: 'step-0',
        message,
        urgency: 'high',
        now: hub.clock.now(),
      }),
    );
    // Claimed by a process that then died: status 'sending', its lease running.
    await hub.ctx.db.kysely
      .updateTable('outbox')
      .set({ status: 'sending', attempts: 1, lease_until: '2026-11-20T17:00:09.000Z', next_attempt_at: null })
      .execute();
    const worker = new OutboxWorker(hub.ctx);
    expect(await worker.runOnce()).toBe(0);
    hub.clock.advance(10_000);
    expect(await worker.runOnce()).toBe(0);
    const [row] = await hub.ctx.db.kysely.selectFrom('outbox').selectAll().execute();
    expect(row!.status).toBe('may_have_been_sent');
    expect(await events(row!.id)).toEqual(['queued', 'may_have_been_sent']);
    expect(smtp.mails).toHaveLength(0);
  });
});
