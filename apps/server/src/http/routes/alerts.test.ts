import { afterEach, beforeEach, expect, it } from 'vitest';
import { ackLink, openLink } from '../../domain/alerts/links.js';
import { openAlert } from '../../domain/alerts/lifecycle.js';
import { insertClientWithSystem, insertUser, signedInAs } from '../../test/factories.js';
import { createTestHub, forEachDatabase, type TestHub } from '../../test/harness.js';

forEachDatabase('alert routes', (dialect) => {
  let hub: TestHub;
  beforeEach(async () => {
    hub = await createTestHub(dialect, { publicUrl: 'https://desk.example' });
  });
  afterEach(async () => {
    await hub.close();
  });
  const db = () => hub.ctx.db.kysely;

  async function anAlert() {
    const scene = await insertClientWithSystem(db());
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
            at: hub.clock.now().toISOString(),
          },
          hub.clock.now().toISOString(),
        ),
      );
    return { ...scene, alert };
  }

  it('a technician acknowledges and resolves in one tap each; both are audited and on the timeline', async () => {
    const { alert } = await anAlert();
    const tech = await signedInAs(hub, 'technician');
    const list = await tech.get('/api/alerts');
    expect(list.status).toBe(200);
    expect(list.body.items.map((a: { id: string }) => a.id)).toEqual([alert.id]);
    const acked = await tech.post(`/api/alerts/${alert.id}/acknowledge`);
    expect(acked.status).toBe(200);
    expect(acked.body).toMatchObject({ state: 'acknowledged', acknowledgedBy: { name: expect.any(String) } });
    const resolved = await tech.post(`/api/alerts/${alert.id}/resolve`);
    expect(resolved.body).toMatchObject({ state: 'resolved', resolution: 'person' });
    const detail = await tech.get(`/api/alerts/${alert.id}`);
    expect(detail.body.timeline.map((e: { kind: string }) => e.kind)).toEqual(['opened', 'acknowledged', 'resolved']);
    const audit = await db().selectFrom('audit_events').select('action').where('entity_id', '=', alert.id).execute();
    expect(audit.map((a) => a.action).sort()).toEqual(['alert.acknowledge', 'alert.resolve']);
    expect((await tech.get('/api/alerts')).body.items).toEqual([]);
    expect((await tech.get('/api/alerts?state=resolved')).body.items).toHaveLength(1);
  });

  it('client accounts see their own firm’s alerts read-only, and nothing of other firms', async () => {
    const { alert, client } = await anAlert();
    const other = await insertClientWithSystem(db());
    const mine = await signedInAs(hub, 'client', client.id);
    const theirs = await signedInAs(hub, 'client', other.client.id);
    const seen = await mine.get(`/api/alerts/${alert.id}`);
    expect(seen.status).toBe(200);
    expect(seen.body.alert.paged).toEqual([]);
    expect(seen.body.deliveries).toEqual([]);
    expect((await mine.post(`/api/alerts/${alert.id}/acknowledge`)).status).toBe(403);
    expect((await theirs.get(`/api/alerts/${alert.id}`)).status).toBe(404);
    expect((await theirs.get('/api/alerts')).body.items).toEqual([]);
    expect((await mine.get('/api/escalation-policies')).status).toBe(403);
  });

  it('only owners and admins edit policies; bad input is a 400 naming the field', async () => {
    const tech = await signedInAs(hub, 'technician');
    const admin = await signedInAs(hub, 'admin');
    const user = await insertUser(db(), 'technician');
    const body = { name: 'Nights', steps: [{ targets: [{ type: 'user', id: user.id }], waitMinutes: 5 }], repeat: 2 };
    expect((await tech.post('/api/escalation-policies', body)).status).toBe(403);
    const created = await admin.post('/api/escalation-policies', body);
    expect(created.status).toBe(201);
    const bad = await admin.post('/api/escalation-policies', { ...body, steps: [{ targets: [], waitMinutes: 0 }] });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error.fields)).toEqual(
      expect.arrayContaining(['steps.0.targets', 'steps.0.waitMinutes']),
    );
    const patched = await admin.patch(`/api/escalation-policies/${created.body.id}`, { isDefault: true });
    expect(patched.body.isDefault).toBe(true);
    const audit = await db()
      .selectFrom('audit_events')
      .select('action')
      .where('entity_type', '=', 'escalation_policy')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['escalation_policy.create', 'escalation_policy.update']);
  });

  it('maintenance windows: opened from a site, validated, listed as active, ended', async () => {
    const { site } = await anAlert();
    const tech = await signedInAs(hub, 'technician');
    const missing = await tech.post(`/api/sites/${site.id}/maintenance`, {
      kind: 'once',
      endsAt: '2026-11-20T20:00:00Z',
    });
    expect(missing.status).toBe(400);
    expect(missing.body.error.fields).toHaveProperty('reason');
    const opened = await tech.post(`/api/sites/${site.id}/maintenance`, {
      kind: 'once',
      endsAt: '2026-11-20T20:00:00Z',
      reason: 'Replacing the UPS batteries',
    });
    expect(opened.status).toBe(201);
    expect(opened.body).toMatchObject({ active: true, source: 'person', siteName: site.name });
    const weekly = await tech.post(`/api/sites/${site.id}/maintenance`, {
      kind: 'weekly',
      days: ['sun'],
      startTime: '02:00',
      endTime: '04:00',
      reason: 'Patch night',
    });
    expect(weekly.status).toBe(201);
    expect((await tech.get(`/api/maintenance?siteId=${site.id}&active=true`)).body.items).toHaveLength(1);
    const ended = await tech.post(`/api/maintenance/${opened.body.id}/end`);
    expect(ended.body.active).toBe(false);
  });

  it('the link in a page: the GET shows a button and acknowledges nothing; the POST acknowledges; forgeries are refused', async () => {
    const { alert } = await anAlert();
    const tech = await insertUser(db(), 'technician');
    const link = ackLink(hub.ctx, { type: 'alert', id: alert.id }, tech.id);
    expect(link.startsWith('https://desk.example/l/ack?t=')).toBe(true);
    const path = link.slice('https://desk.example'.length);
    const token = new URL(link).searchParams.get('t')!;
    const preview = await hub.app.inject({ method: 'GET', url: path });
    expect(preview.statusCode).toBe(200);
    expect(preview.body).toContain('<button type="submit">Acknowledge</button>');
    expect((await db().selectFrom('alerts').select('state').executeTakeFirstOrThrow()).state).toBe('open');
    const post = (t: string) =>
      hub.app.inject({
        method: 'POST',
        url: '/l/ack',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: `t=${encodeURIComponent(t)}`,
      });
    expect((await post(`${token.slice(0, -2)}xx`)).statusCode).toBe(410);
    expect((await post(token)).body).toContain('Acknowledged');
    expect(await db().selectFrom('alerts').select(['state', 'acknowledged_by']).executeTakeFirstOrThrow()).toEqual({
      state: 'acknowledged',
      acknowledged_by: tech.id,
    });
    // A day later the link has expired.
    hub.clock.advance(25 * 3600_000);
    expect((await hub.app.inject({ method: 'GET', url: path })).statusCode).toBe(410);
    const open = openLink(hub.ctx, { type: 'alert', id: alert.id });
    const redirect = await hub.app.inject({ method: 'GET', url: open.slice('https://desk.example'.length) });
    expect(redirect.statusCode).toBe(303);
    expect(redirect.headers.location).toBe(`/alerts/${alert.id}`);
  });
});
