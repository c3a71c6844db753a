import { afterEach, beforeEach, expect, it } from 'vitest';
import { OWNER, TestAgent, userWithRole } from '../../test/agent.js';
import { createTestHub, forEachDatabase, type TestHub } from '../../test/harness.js';

forEachDatabase('dates and times: the firm’s locale and clock, and each user’s own', (dialect) => {
  let hub: TestHub;
  beforeEach(async () => {
    hub = await createTestHub(dialect);
  });
  afterEach(() => hub.close());

  const setup = async (display?: unknown) => {
    const res = await hub.app.inject({
      method: 'POST',
      url: '/api/setup',
      payload: { ...OWNER, ...(display ? { display } : {}) },
    });
    return res;
  };
  const agentOf = (res: Awaited<ReturnType<typeof setup>>) =>
    new TestAgent(hub, {
      cookie: String(res.headers['set-cookie']).split(';')[0] ?? '',
      csrf: res.json().csrfToken,
    });

  it('starts from the owner’s browser at setup and applies to every user', async () => {
    const res = await setup({ locale: 'en-GB', clock: '24h' });
    expect(res.statusCode).toBe(200);
    expect(res.json().display).toEqual({ locale: 'en-GB', clock: '24h' });
    const owner = agentOf(res);
    const tech = await userWithRole(owner, 'technician');
    expect((await tech.get('/api/auth/session')).body.display).toEqual({ locale: 'en-GB', clock: '24h' });
    expect((await tech.get('/api/settings/display')).body).toEqual({ locale: 'en-GB', clock: '24h' });

    expect((await owner.get('/api/settings/display')).body).toEqual({ locale: 'en-GB', clock: '24h' });
    const audit = await owner.get('/api/audit?entityType=settings');
    expect(audit.body.items.map((a: { action: string; summary: string }) => [a.action, a.summary])).toEqual([
      ['settings.display', 'Dates and times: en-GB, 24-hour clock (from the owner’s browser at setup)'],
    ]);
  });

  it('lets owners and admins change the firm’s, a user override theirs, and refuses bad values', async () => {
    const owner = agentOf(await setup());
    expect((await owner.get('/api/settings/display')).body).toEqual({ locale: null, clock: null });
    const changed = await owner.patch('/api/settings/display', { locale: 'en-US', clock: '12h' });
    expect([changed.status, changed.body]).toEqual([200, { locale: 'en-US', clock: '12h' }]);

    const tech = await userWithRole(owner, 'technician');
    expect((await tech.patch('/api/settings/display', { clock: '24h' })).status).toBe(403);
    const mine = await tech.patch('/api/me', { display: { clock: '24h' } });
    expect([mine.status, mine.body.display]).toEqual([200, { locale: null, clock: '24h' }]);
    // Each field: the user's own, else the firm's.
    expect((await tech.get('/api/auth/session')).body.display).toEqual({ locale: 'en-US', clock: '24h' });
    expect((await owner.get('/api/auth/session')).body.display).toEqual({ locale: 'en-US', clock: '12h' });
    const back = await tech.patch('/api/me', { display: { clock: null } });
    expect(back.body.display).toEqual({ locale: null, clock: null });
    expect((await tech.get('/api/auth/session')).body.display).toEqual({ locale: 'en-US', clock: '12h' });

    for (const [body, field] of [
      [{ clock: '25h' }, 'clock'],
      [{ locale: 'not a locale!' }, 'locale'],
      [{ locale: 'x'.repeat(100) }, 'locale'],
      [{ colour: 'red' }, 'colour'],
    ] as const) {
      const bad = await owner.patch('/api/settings/display', body);
      expect([bad.status, Object.keys(bad.body.error.fields ?? {})]).toEqual([400, [field]]);
    }
    const badMe = await tech.patch('/api/me', { display: { locale: '???' } });
    expect([badMe.status, Object.keys(badMe.body.error.fields)]).toEqual([400, ['display.locale']]);
    const badSetup = await hub.app.inject({
      method: 'POST',
      url: '/api/setup',
      payload: { ...OWNER, display: { locale: 'en-GB', clock: 'sundial' } },
    });
    expect(badSetup.statusCode).toBe(400);
  });
});
