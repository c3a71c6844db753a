import type { ParsedMail } from 'mailparser';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { insertCheck } from '../../test/checks.js';
import { insertClient, insertSite, insertSystem, insertUser, signedInAs } from '../../test/factories.js';
import { createTestHub, forEachDatabase, type TestHub } from '../../test/harness.js';
import { insertContactMethod, startHttpSink, startSmtpSink, useSmtpSink } from '../../test/notify.js';
import { insertLayer, insertOverride, insertSchedule } from '../../test/oncall.js';
import { AlertWorker } from '../../worker/alert-worker.js';
import { EscalationWorker } from '../../worker/escalation-worker.js';
import { OutboxWorker } from '../../worker/outbox.js';
import { systemActor } from '../auth/actor.js';
import { ingestResults } from '../monitoring/ingest.js';
import { createPolicy } from './policies.js';

/** 03:00 on Saturday 21 November 2026 (London is on GMT), plus minutes. */
const T = (minute: number) => new Date(Date.UTC(2026, 10, 21, 3, minute)).toISOString();

/**
 * The "done when", through the real pieces: a server going down at 3 am pages whoever is on call
 * by e-mail (a real SMTP server on loopback), escalates when ignored, stops when acknowledged from the
 * link in the mail, and every attempt is in the delivery log.
 */
forEachDatabase('escalation end to end', (dialect) => {
  let hub: TestHub;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  let alerts: AlertWorker;
  let escalations: EscalationWorker;
  let outbox: OutboxWorker;
  beforeEach(async () => {
    hub = await createTestHub(dialect, {
      publicUrl: 'https://desk.example',
      notify: {
        workerEnabled: false,
        maxAttempts: 2,
        retryBaseMs: 20_000,
        retryCapMs: 60_000,
        sendTimeoutMs: 2000,
        concurrency: 4,
      },
    });
    smtp = await startSmtpSink();
    await useSmtpSink(hub.ctx, smtp.port);
    alerts = new AlertWorker(hub.ctx);
    escalations = new EscalationWorker(hub.ctx);
    outbox = new OutboxWorker(hub.ctx);
  });
  afterEach(async () => {
    await smtp.close();
    await hub.close();
  });
  const db = () => hub.ctx.db.kysely;

  async function scene() {
    const [ann, ben, cat] = [
      await insertUser(db(), 'technician', null, { name: 'Ann' }),
      await insertUser(db(), 'technician', null, { name: 'Ben' }),
      await insertUser(db(), 'technician', null, { name: 'Cat' }),
    ];
    for (const u of [ann, ben, cat])
      await insertContactMethod(hub.ctx, u.id, 'email', { address: `${u.name.toLowerCase()}@desk.example` });
    const nights = await insertSchedule(db(), { name: 'Nights' });
    // Ann all week (one participant), so whoever is on call at 3 am is Ann unless overridden.
    await insertLayer(db(), nights, [ann.id]);
    const policy = await createPolicy(hub.ctx, systemActor(), {
      name: 'Out of hours',
      isDefault: false,
      repeat: 1,
      steps: [
        { targets: [{ type: 'schedule', id: nights.id }], waitMinutes: 5 },
        { targets: [{ type: 'user', id: ben.id }], waitMinutes: 10 },
      ],
    });
    const contract = {
      supportHours: {
        kind: 'weekly',
        timeZone: 'Europe/London',
        windows: [{ day: 'mon', start: '08:00', end: '18:00' }],
      },
      responseTargetMinutes: 30,
      escalationPolicyId: policy.id,
    };
    const client = await insertClient(db(), { name: 'Harbour Dental', contract_json: JSON.stringify(contract) });
    const site = await insertSite(db(), client, { name: 'Main office' });
    const server = await insertSystem(db(), site, { name: 'dc01', criticality: 'critical' });
    const check = await insertCheck(db(), server, { name: 'ping' });
    hub.clock.set(T(0));
    await ingestResults(hub.ctx, { type: 'hub' }, [
      { checkId: check.id, at: T(0), status: 'up', latencyMs: 3, message: 'ok' },
    ]);
    return { ann, ben, cat, nights, check };
  }

  async function goDown(checkId: string, minute: number) {
    hub.clock.set(T(minute));
    await ingestResults(hub.ctx, { type: 'hub' }, [
      { checkId, at: T(minute), status: 'down', latencyMs: null, message: 'no reply to ping' },
    ]);
    await alerts.drain();
  }

  /** Runs what is due at `minute`: escalation steps, then the outbox. */
  async function at(minute: number) {
    hub.clock.set(T(minute));
    await escalations.runDue();
    while ((await outbox.runOnce()) > 0) {}
  }

  const to = (mail: ParsedMail) => (Array.isArray(mail.to) ? mail.to[0] : mail.to)?.text ?? '';
  const ackLinkIn = (mail: ParsedMail) => {
    const found = /https:\/\/desk\.example(\/l\/ack\?t=[\w.-]+)/.exec(mail.text ?? '');
    expect(found, 'the mail carries an acknowledge link').not.toBeNull();
    return found![1]!;
  };

  it('pages the on-call person, escalates when ignored, stops when acknowledged from the mail link', async () => {
    const { ann, ben, check } = await scene();
    await goDown(check.id, 1);
    await at(1);
    expect(smtp.mails.map(to)).toEqual(['ann@desk.example']);
    const first = smtp.mails[0]!;
    expect(first.subject).toContain('Harbour Dental');
    expect(first.text).toContain('Main office');

    await at(5); // still within Ann's five minutes
    expect(smtp.mails).toHaveLength(1);
    await at(6);
    expect(smtp.mails.map(to)).toEqual(['ann@desk.example', 'ben@desk.example']);

    // Ben taps the link in his mail: the page shows a button and acknowledges nothing by itself.
    const link = ackLinkIn(smtp.mails[1]!);
    const preview = await hub.app.inject({ method: 'GET', url: link });
    expect(preview.statusCode).toBe(200);
    expect(preview.body).toContain('Acknowledge');
    expect((await db().selectFrom('alerts').select('state').executeTakeFirstOrThrow()).state).toBe('open');
    hub.clock.set(T(8));
    const confirm = await hub.app.inject({
      method: 'POST',
      url: '/l/ack',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ t: new URL(`https://x${link}`).searchParams.get('t')! }).toString(),
    });
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain('Acknowledged');
    const alert = await db().selectFrom('alerts').selectAll().executeTakeFirstOrThrow();
    expect(alert).toMatchObject({ state: 'acknowledged', acknowledged_by: ben.id, acknowledged_at: T(8) });

    // Nothing more is paged; Ann (who was paged too) is told that Ben has it.
    await at(8);
    await at(60);
    const after = smtp.mails.slice(2);
    expect(after.map(to)).toEqual(['ann@desk.example']);
    expect(after[0]!.subject).toContain('Acknowledged');
    expect(after[0]!.text).toContain('Ben');

    // The timeline shows who was paged and who acknowledged; the delivery log every attempt.
    const owner = await signedInAs(hub, 'owner');
    const { body } = await owner.get(`/api/alerts/${alert.id}`);
    expect(body.timeline.map((e: { kind: string }) => e.kind)).toEqual(['opened', 'paged', 'paged', 'acknowledged']);
    expect(body.alert.paged.map((p: { name: string }) => p.name)).toEqual(['Ann', 'Ben']);
    expect(
      body.deliveries
        .filter((d: { status: string }) => d.status === 'sent')
        .map((d: { userName: string }) => d.userName),
    ).toEqual(['Ann', 'Ben', 'Ann']);
    void ann;
  });

  it('an override changes who is paged', async () => {
    const { cat, nights, check } = await scene();
    await insertOverride(db(), nights, cat.id, T(-60), T(600));
    await goDown(check.id, 1);
    await at(1);
    expect(smtp.mails.map(to)).toEqual(['cat@desk.example']);
  });

  it('nobody acknowledges: every step, then the repeat, then it stops', async () => {
    const { check } = await scene();
    await goDown(check.id, 1);
    for (const minute of [1, 6, 16, 21, 31, 90]) await at(minute);
    expect(smtp.mails.map(to)).toEqual([
      'ann@desk.example',
      'ben@desk.example',
      'ann@desk.example',
      'ben@desk.example',
    ]);
    expect((await db().selectFrom('escalations').select('state').executeTakeFirstOrThrow()).state).toBe('exhausted');
  });

  it('a channel that times out is retried, given up, and the next step still runs on time', async () => {
    const { ann, check } = await scene();
    const hung = await startHttpSink(() => null);
    try {
      // Ann's only working method now: a webhook that never answers.
      await db().deleteFrom('contact_methods').where('user_id', '=', ann.id).execute();
      await insertContactMethod(hub.ctx, ann.id, 'webhook', {
        url: `${hung.url}/hook`,
        secret: 'a-webhook-secret-of-length',
      });
      await goDown(check.id, 1);
      await at(1);
      await at(3); // the retry (base 20 s, jittered, capped at a minute) is due by now
      expect(hung.requests.length).toBe(2);
      const events = (
        await db().selectFrom('deliveries').select('event').where('user_id', '=', ann.id).orderBy('at').execute()
      ).map((d) => d.event);
      expect(events).toContain('retry');
      expect(events.at(-1)).toBe('failed');
      await at(6);
      expect(smtp.mails.map(to)).toEqual(['ben@desk.example']);
    } finally {
      await hung.close();
    }
  });
});
