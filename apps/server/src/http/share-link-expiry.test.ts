import { afterAll, beforeAll, expect, it } from 'vitest';
import { setupOwner, type TestAgent } from '../test/agent.js';
import { standardChecklist } from '../test/checklists.js';
import { insertClientWithSystem, signedInAs } from '../test/factories.js';
import { createTestHub, forEachDatabase, type TestHub } from '../test/harness.js';

const DAY = 86_400_000;

/** Report links of both kinds work for the days chosen when made (30 by default, or until revoked), then say they expired. */
forEachDatabase('share links expire', (dialect) => {
  let hub: TestHub;
  let owner: TestAgent;
  let paths: { make: string; open: string }[];
  beforeAll(async () => {
    hub = await createTestHub(dialect, { publicUrl: 'https://desk.example' });
    hub.clock.set('2026-12-06T09:00:00.000Z');
    owner = await setupOwner(hub);
    const scene = await insertClientWithSystem(hub.ctx.db.kysely);
    const incident = await owner.post('/api/incidents', { clientId: scene.client.id, summary: 'Power cut' });
    const template = await owner.post('/api/checklists', standardChecklist());
    const run = await owner.post('/api/checklist-runs', { templateId: template.body.id, siteId: scene.site.id });
    paths = [
      { make: `/api/incidents/${incident.body.id}/report-links`, open: '/api/public/incident-reports/' },
      { make: `/api/checklist-runs/${run.body.id}/report-links`, open: '/api/public/checklist-reports/' },
    ];
  });
  afterAll(() => hub.close());

  const open = async (prefix: string, url: string) =>
    hub.app.inject({ url: `${prefix}${url.split('/').pop()}` }).then((r) => ({ status: r.statusCode, body: r.json() }));

  it('works until its expiry (30 days unless chosen, or never), then answers 410 saying when; revoking still works', async () => {
    for (const { make, open: prefix } of paths) {
      hub.clock.set('2026-12-06T09:00:00.000Z');
      const made = await owner.post(make);
      expect(made.status, JSON.stringify(made.body)).toBe(201);
      const byDefault = made.body;
      expect(byDefault.expiresAt).toBe(new Date(Date.parse('2026-12-06T09:00:00.000Z') + 30 * DAY).toISOString());
      const week = (await owner.post(make, { expiresInDays: 7 })).body;
      expect(week.expiresAt).toBe('2026-12-13T09:00:00.000Z');
      const never = (await owner.post(make, { expiresInDays: null })).body;
      expect(never.expiresAt).toBeNull();
      const revoked = (await owner.post(make, { expiresInDays: null })).body;
      expect((await owner.delete(`/api/share-links/${revoked.id}`)).status).toBe(200);
      const bad = await owner.post(make, { expiresInDays: 0 });
      expect(bad.status).toBe(400);
      expect(bad.body.error.fields).toEqual({ expiresInDays: 'must be 1 to 365 days, or null for never' });
      expect((await owner.post(make, { expiresInDays: 'soon' })).status).toBe(400);
      const listed = (await owner.get(make)).body.items;
      expect(listed.find((l: { id: string }) => l.id === week.id).expiresAt).toBe('2026-12-13T09:00:00.000Z');

      hub.clock.set('2026-12-13T08:59:00.000Z');
      expect((await open(prefix, week.url)).status).toBe(200);
      hub.clock.set('2026-12-13T09:00:00.000Z');
      expect(await open(prefix, week.url)).toEqual({
        status: 410,
        body: { error: { code: 'link_expired', message: 'This link expired on 2026-12-13 09:00 UTC' } },
      });
      expect((await open(prefix, byDefault.url)).status).toBe(200);
      expect((await open(prefix, revoked.url)).status).toBe(404);
      hub.clock.set('2027-06-01T00:00:00.000Z');
      expect((await open(prefix, byDefault.url)).status).toBe(410);
      expect((await open(prefix, never.url)).status).toBe(200);
      // Months later (the owner's session long gone): a colleague revokes it.
      const colleague = await signedInAs(hub, 'technician');
      expect((await colleague.delete(`/api/share-links/${never.id}`)).status).toBe(200);
      expect((await open(prefix, never.url)).status).toBe(404);
    }
  });
});
