import { afterEach, beforeEach, expect, it } from 'vitest';
import { insertClientWithSystem, signedInAs } from '../../test/factories.js';
import { forEachDatabase } from '../../test/harness.js';
import { insertAgent, insertCheck } from '../../test/checks.js';
import { at, recipient, weekendScene } from '../../test/incidents.js';
import { ingestResults } from '../monitoring/ingest.js';
import { markSiteReachable, markSiteUnreachable } from '../monitoring/reachability.js';

/**
 * The weekend as one test through the API, with the hub's clock moved by hand: the client's call on
 * Friday evening opens an incident that pages the on-call technician; the weekend is planned as tasks for
 * named colleagues; reminders arrive at their due times and outcomes reach the "report to" colleague; the
 * office's server going down joins the incident without paging twice; everything is on the timeline in order.
 * The client is kept informed from the firm's templates (real SMTP on loopback), and the report lists it all.
 */
forEachDatabase('the weekend', (dialect) => {
  let w: Awaited<ReturnType<typeof weekendScene>>;
  beforeEach(async () => {
    w = await weekendScene(dialect);
  });
  afterEach(async () => {
    await w.close();
  });

  it('from the call on Friday to all systems back on Sunday, every step on the timeline', async () => {
    const { as, people, db } = w;

    // Friday 18:30: Dana rings Tom. He opens the incident from the call in one request.
    w.hub.clock.set(at('fri', '18:31'));
    const opened = await as.tom.post('/api/incidents', {
      clientId: w.client.id,
      siteIds: [w.site.id],
      systemIds: [w.systems.dc01.id, w.systems.mail.id],
      summary: 'Power going on and off all afternoon; the power company warns of outages all weekend',
      severity: 'critical',
      call: { contactId: w.dana.id, at: at('fri', '18:30') },
    });
    expect(opened.status).toBe(201);
    const id = opened.body.id as string;
    expect(opened.body).toMatchObject({
      number: 1,
      status: 'investigating',
      title: 'Power going on and off all afternoon; the power company warns of outages all weekend',
      openedAt: at('fri', '18:30'),
      sites: [{ name: 'Main office' }],
      systems: [
        { name: 'dc01', state: 'up' },
        { name: 'mail', state: 'none' },
      ],
    });
    // Outside support hours (weekdays 8–18): the clock to acknowledge waits for Monday 08:00, 30 minutes then.
    expect(opened.body.response.acknowledge).toMatchObject({
      state: 'paused',
      targetMinutes: 30,
      leftMinutes: 30,
      breachAt: at('mon', '08:30'),
    });
    expect(opened.body.timeline.map((e: { kind: string; text: string }) => [e.kind, e.text])).toEqual([
      [
        'call',
        'Call from Dana Reyes (+44 20 7946 0000): Power going on and off all afternoon; the power company warns of outages all weekend',
      ],
      ['opened', expect.stringContaining('Incident #1 opened (critical)')],
    ]);

    // Opening it pages whoever is on call (Tom); he acknowledges in one tap and the paging stops.
    await w.runUntil(at('fri', '18:32'));
    expect(w.mailsTo('tom')).toEqual([
      'Incident #1: Power going on and off all afternoon; the power company warns of outages all weekend',
    ]);
    expect((await as.tom.get(`/api/incidents/${id}`)).body.timeline.at(-1)).toMatchObject({
      kind: 'paged',
      text: 'Paged Tom (step 1 of 2, Out of hours)',
    });
    const acked = await as.tom.post(`/api/incidents/${id}/acknowledge`);
    expect(acked.body).toMatchObject({ acknowledgedBy: { name: 'Tom' }, response: { acknowledge: { state: 'met' } } });
    await w.runUntil(at('fri', '18:50'));
    expect(w.mailsTo('ann'), 'the second step never runs').toEqual([]);

    // Tom tells the client from the firm's template, in the words he chooses.
    const templates = (await as.tom.get('/api/message-templates?kind=incident_update')).body.items as {
      id: string;
      name: string;
    }[];
    const tellClient = async (template: string, extra = '') => {
      const templateId = templates.find((t) => t.name === template)!.id;
      const draft = (await as.tom.post('/api/client-updates/draft', { templateId, incidentId: id })).body;
      const sent = await as.tom.post(`/api/incidents/${id}/updates`, {
        subject: draft.subject,
        body: `${draft.body}${extra}`,
      });
      expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    };
    const toDana = () =>
      w.smtp.mails.filter((m) => recipient(m) === w.dana.email).map((m) => [m.subject, m.text ?? '']);
    await tellClient('We are aware');
    await w.runUntil(at('fri', '18:51'));
    expect(toDana()).toEqual([
      [
        'Harbour Dental: we are working on it',
        expect.stringContaining('We are aware of a problem at Main office: Power going on and off all afternoon'),
      ],
    ]);

    // The weekend plan, as timed tasks for named colleagues.
    const task = async (title: string, who: string, due: string, reportTo: string | null) => {
      const made = await as.tom.post(`/api/incidents/${id}/tasks`, {
        title,
        assigneeUserId: people[who as 'ann'].id,
        dueAt: due,
        reportToUserId: reportTo ? people[reportTo as 'tom'].id : null,
      });
      expect(made.status, JSON.stringify(made.body)).toBe(201);
      return made.body.id as string;
    };
    const backup = await task(
      'Confirm last night’s offsite backup; call the power company',
      'ann',
      at('fri', '19:30'),
      'tom',
    );
    const remote = await task('Remote check of every system', 'ann', at('sat', '07:00'), 'ben');
    const opening = await task('Be at the office when it opens', 'ben', at('sat', '09:00'), null);
    const restart = await task('Restart the servers and check them', 'ben', at('sat', '14:00'), 'tom');
    const sunday = await task('Turn everything back on and run the checklist', 'tom', at('sun', '12:00'), null);
    await w.runUntil(at('fri', '18:55'));
    expect(w.mailsTo('ann').sort()).toEqual([
      'Task for you: Confirm last night’s offsite backup; call the power company',
      'Task for you: Remote check of every system',
    ]);
    expect(w.mailsTo('ben')).toHaveLength(2);
    const detail = (await as.tom.get(`/api/incidents/${id}`)).body;
    expect(detail.tasks.map((t: { title: string }) => t.title)).toHaveLength(5);
    expect(detail.tasks[1]).toMatchObject({
      siteTimeZone: 'Europe/London',
      assignee: { name: 'Ann' },
      reportTo: { name: 'Ben' },
    });

    // Reminders arrive at the due time, not before.
    await w.runUntil(at('fri', '19:29'));
    expect(w.mailsTo('ann')).toHaveLength(2);
    await w.runUntil(at('fri', '19:30'));
    expect(w.mailsTo('ann').at(-1)).toBe('Due now: Confirm last night’s offsite backup; call the power company');

    // Ann reports back; Tom (her "report to") hears the outcome.
    w.hub.clock.set(at('fri', '19:45'));
    const done = await as.ann.patch(`/api/tasks/${backup}`, {
      status: 'done',
      outcome: 'Offsite backup OK at 02:14. Power company: cable works all weekend, outages likely',
    });
    expect(done.status).toBe(200);
    await w.runUntil(at('fri', '19:46'));
    const toTom = w.smtp.mails.filter((m) =>
      m.subject?.endsWith('Done: Confirm last night’s offsite backup; call the power company'),
    );
    expect(toTom).toHaveLength(1);
    expect(toTom[0]!.text).toContain('Offsite backup OK at 02:14');

    // Saturday early: the remote check, reported to Ben.
    await w.runUntil(at('sat', '07:00'));
    expect(w.mailsTo('ann').at(-1)).toBe('Due now: Remote check of every system');
    w.hub.clock.set(at('sat', '07:20'));
    await as.ann.patch(`/api/tasks/${remote}`, { status: 'done', outcome: 'Everything answers; UPS on line' });
    await w.runUntil(at('sat', '07:21'));
    expect(w.mailsTo('ben').at(-1)).toBe('Done: Remote check of every system');

    // Ben at the office at opening.
    await w.runUntil(at('sat', '09:00'));
    expect(w.mailsTo('ben').at(-1)).toBe('Due now: Be at the office when it opens');
    await as.ben.patch(`/api/tasks/${opening}`, { status: 'done', outcome: 'On site' });

    // Saturday 13:00: dc01 stops answering. Its alert joins the incident; nobody is paged again.
    const mailsBefore = w.smtp.mails.length;
    await w.result('down', at('sat', '13:00'));
    await w.runUntil(at('sat', '13:30'));
    expect(w.smtp.mails.length, 'no second page for the same office').toBe(mailsBefore);
    const alert = await db.selectFrom('alerts').selectAll().executeTakeFirstOrThrow();
    expect(alert.page_reason).toBe('part of incident #1: nobody is paged again');
    let now = (await as.tom.get(`/api/incidents/${id}`)).body;
    expect(now.alerts).toEqual([expect.objectContaining({ id: alert.id })]);
    expect(now.systems[0]).toMatchObject({ name: 'dc01', state: 'down' });

    // Saturday 14:00: Ben cannot just call the restart off without saying why.
    await w.runUntil(at('sat', '14:00'));
    expect(w.mailsTo('ben').at(-1)).toBe('Due now: Restart the servers and check them');
    const refused = await as.ben.patch(`/api/tasks/${restart}`, { status: 'blocked' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toBe('Say what blocks it in the outcome note');
    const blocked = await as.ben.patch(`/api/tasks/${restart}`, {
      status: 'blocked',
      outcome: 'Power company: off again for hours. Shut all servers down cleanly instead',
    });
    expect(blocked.body.status).toBe('blocked');
    await w.runUntil(at('sat', '14:05'));
    expect(w.mailsTo('tom').at(-1)).toBe('Blocked: Restart the servers and check them');
    w.hub.clock.set(at('sat', '15:10'));
    await tellClient('Servers shut down safely');

    // Sunday: power back, dc01 answers again (a recovery on the timeline). Resolving waits for Tom's task.
    await w.result('up', at('sun', '11:30'));
    await w.runUntil(at('sun', '11:31'));
    const early = await as.tom.post(`/api/incidents/${id}/status`, { status: 'resolved' });
    expect(early.status).toBe(409);
    expect(early.body.error.message).toBe(
      '1 task is not finished ("Turn everything back on and run the checklist"): mark it done or blocked first',
    );
    await w.runUntil(at('sun', '12:00'));
    expect(w.mailsTo('tom').at(-1)).toBe('Due now: Turn everything back on and run the checklist');
    w.hub.clock.set(at('sun', '12:40'));
    await as.tom.patch(`/api/tasks/${sunday}`, { status: 'done', outcome: 'All systems on; checklist all green' });
    await tellClient('Everything is ready for Monday', '\n\nSee you at 8.30.');
    await as.tom.post(`/api/incidents/${id}/notes`, { text: 'Told Dana all is ready for Monday' });
    const resolved = await as.tom.post(`/api/incidents/${id}/status`, { status: 'resolved', note: 'Ready for Monday' });
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({
      status: 'resolved',
      resolvedBy: { name: 'Tom' },
      resolvedAt: at('sun', '12:40'),
    });
    // Resolved on Sunday: no support hours passed, so both targets are met.
    expect(resolved.body.response.resolve).toMatchObject({ state: 'met', elapsedMinutes: 0 });

    // Every step is on the timeline, in order, with who.
    now = (await as.tom.get(`/api/incidents/${id}`)).body;
    expect(
      now.timeline.map((e: { kind: string; actor: { name: string } | null }) => `${e.kind}:${e.actor?.name ?? 'hub'}`),
    ).toEqual([
      'call:Tom',
      'opened:Tom',
      'paged:hub',
      'acknowledged:Tom',
      'update:Tom',
      'task:Tom',
      'task:Tom',
      'task:Tom',
      'task:Tom',
      'task:Tom',
      'task:Ann',
      'task:Ann',
      'task:Ben',
      'alert:hub',
      'task:Ben',
      'update:Tom',
      'recovery:hub',
      'task:Tom',
      'update:Tom',
      'note:Tom',
      'status:Tom',
    ]);

    // The client heard three times, and the report lists everything in order, as the client's own people see it.
    await w.runUntil(at('sun', '12:41'));
    expect(toDana().map(([subject]) => subject)).toEqual([
      'Harbour Dental: we are working on it',
      'Harbour Dental: your servers were shut down safely',
      'Harbour Dental: everything is ready for Monday',
    ]);
    expect(toDana()[2]![1]).toContain('See you at 8.30.');
    const theirs = await signedInAs(w.hub, 'client', w.client.id);
    const report = (await theirs.get(`/api/incidents/${id}/report`)).body;
    // Everything but who of the firm was paged and the team's own (internal) note.
    expect(report.timeline.map((e: { kind: string; text: string }) => [e.kind, e.text])).toEqual(
      now.timeline
        .filter((e: { kind: string; internal: boolean }) => e.kind !== 'paged' && !e.internal)
        .map((e: { kind: string; text: string }) => [e.kind, e.text]),
    );
    expect(report).toMatchObject({
      status: 'resolved',
      resolvedBy: 'Tom',
      systems: [{ name: 'dc01', state: 'up' }, { name: 'mail' }],
      response: { resolve: { state: 'met' } },
    });
  });

  it('the client’s own people read it, change nothing, and other firms see nothing of it', async () => {
    const opened = await w.as.tom.post('/api/incidents', {
      clientId: w.client.id,
      siteIds: [w.site.id],
      summary: 'Power cut',
      acknowledge: true,
    });
    const id = opened.body.id as string;
    const theirs = await signedInAs(w.hub, 'client', w.client.id);
    const other = await insertClientWithSystem(w.db);
    const stranger = await signedInAs(w.hub, 'client', other.client.id);
    const seen = await theirs.get(`/api/incidents/${id}`);
    expect(seen.status).toBe(200);
    expect(seen.body.canEdit).toBe(false);
    expect((await theirs.get('/api/incidents')).body.items.map((i: { id: string }) => i.id)).toEqual([id]);
    expect((await theirs.post(`/api/incidents/${id}/notes`, { text: 'hello' })).status).toBe(403);
    expect((await theirs.post(`/api/incidents/${id}/status`, { status: 'resolved' })).status).toBe(403);
    expect((await theirs.post(`/api/incidents/${id}/tasks`, { title: 'x' })).status).toBe(403);
    expect((await theirs.post('/api/incidents', { clientId: w.client.id, summary: 'x' })).status).toBe(403);
    expect((await stranger.get(`/api/incidents/${id}`)).status).toBe(404);
    expect((await stranger.get('/api/incidents')).body.items).toEqual([]);
    expect((await stranger.get('/api/tasks/overdue')).body.items).toEqual([]);
  });

  it('the office going silent (its agent unreachable) joins the open incident without paging again', async () => {
    const { as, db } = w;
    const agent = await insertAgent(db, w.site);
    const checks = [
      await insertCheck(db, w.systems.mail, { name: 'smtp', probe: 'agent', agent_id: agent.id }),
      await insertCheck(db, w.systems.mail, { name: 'imap', probe: 'agent', agent_id: agent.id }),
    ];
    w.hub.clock.set(at('sat', '08:00'));
    await ingestResults(
      w.hub.ctx,
      { type: 'agent', agentId: agent.id },
      checks.map((c) => ({
        checkId: c.id,
        at: at('sat', '08:00'),
        status: 'up' as const,
        latencyMs: 4,
        message: 'ok',
      })),
    );
    const opened = await as.tom.post('/api/incidents', {
      clientId: w.client.id,
      siteIds: [w.site.id],
      summary: 'Power cuts expected all weekend',
      severity: 'major',
      acknowledge: true,
    });
    expect(opened.status).toBe(201);
    const id = opened.body.id as string;
    await w.runUntil(at('sat', '08:05'));
    const mailsBefore = w.smtp.mails.length;

    // Saturday 10:00: the power goes and the agent with it. One site alert, part of the incident, no page.
    w.hub.clock.set(at('sat', '10:00'));
    await markSiteUnreachable(w.hub.ctx, w.site.id, agent.id, at('sat', '10:00'));
    await w.runUntil(at('sat', '10:30'));
    expect(w.smtp.mails.length, 'no page for an office already in an incident').toBe(mailsBefore);
    const alerts = await db.selectFrom('alerts').selectAll().where('kind', '=', 'site').execute();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.page_reason).toBe('part of incident #1: nobody is paged again');
    let incident = (await as.tom.get(`/api/incidents/${id}`)).body;
    expect(incident.alerts).toEqual([expect.objectContaining({ id: alerts[0]!.id })]);
    expect(incident.timeline.map((e: { kind: string }) => e.kind)).toContain('alert');

    // Saturday 16:00: power and agent back; the recovery is on the timeline, still nobody paged.
    w.hub.clock.set(at('sat', '16:00'));
    await markSiteReachable(w.hub.ctx, w.site.id, agent.id, at('sat', '16:00'));
    await w.runUntil(at('sat', '16:05'));
    expect(w.smtp.mails.length).toBe(mailsBefore);
    incident = (await as.tom.get(`/api/incidents/${id}`)).body;
    expect(incident.timeline.map((e: { kind: string }) => e.kind)).toContain('recovery');
  });
});
