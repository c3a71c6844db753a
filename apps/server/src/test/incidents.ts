import type { ParsedMail } from 'mailparser';
import { systemActor } from '../domain/auth/actor.js';
import { createPolicy } from '../domain/escalation/policies.js';
import { ingestResults } from '../domain/monitoring/ingest.js';
import { AlertWorker } from '../worker/alert-worker.js';
import { EscalationWorker } from '../worker/escalation-worker.js';
import { OutboxWorker } from '../worker/outbox.js';
import { insertCheck } from './checks.js';
import { signIn } from './agent.js';
import { insertClient, insertContact, insertSite, insertSystem, insertUser, TEST_PASSWORD } from './factories.js';
import { createTestHub, type TestHub } from './harness.js';
import { insertContactMethod, startSmtpSink, useSmtpSink } from './notify.js';
import { insertLayer, insertSchedule } from './oncall.js';
import type { DialectName } from '../db/dialects/types.js';

/** Wall time in London in December (GMT, so UTC): `at('fri', '18:30')` in the week of Friday 4 December 2026. */
export function at(day: 'fri' | 'sat' | 'sun' | 'mon', time: string): string {
  const date = { fri: 4, sat: 5, sun: 6, mon: 7 }[day];
  const [h, m] = time.split(':').map(Number);
  return new Date(Date.UTC(2026, 11, date, h!, m!)).toISOString();
}

export const recipient = (mail: ParsedMail) => (Array.isArray(mail.to) ? mail.to[0] : mail.to)?.text ?? '';

/**
 * The weekend of the story, as a scene: Harbour Dental (weekdays 8–18, 30 minutes to acknowledge, a day to
 * resolve) with its office, servers and a contact who rings; Tom on call, Ann and Ben his colleagues, each
 * with e-mail to a real SMTP server on loopback; the workers, driven by hand with the hub's manual clock.
 */
export async function weekendScene(dialect: DialectName) {
  const hub: TestHub = await createTestHub(dialect, {
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
  const smtp = await startSmtpSink();
  await useSmtpSink(hub.ctx, smtp.port);
  const db = hub.ctx.db.kysely;
  hub.clock.set(at('fri', '17:00'));
  const [tom, ann, ben] = [
    await insertUser(db, 'technician', null, { name: 'Tom' }),
    await insertUser(db, 'technician', null, { name: 'Ann' }),
    await insertUser(db, 'technician', null, { name: 'Ben' }),
  ];
  for (const u of [tom, ann, ben])
    await insertContactMethod(hub.ctx, u.id, 'email', { address: `${u.name.toLowerCase()}@desk.example` });
  const oncall = await insertSchedule(db, { name: 'Weekend' });
  await insertLayer(db, oncall, [tom.id]);
  const policy = await createPolicy(hub.ctx, systemActor(), {
    name: 'Out of hours',
    isDefault: false,
    repeat: 0,
    steps: [
      { targets: [{ type: 'schedule', id: oncall.id }], waitMinutes: 5 },
      { targets: [{ type: 'user', id: ann.id }], waitMinutes: 10 },
    ],
  });
  const weekdays = (['mon', 'tue', 'wed', 'thu', 'fri'] as const).map((day) => ({ day, start: '08:00', end: '18:00' }));
  const contract = {
    supportHours: { kind: 'weekly', timeZone: 'Europe/London', windows: weekdays },
    responseTargetMinutes: 30,
    resolveTargetMinutes: 600,
    escalationPolicyId: policy.id,
  };
  const client = await insertClient(db, { name: 'Harbour Dental', contract_json: JSON.stringify(contract) });
  const site = await insertSite(db, client, { name: 'Main office', time_zone: 'Europe/London' });
  const dc01 = await insertSystem(db, site, { name: 'dc01', criticality: 'critical' });
  const mail = await insertSystem(db, site, { name: 'mail', kind: 'email', criticality: 'high' });
  const ping = await insertCheck(db, dc01, { name: 'ping' });
  const dana = await insertContact(db, client, { name: 'Dana Reyes', phone: '+44 20 7946 0000' });
  await ingestResults(hub.ctx, { type: 'hub' }, [
    { checkId: ping.id, at: at('fri', '17:00'), status: 'up', latencyMs: 3, message: 'ok' },
  ]);

  const alerts = new AlertWorker(hub.ctx);
  const escalations = new EscalationWorker(hub.ctx);
  const outbox = new OutboxWorker(hub.ctx);
  await alerts.drain();

  return {
    hub,
    smtp,
    db,
    people: { tom, ann, ben },
    as: {
      tom: await signIn(hub, tom.email, TEST_PASSWORD),
      ann: await signIn(hub, ann.email, TEST_PASSWORD),
      ben: await signIn(hub, ben.email, TEST_PASSWORD),
    },
    client,
    site,
    systems: { dc01, mail },
    ping,
    dana,
    workers: { alerts, escalations, outbox },
    /** Moves the clock to `when` and runs whatever falls due: alerts, escalation steps, the outbox. */
    async runUntil(when: string) {
      hub.clock.set(when);
      await alerts.drain();
      await escalations.runDue();
      while ((await outbox.runOnce()) > 0) {}
    },
    /** A check result at `when` (the alert worker turns it into an alert). */
    async result(status: 'up' | 'down', when: string) {
      hub.clock.set(when);
      await ingestResults(hub.ctx, { type: 'hub' }, [
        {
          checkId: ping.id,
          at: when,
          status,
          latencyMs: status === 'up' ? 3 : null,
          message: status === 'up' ? 'ok' : 'no reply',
        },
      ]);
    },
    /** Subjects of the mails to one person since the start, without the client's name they start with. */
    mailsTo(name: string) {
      return smtp.mails
        .filter((m) => recipient(m) === `${name.toLowerCase()}@desk.example`)
        .map((m) => (m.subject ?? '').replace(/^Harbour Dental(?: · Main office)?: /, ''));
    },
    async close() {
      await smtp.close();
      await hub.close();
    },
  };
}
