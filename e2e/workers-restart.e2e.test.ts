import { createServer as createHttpServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from './agent-process.js';
import {
  addClientSiteSystem,
  ago,
  hubWithMail,
  startHub,
  type ApiSession,
  type HubStorage,
  type RunningHub,
  query,
} from './hub-process.js';

/** A short send timeout, so an abandoned send's lease (2 × timeout + 5 s) runs out within the test on PostgreSQL. */
const HUB_ENV = { AFTERHOURS_NOTIFY_TIMEOUT_S: '2' };

/**
 * A real SMTP server on loopback that keeps what it receives; while `holding` matches a subject it takes
 * that message and never answers, so the hub is caught in the middle of sending it.
 */
async function smtpServer() {
  const mails: ParsedMail[] = [];
  const held: string[] = [];
  let holding: RegExp | null = null;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream).then(
        (mail) => {
          if (holding?.test(mail.subject ?? '')) {
            held.push(mail.subject ?? '');
            return; // never answered: the hub's send is in flight until it dies
          }
          mails.push(mail);
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    port: (server.server.address() as AddressInfo).port,
    mails,
    held,
    hold(subject: RegExp | null) {
      holding = subject;
    },
    subjects: (re: RegExp) => mails.map((m) => m.subject ?? '').filter((s) => re.test(s)),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe.each(['sqlite', 'postgres'] as const)('newer workers under kill -9 [%s]', (dialect) => {
  let storage: HubStorage;
  let hub: RunningHub;
  let api: ApiSession;
  let smtp: Awaited<ReturnType<typeof smtpServer>>;
  const ids: { tech: string; client: string; site: string; system: string } = {
    tech: '',
    client: '',
    site: '',
    system: '',
  };
  const past = ago(dialect, '1 second');

  beforeAll(async () => {
    smtp = await smtpServer();
    ({ storage, hub, api } = await hubWithMail(dialect, smtp.port, HUB_ENV));
    const tech = await api.call('POST', '/api/users', {
      email: 'tom@desk.example',
      name: 'Tom',
      role: 'technician',
      password: 'a long enough password',
    });
    ids.tech = tech.body.id;
    const scene = await addClientSiteSystem(api, {
      client: 'Harbour Dental',
      site: 'Main office',
      timeZone: 'Europe/London',
      system: 'Mail server',
      kind: 'server',
    });
    Object.assign(ids, { client: scene.clientId, site: scene.siteId, system: scene.systemId });
  });
  afterAll(async () => {
    await hub?.stop();
    await storage?.destroy();
    await smtp?.close();
  });

  it('task reminders: the one being sent at the kill is never sent again (at most once), the one due while down goes once', async () => {
    const incident = await api.call('POST', '/api/incidents', {
      clientId: ids.client,
      siteIds: [ids.site],
      summary: 'Power going on and off all weekend',
      acknowledge: true,
    });
    expect(incident.status).toBe(201);
    const task = (title: string, dueAt: Date) =>
      api.call('POST', `/api/incidents/${incident.body.id}/tasks`, {
        title,
        assigneeUserId: ids.tech,
        dueAt: dueAt.toISOString(),
      });
    smtp.hold(/Due now: Be at the office/);
    const office = await task('Be at the office when it opens', new Date(Date.now() + 3000));
    const restart = await task('Restart the servers', new Date(Date.now() + 3_600_000));
    expect([office.status, restart.status]).toEqual([201, 201]);

    // The hub is handing the first reminder to the mail server when it dies.
    await eventually('the reminder in flight', async () => smtp.held.length === 1);
    await hub.crash();
    smtp.hold(null);
    // An hour passes while the hub is down: the second reminder is due.
    await query(
      storage,
      `update outbox set next_attempt_at = ${past} where subject_id = '${restart.body.id}' and round like 'reminder:%'`,
    );
    hub = await startHub(storage, hub.port, HUB_ENV);

    await eventually(
      'the reminder due while the hub was down',
      async () => smtp.subjects(/Due now: Restart the servers/).length === 1,
    );
    // The one caught mid-send is written off as "may have been sent", never sent again (ADR 0008 and 0010).
    await eventually(
      'the abandoned send written off',
      async () => {
        const rows = await query<{ status: string }>(
          storage,
          `select status from outbox where subject_id = '${office.body.id}' and round like 'reminder:%'`,
        );
        return rows.length === 1 && rows[0]!.status === 'may_have_been_sent';
      },
      30_000,
    );
    // Give a resend (if any were coming) time to show up.
    await new Promise((r) => setTimeout(r, 2000));
    expect(smtp.subjects(/Due now: Be at the office/)).toEqual([]);
    expect(smtp.held).toHaveLength(1);
    expect(smtp.subjects(/Due now: Restart the servers/)).toHaveLength(1);
    const states = await query<{ status: string }>(
      storage,
      `select status from outbox where subject_id = '${restart.body.id}' and round like 'reminder:%'`,
    );
    expect(states.map((s) => s.status)).toEqual(['sent']);
  });

  it('scheduled checklist runs: a run made as the hub dies is made once, finished and reported once after restart', async () => {
    // The mail server's web page answers only once `answering`: the first hub dies while its step is running,
    // before it could finish the run and report it (a report in flight at the kill would be at most once).
    let answering = false;
    const waiting: ServerResponse[] = [];
    const web = createHttpServer((_request, response) => {
      if (answering) response.end('ok');
      else waiting.push(response);
    });
    await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', () => resolve()));
    const check = await api.call('POST', '/api/checks', {
      systemId: ids.system,
      name: 'SMTP',
      kind: 'http',
      probe: 'hub',
      intervalS: 86_400,
      timeoutMs: 60_000,
      params: { url: `http://127.0.0.1:${(web.address() as AddressInfo).port}/` },
    });
    expect(check.status).toBe(201);
    const template = await api.call('POST', '/api/checklists', {
      name: 'Monday opening',
      body: {
        sections: [
          {
            title: 'Before 08:30',
            steps: [
              { key: 'mail', title: 'Mail server answers', kind: 'check', target: { check: 'SMTP' } },
              { key: 'lights', title: 'Reception lights on', kind: 'manual' },
            ],
          },
        ],
      },
    });
    const schedule = await api.call('POST', '/api/checklist-schedules', {
      templateId: template.body.id,
      siteId: ids.site,
      cron: '0 6 * * mon',
      notifyUserIds: [ids.tech],
    });
    expect(schedule.status).toBe(201);
    const runs = () =>
      query<{ id: string; status: string }>(
        storage,
        `select id, status from checklist_runs where schedule_id = '${schedule.body.id}'`,
      );

    // Monday 06:00 comes while the hub is stopped; it starts, makes the run, and is killed at once.
    await hub.stop();
    await query(storage, `update checklist_schedules set next_run_at = ${past} where id = '${schedule.body.id}'`);
    hub = await startHub(storage, hub.port, HUB_ENV);
    await eventually('the scheduled run', async () => (await runs()).length > 0, 30_000, 20);
    await eventually(
      'its automatic step running',
      async () =>
        (
          await query(
            storage,
            `select 1 from checklist_run_steps where run_id = '${(await runs())[0]!.id}' and status = 'running'`,
          )
        ).length === 1,
      30_000,
      20,
    );
    await hub.crash();
    answering = true;
    for (const response of waiting.splice(0)) response.destroy();
    // Minutes pass while it is down: whatever it left is stale for the next hub (the scheduler's grace is 2 min).
    const earlier = ago(dialect, '3 minutes');
    await query(storage, `update checklist_runs set started_at = ${earlier} where schedule_id = '${schedule.body.id}'`);
    await query(storage, `update checklist_run_steps set started_at = ${earlier} where started_at is not null`);
    hub = await startHub(storage, hub.port, HUB_ENV);

    const reported = await eventually(
      'the run reported to Tom',
      async () => smtp.mails.filter((m) => /Monday opening/.test(m.subject ?? '')).length > 0,
      60_000,
    );
    expect(reported).toBe(true);
    await new Promise((r) => setTimeout(r, 2000));
    expect(await runs()).toHaveLength(1);
    const [run] = await runs();
    const detail = await api.call('GET', `/api/checklist-runs/${run!.id}`);
    expect(detail.body.steps.map((s: { status: string }) => s.status)).toEqual(['passed', 'pending']);
    expect(smtp.mails.filter((m) => /Monday opening/.test(m.subject ?? ''))).toHaveLength(1);
    const next = await api.call('GET', '/api/checklist-schedules');
    expect(Date.parse(next.body.items[0].nextRunAt)).toBeGreaterThan(Date.now());
    web.closeAllConnections();
    await new Promise<void>((resolve) => web.close(() => resolve()));
  });
});
