import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { phoneContext, screenshot, signIn } from './browser.js';
import { addClientSiteSystem } from './hub-process.js';
import { type OwnerHub, startOwnerHub } from './owner-hub.js';

const OWNER = { name: 'Ann Owner', email: 'ann@example.com', password: 'a long enough password' };

/**
 * On a phone in New York, for an office in Berlin: planned outages in the site's time, a checklist schedule
 * changed, a note that stays the team's, a report link that expires; and the client's own user sees the
 * site's power without its set-up.
 */
describe.each(['sqlite', 'postgres'] as const)('site and incident gaps on a phone [%s]', (dialect) => {
  let env: OwnerHub;
  let page: Page;
  let ids: { clientId: string; siteId: string; systemId: string };
  const shot = (p: Page, name: string) => screenshot(p, `${dialect}-gaps-${name}`);

  beforeAll(async () => {
    env = await startOwnerHub(dialect, OWNER);
    ids = await addClientSiteSystem(env.api, {
      client: 'Harbour Dental',
      site: 'Berlin office',
      timeZone: 'Europe/Berlin',
      system: 'dc01',
      kind: 'server',
    });
    await env.ok('POST', `/api/sites/${ids.siteId}/power/ups`, {
      name: 'Office UPS',
      kind: 'nut',
      settings: { host: 'ups.berlin.internal', ups: 'office', username: 'upsmon', password: 'ups-secret' },
    });
    await env.ok('PUT', `/api/systems/${ids.systemId}/power`, {
      shutdown: { kind: 'ssh', settings: { host: 'dc01.berlin.internal', username: 'root', password: 'x-secret' } },
      startup: null,
    });
    await env.ok('POST', '/api/checklists', {
      name: 'Monday opening',
      body: { sections: [{ title: 'Office', steps: [{ key: 'lights', title: 'Lights on', kind: 'manual' }] }] },
    });
    ({ page } = await env.phone({ timezoneId: 'America/New_York' }));
  }, 60_000);
  afterAll(async () => {
    await env?.close();
  });

  it('takes a planned outage in the site’s time, whatever the phone’s zone', async () => {
    await page.goto(`${env.hub.url}/sites/${ids.siteId}`);
    await page.getByRole('button', { name: 'Add planned outage' }).click();
    const form = page.getByRole('form', { name: 'Add planned outage' });
    await expect.poll(() => form.textContent()).toContain('Times at the site (Europe/Berlin)');
    await form.getByLabel('From', { exact: true }).fill('2026-12-24T08:00');
    await form.getByLabel('To', { exact: true }).fill('2026-12-24T16:00');
    await form.getByLabel('Note', { exact: true }).fill('Street works');
    await shot(page, '1-outage-form');
    await form.getByRole('button', { name: 'Add' }).click();
    await expect
      .poll(() => page.getByLabel('Planned outages', { exact: true }).textContent())
      .toContain('Street works');
    const power = await env.ok('GET', `/api/sites/${ids.siteId}/power`);
    expect(power.outages[0]).toMatchObject({
      startsAt: '2026-12-24T07:00:00.000Z',
      endsAt: '2026-12-24T15:00:00.000Z',
    });
  });

  it('changes a checklist schedule', async () => {
    await page.goto(`${env.hub.url}/sites/${ids.siteId}`);
    await page.getByRole('button', { name: 'Schedule', exact: true }).click();
    await page.getByRole('button', { name: 'Save schedule' }).click();
    const list = page.getByLabel('Checklist schedules', { exact: true });
    await expect.poll(() => list.textContent()).toContain('0 6 * * mon');
    await list.getByRole('button', { name: 'Edit Monday opening schedule' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('When (cron, site time)').fill('30 7 * * mon');
    await shot(page, '2-schedule-edit');
    await dialog.getByRole('button', { name: 'Save schedule' }).click();
    await expect.poll(() => list.textContent()).toContain('30 7 * * mon');
    const schedules = await env.ok('GET', `/api/checklist-schedules?siteId=${ids.siteId}`);
    expect(schedules.items.map((s: { cron: string }) => s.cron)).toEqual(['30 7 * * mon']);
  });

  it('keeps a note the team’s unless told otherwise; a report link works 7 days', async () => {
    const incident = await env.ok('POST', '/api/incidents', {
      clientId: ids.clientId,
      siteIds: [ids.siteId],
      summary: 'Power going on and off',
      acknowledge: true,
    });
    await page.goto(`${env.hub.url}/incidents/${incident.id}`);
    await page.getByLabel('Note', { exact: true }).fill('Their admin unplugged the UPS');
    expect(await page.getByLabel('Only the team sees this').isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    const timeline = page.getByRole('list', { name: 'Timeline' });
    await expect.poll(() => timeline.textContent()).toContain('Their admin unplugged the UPS');
    expect(await timeline.textContent()).toContain('Team only');
    await page.getByLabel('Note', { exact: true }).fill('Power is back at the office');
    await page.getByLabel('Only the team sees this').uncheck();
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await expect.poll(() => timeline.textContent()).toContain('Power is back at the office');
    await shot(page, '3-notes');

    await page.goto(`${env.hub.url}/incidents/${incident.id}/report`);
    await page.getByRole('radio', { name: '7 days' }).check();
    await page.getByRole('button', { name: 'New link' }).click();
    const links = page.getByRole('list', { name: 'Report links' });
    await expect.poll(() => links.textContent()).toContain('Expires');
    await shot(page, '4-share-link');
    const report = await env.ok('GET', `/api/incidents/${incident.id}/report`);
    const texts = report.timeline.map((e: { text: string }) => e.text);
    expect(texts).toContain('Power is back at the office');
    expect(texts).not.toContain('Their admin unplugged the UPS');
  });

  it('shows the client’s own user whether the site is protected, and nothing of how machines are reached', async () => {
    await env.ok('POST', '/api/users', {
      email: 'dana@harbour.example',
      name: 'Dana Reyes',
      role: 'client',
      clientId: ids.clientId,
      password: 'a long enough password',
    });
    const browser = page.context().browser()!;
    const client = await (await phoneContext(browser)).newPage();
    await signIn(client, env.hub.url, { email: 'dana@harbour.example', password: 'a long enough password' });
    await client.goto(`${env.hub.url}/sites/${ids.siteId}`);
    const protection = client.getByLabel('Power protection', { exact: true });
    await expect.poll(() => protection.textContent()).toContain('Power protected: yes');
    const text = (await client.locator('main').textContent()) ?? '';
    for (const secret of ['ups.berlin.internal', 'dc01.berlin.internal', 'upsmon', 'Dry-run', 'Setup: UPS'])
      expect(text).not.toContain(secret);
    // The firm's checklists and schedules are the team's: no run here yet, so no Checklists section at all.
    expect(await client.getByRole('heading', { name: 'Checklists', exact: true }).count()).toBe(0);
    await shot(client, '5-client-power');

    // Once a checklist has run at the site, the client sees the run, and only that.
    const { items } = await env.ok('GET', `/api/checklists?siteId=${ids.siteId}`);
    await env.ok('POST', '/api/checklist-runs', { templateId: items[0].id, siteId: ids.siteId });
    await client.reload();
    const runs = client.getByLabel('Recent checklist runs', { exact: true });
    await expect.poll(() => runs.textContent()).toContain('Monday opening');
    const checklists = client.locator('section', { has: client.getByRole('heading', { name: 'Checklists' }) });
    const section = (await checklists.textContent()) ?? '';
    expect(section).not.toContain('30 7 * * mon');
    expect(await checklists.getByRole('button').count()).toBe(0);
    await checklists.scrollIntoViewIfNeeded();
    await shot(client, '6-client-checklist-run');
  });
});
