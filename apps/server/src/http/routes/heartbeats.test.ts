import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { userWithRole } from '../../test/agent.js';
import { insertClientWithSystem } from '../../test/factories.js';
import { createTestHub, forEachDatabase, type TestHub } from '../../test/harness.js';
import { heartbeatScene, http, listen, makePingKey } from '../../test/heartbeats.js';

const run = promisify(execFile);

forEachDatabase('heartbeats API, roles, Backups screen', (dialect) => {
  let hub: TestHub;
  let base: string;
  beforeEach(async () => {
    hub = await createTestHub(dialect);
    base = await listen(hub);
  });
  afterEach(() => hub.close());

  it('validates schedules, slugs and limits with field errors', async () => {
    const { owner, system } = await heartbeatScene(hub);
    const bad = async (body: Record<string, unknown>) =>
      (await owner.post('/api/heartbeats', { systemId: system.id, name: 'x', ...body })).body.error.fields;
    expect(await bad({ schedule: { kind: 'period', periodS: 59, graceS: 3600 } })).toEqual({
      'schedule.periodS': 'must be at least 60 seconds',
    });
    expect(await bad({ schedule: { kind: 'period', periodS: 366 * 86_400 } })).toHaveProperty(['schedule.periodS']);
    expect(await bad({ schedule: { kind: 'cron', cron: '61 * * * *' } })).toEqual({
      'schedule.cron': 'is not a valid cron expression: minute: 61 is outside 0-59',
    });
    expect(await bad({ schedule: { kind: 'cron', cron: '0 2 * * *', timeZone: 'Mars/Olympus' } })).toHaveProperty([
      'schedule.timeZone',
    ]);
    expect(await bad({ slug: 'Nightly Backup' })).toEqual({ slug: 'may hold only lowercase letters, digits, - and _' });
    expect(await bad({ bodyLimit: 100_001 })).toHaveProperty(['bodyLimit']);
    const dup = await owner.post('/api/heartbeats', { systemId: system.id, name: 'Again', slug: 'nightly' });
    expect([dup.status, dup.body.error.fields]).toEqual([
      409,
      { slug: 'is already used by another heartbeat of this client' },
    ]);
    // The same slug at another client is fine.
    const other = await insertClientWithSystem(hub.ctx.db.kysely);
    expect(
      (await owner.post('/api/heartbeats', { systemId: other.system.id, name: 'Nightly', slug: 'nightly' })).status,
    ).toBe(201);
  });

  it('creates with defaults, changes the schedule (deadlines move at once), pauses and resumes, deletes', async () => {
    const { owner, heartbeat, site } = await heartbeatScene(hub);
    const got = await owner.get(`/api/heartbeats/${heartbeat.id}`);
    expect(got.body).toMatchObject({
      timeZone: site.time_zone,
      schedule: { kind: 'period', periodS: 86_400, graceS: 3600 },
      status: 'new',
      bodyLimit: 10_000,
      pingPath: `/ping/${heartbeat.id}`,
      slugPath: null,
      paused: false,
    });
    await http(`${base}/ping/${heartbeat.id}`);
    const cron = await owner.patch(`/api/heartbeats/${heartbeat.id}`, {
      schedule: { kind: 'cron', cron: '0  2 * * *', graceS: 1800 },
    });
    expect(cron.body).toMatchObject({
      schedule: { kind: 'cron', cron: '0 2 * * *', timeZone: site.time_zone, graceS: 1800 },
      expectedAt: '2026-11-21T02:00:00.000Z',
      downAt: '2026-11-21T02:30:00.000Z',
    });
    const paused = await owner.patch(`/api/heartbeats/${heartbeat.id}`, { paused: true });
    expect(paused.body).toMatchObject({ status: 'paused', expectedAt: null, downAt: null });
    expect((await http(`${base}/ping/${heartbeat.id}/fail`)).status).toBe(200);
    expect((await owner.get(`/api/heartbeats/${heartbeat.id}`)).body.status).toBe('paused');
    expect((await owner.patch(`/api/heartbeats/${heartbeat.id}`, { paused: false })).body.status).toBe('new');
    const audit = await owner.get(`/api/audit?entityType=heartbeat`);
    expect(audit.body.items.map((a: { action: string }) => a.action)).toEqual(
      expect.arrayContaining(['heartbeat.create', 'heartbeat.update', 'heartbeat.pause', 'heartbeat.resume']),
    );
    expect((await owner.delete(`/api/heartbeats/${heartbeat.id}`)).status).toBe(200);
    expect((await http(`${base}/ping/${heartbeat.id}`)).status).toBe(404);
  });

  it('lets client users read only their own heartbeats, ping key and backups, and write nothing', async () => {
    const { owner, client, heartbeat, system } = await heartbeatScene(hub);
    const key = await makePingKey(owner, client.id);
    const other = await insertClientWithSystem(hub.ctx.db.kysely);
    const theirs = await owner.post('/api/heartbeats', { systemId: other.system.id, name: 'Theirs' });
    const mine = await userWithRole(owner, 'client', client.id);
    expect(
      (await mine.get('/api/heartbeats')).body.items.map((h: { id: string; timeZone: string }) => [h.id, h.timeZone]),
    ).toEqual([[heartbeat.id, 'Europe/London']]);
    expect((await mine.get(`/api/heartbeats/${theirs.body.id}`)).status).toBe(404);
    expect((await mine.get(`/api/heartbeats/${theirs.body.id}/history`)).status).toBe(404);
    expect((await mine.get(`/api/clients/${client.id}/ping-key`)).body).toMatchObject({
      key,
      slugPathPrefix: `/ping/${key}/`,
    });
    expect((await mine.get(`/api/clients/${other.client.id}/ping-key`)).status).toBe(404);
    expect((await mine.get(`/api/clients/${other.client.id}/backups`)).status).toBe(404);
    expect((await mine.post('/api/heartbeats', { systemId: system.id, name: 'x' })).status).toBe(403);
    expect((await mine.patch(`/api/heartbeats/${heartbeat.id}`, { paused: true })).status).toBe(403);
    expect((await mine.post(`/api/clients/${client.id}/ping-key`, { rotate: true })).status).toBe(403);
    const tech = await userWithRole(owner, 'technician');
    expect((await tech.post('/api/heartbeats', { systemId: system.id, name: 'By a technician' })).status).toBe(201);
    const rotated = await owner.post(`/api/clients/${client.id}/ping-key`, { rotate: true });
    expect(rotated.body.key).not.toBe(key);
    expect((await http(`${base}/ping/${key}/nightly`)).status).toBe(404);
    expect((await http(`${base}/ping/${rotated.body.key}/nightly`)).status).toBe(200);
  });

  it('sets the ping key’s auto-create system: only the client’s own, field errors, kept on rotate, null or deleting the system turns ?create=1 off', async () => {
    const { owner, client, system } = await heartbeatScene(hub);
    const other = await insertClientWithSystem(hub.ctx.db.kysely);
    const save = (body: Record<string, unknown>) => owner.post(`/api/clients/${client.id}/ping-key`, body);
    // Setting it first also makes the key.
    const set = await save({ autoCreateSystemId: system.id });
    expect([set.status, set.body.autoCreateSystemId, typeof set.body.key]).toEqual([200, system.id, 'string']);
    const key = set.body.key as string;
    const refused = await save({ autoCreateSystemId: other.system.id });
    expect([refused.status, refused.body.error.fields]).toEqual([
      400,
      { autoCreateSystemId: 'names no system of this client' },
    ]);
    expect((await save({ autoCreateSystemId: 'not-an-id' })).body.error.fields).toEqual({
      autoCreateSystemId: 'must be an id (UUID)',
    });
    expect((await owner.get(`/api/clients/${client.id}/ping-key`)).body).toMatchObject({
      key,
      autoCreateSystemId: system.id,
    });
    const rotated = await save({ rotate: true });
    expect(rotated.body.autoCreateSystemId).toBe(system.id);
    expect((await http(`${base}/ping/${rotated.body.key}/made-by-ping?create=1`)).status).toBe(201);
    const off = await save({ autoCreateSystemId: null });
    expect([off.body.key, off.body.autoCreateSystemId]).toEqual([rotated.body.key, null]);
    expect((await http(`${base}/ping/${rotated.body.key}/another?create=1`)).text).toBe('not found');
    const audit = await owner.get(`/api/audit?entityType=client&entityId=${client.id}`);
    expect(audit.body.items.map((a: { action: string }) => a.action)).toEqual(
      expect.arrayContaining(['ping_key.create', 'ping_key.rotate', 'ping_key.update']),
    );
    // A second system of the client, then deleted: the setting goes with it.
    const spare = await owner.post('/api/systems', { siteId: system.site_id, name: 'Spare NAS', kind: 'backup_job' });
    expect((await save({ autoCreateSystemId: spare.body.id })).body.autoCreateSystemId).toBe(spare.body.id);
    expect((await owner.delete(`/api/systems/${spare.body.id}`)).status).toBe(200);
    expect((await owner.get(`/api/clients/${client.id}/ping-key`)).body.autoCreateSystemId).toBeNull();
  });

  it('works with curl the way backup scripts call it', async () => {
    const { owner, client, heartbeat } = await heartbeatScene(hub);
    const key = await makePingKey(owner, client.id);
    const curl = async (...args: string[]) =>
      (await run('curl', ['-sS', '-m', '10', '--retry', '3', ...args], { timeout: 15_000 })).stdout;
    expect(await curl(`${base}/ping/${heartbeat.id}/start`)).toBe('OK');
    expect(await curl('--data-raw', 'rsync: 42 files, 0 errors', `${base}/ping/${heartbeat.id}/0`)).toBe('OK');
    expect(await curl('-fI', `${base}/ping/${key}/nightly/log`)).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(
      await curl('-H', 'Content-Type: text/plain', '--data-binary', 'tar: exit 2', `${base}/ping/${key}/nightly/2`),
    ).toBe('OK');
    expect(await curl('-w', ' %{http_code}', `${base}/ping/${heartbeat.id}/300`)).toBe('invalid url format 400');
    const history = await owner.get(`/api/heartbeats/${heartbeat.id}/history`);
    expect(
      history.body.items.map((e: { action: string; method: string; userAgent: string }) => [
        e.action,
        e.method,
        e.userAgent.split('/')[0],
      ]),
    ).toEqual([
      ['fail', 'POST', 'curl'],
      ['log', 'HEAD', 'curl'],
      ['success', 'POST', 'curl'],
      ['start', 'GET', 'curl'],
    ]);
    expect(history.body.items[2]).toMatchObject({ body: 'rsync: 42 files, 0 errors', durationMs: 0 });
    // The last failure alone, for its output at the top of the heartbeat's screen.
    const failures = await owner.get(`/api/heartbeats/${heartbeat.id}/history?action=fail&limit=1`);
    expect(failures.body.items.map((e: { action: string; body: string }) => [e.action, e.body])).toEqual([
      ['fail', 'tar: exit 2'],
    ]);
    const successes = await owner.get(`/api/heartbeats/${heartbeat.id}/history?action=success`);
    expect(successes.body.items.map((e: { action: string }) => e.action)).toEqual(['success']);
    const bad = await owner.get(`/api/heartbeats/${heartbeat.id}/history?action=exploded`);
    expect([bad.status, Object.keys(bad.body.error.fields)]).toEqual([400, ['action']]);
  });

  it('answers the Backups screen: last result, typical run, 30 days in the site’s time zone; last night; counts', async () => {
    hub.clock.set('2026-11-01T01:00:00Z');
    const { owner, client, heartbeat, system } = await heartbeatScene(hub, {
      schedule: { kind: 'cron', cron: '0 1 * * *', graceS: 3600 },
    });
    const quiet = await owner.post('/api/heartbeats', {
      systemId: system.id,
      name: 'Quiet job',
      schedule: { kind: 'cron', cron: '0 1 * * *', graceS: 3600 },
    });
    await http(`${base}/ping/${quiet.body.id}`);
    for (let day = 1; day <= 19; day++) {
      const date = `2026-11-${String(day).padStart(2, '0')}`;
      hub.clock.set(`${date}T01:00:00Z`);
      await http(`${base}/ping/${heartbeat.id}/start`);
      hub.clock.set(`${date}T01:${String(10 + (day % 5)).padStart(2, '0')}:00Z`);
      const suffix = day === 10 ? '/fail' : '';
      if (day !== 12) await http(`${base}/ping/${heartbeat.id}${suffix}`);
      else await http(`${base}/ping/${heartbeat.id}/log`);
    }
    hub.clock.set('2026-11-20T01:30:00Z');
    await http(`${base}/ping/${heartbeat.id}/1`, { method: 'POST', body: 'disk full' });
    hub.clock.set('2026-11-20T17:00:00Z');
    const backups = await owner.get(`/api/clients/${client.id}/backups`);
    expect(backups.status).toBe(200);
    const job = backups.body.jobs.find((j: { heartbeatId: string }) => j.heartbeatId === heartbeat.id);
    expect(job).toMatchObject({
      name: 'Nightly offsite backup',
      timeZone: 'Europe/London',
      status: 'down',
      lastResult: { result: 'failure', at: '2026-11-20T01:30:00.000Z' },
      lastSuccessAt: '2026-11-19T01:14:00.000Z',
      typicalDurationMs: 12 * 60_000,
    });
    const days = Object.fromEntries(job.calendar.map((d: { date: string; result: string }) => [d.date, d.result]));
    expect(job.calendar).toHaveLength(30);
    expect([
      days['2026-10-22'],
      days['2026-11-01'],
      days['2026-11-09'],
      days['2026-11-10'],
      days['2026-11-12'],
      days['2026-11-20'],
    ]).toEqual(['none', 'success', 'success', 'failure', 'missed', 'failure']);

    const night = await owner.get('/api/backups/last-night');
    expect(night.body.items.map((i: { name: string; problem: string }) => [i.name, i.problem])).toEqual([
      ['Nightly offsite backup', 'failure'],
      ['Quiet job', 'missed'], // no detector runs here: still "up", but its 01:00 run never reported
    ]);
    expect(night.body.items[0]).toMatchObject({
      night: { from: '2026-11-19T18:00:00.000Z', to: '2026-11-20T12:00:00.000Z' },
    });
    expect(night.body.items.map((i: { detail: string }) => i.detail)).toEqual([
      'disk full',
      'no run finished overnight',
    ]);
    expect(night.body.items[0].shareLine).toMatch(
      /the backup "Nightly offsite backup" failed last night; last success Thu 19 Nov, 01:14 \(Europe\/London\)/,
    );

    const summary = await owner.get('/api/heartbeats/summary');
    expect(summary.body).toMatchObject({ failed: 1, late: 0, counts: { down: 1, up: 1 } });
    await http(`${base}/ping/${quiet.body.id}/fail`, {
      method: 'POST',
      body: '\nquota exceeded on /backup\nmore output',
    });
    const later = await owner.get('/api/backups/last-night');
    expect(later.body.items.find((i: { name: string }) => i.name === 'Quiet job')).toMatchObject({
      problem: 'down',
      detail: 'quota exceeded on /backup',
    }); // failed this afternoon: told by its output
  });
});
