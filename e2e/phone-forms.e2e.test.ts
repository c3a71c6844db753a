import { createServer, type Server } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot } from './browser.js';
import type { RunningHub } from './hub-process.js';
import { type OwnerHub, startOwnerHub } from './owner-hub.js';

const OWNER = { name: 'Ann Owner', email: 'ann@example.com', password: 'a long enough password' };

/**
 * More of what a technician met on the phone, fixed: the time zone field says nothing while one types
 * and offers zones to tap, a new site starts in its client's zone; the audit log filters checks and
 * heartbeats and reads "UPS → …" rather than ids and JSON; a new check's latency chart shows its first
 * results, with text at body size and a sane height at desktop width. Both databases.
 */
describe.each(['sqlite', 'postgres'] as const)('forms, audit and chart on the phone [%s]', (dialect) => {
  let env: OwnerHub;
  let hub: RunningHub;
  let page: Page;
  let server: Server;
  let ids: { client: string; checkId: string };
  const shot = (name: string) => screenshot(page, `${dialect}-forms-${name}`);

  beforeAll(async () => {
    server = createServer((socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    env = await startOwnerHub(dialect, OWNER);
    hub = env.hub;
    const { api } = env;
    const made = async (path: string, body: Record<string, unknown>): Promise<string> => {
      const res = await api.call('POST', path, body);
      expect(res.status, `${path} ${JSON.stringify(res.body)}`).toBe(201);
      return res.body.id as string;
    };
    const client = await made('/api/clients', {
      name: 'Harbour Dental',
      contract: {
        supportHours: {
          kind: 'weekly',
          timeZone: 'Europe/Dublin',
          windows: [{ day: 'mon', start: '08:00', end: '18:00' }],
        },
        responseTargetMinutes: 30,
      },
    });
    const site = await made('/api/sites', { clientId: client, name: 'High Street office', timeZone: 'Europe/Dublin' });
    const ups = await made('/api/systems', { siteId: site, name: 'UPS', kind: 'ups' });
    const host = await made('/api/systems', { siteId: site, name: 'Hyper-V host', kind: 'hypervisor' });
    expect((await api.call('PATCH', `/api/systems/${host}`, { dependsOn: [ups] })).status).toBe(200);
    const checkId = await made('/api/checks', {
      systemId: host,
      name: 'Management port',
      kind: 'tcp',
      params: { host: '127.0.0.1', port },
      intervalS: 10,
      timeoutMs: 2000,
    });
    for (let i = 0; i < 4; i++) expect((await api.call('POST', `/api/checks/${checkId}/run`)).status).toBe(200);
    await made('/api/heartbeats', {
      systemId: host,
      name: 'Nightly backup',
      schedule: { kind: 'period', periodS: 86_400, graceS: 3_600 },
    });
    ids = { client, checkId };
    ({ page } = await env.phone({ timezoneId: 'UTC', locale: 'en-GB' }));
  });
  afterAll(async () => {
    await env?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('starts a new site in its client’s zone, and helps rather than scolds while a zone is typed', async () => {
    await page.goto(`${hub.url}/clients/${ids.client}`);
    await page.getByRole('button', { name: 'Add site' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add site' });
    const zone = dialog.getByLabel('Time zone', { exact: true });
    await expect.poll(() => zone.inputValue()).toBe('Europe/Dublin');

    await zone.fill('');
    await zone.pressSequentially('new yo');
    const suggestions = dialog.getByRole('group', { name: 'Matching zones' });
    await suggestions.getByRole('button', { name: 'America/New_York' }).waitFor();
    await expect(dialog.getByText('is not a known time zone').count()).resolves.toBe(0);
    await shot('01-zone-typing');

    // Leaving the field with no zone picked: now it says so.
    await dialog.getByLabel('Site name').click();
    await dialog.getByText('Time zone is not a known time zone').waitFor();
    await shot('02-zone-left');
    await suggestions.getByRole('button', { name: 'America/New_York' }).click();
    await expect.poll(() => zone.inputValue()).toBe('America/New_York');
    await expect(dialog.getByText('is not a known time zone').count()).resolves.toBe(0);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  it('filters the audit log by checks and heartbeats and reads changes as names, before → after', async () => {
    await page.goto(`${hub.url}/settings/audit`);
    const show = page.getByLabel('Show');
    const events = page.getByRole('list', { name: 'Audit events' });
    await show.selectOption({ label: 'Checks' });
    // Added, then run now four times: every entry is about the check, and only those.
    await expect
      .poll(async () =>
        (await events.getByRole('listitem').allTextContents()).map((t) => t.includes('Management port')),
      )
      .toEqual([true, true, true, true, true]);
    await show.selectOption({ label: 'Heartbeats' });
    await expect
      .poll(() => events.getByRole('listitem').allTextContents())
      .toEqual([expect.stringContaining('Nightly backup')]);
    await show.selectOption({ label: 'Systems' });
    const update = events
      .getByRole('listitem')
      .filter({ hasText: /Hyper-V host/ })
      .first();
    await update.waitFor();
    const changed = update.getByText(/What changed/);
    await changed.click();
    const details = update.locator('dl');
    await expect.poll(() => details.textContent()).toContain('Depends onnone → UPS');
    await expect(details.textContent()).resolves.not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}/);
    await shot('03-audit');
  });

  it('draws a new check’s first results across the chart, text at body size, sane at desktop width', async () => {
    await page.goto(`${hub.url}/checks/${ids.checkId}`);
    const section = page.getByRole('region', { name: /Latency, since the first result/ });
    await section.waitFor();
    // Four runs now, then one every 10 s: six or more results over half a minute or so, spread across
    // the chart rather than piled into one slot of an empty day.
    const dots = section.locator('circle.chart-dot');
    await expect.poll(() => dots.count(), { timeout: 45_000 }).toBeGreaterThanOrEqual(6);
    // Before, all of them fell in one 15-minute slot of the day: one dot.
    const xs = await dots.evaluateAll((els) => els.map((el) => Math.round(Number(el.getAttribute('cx')))));
    expect(new Set(xs).size).toBeGreaterThanOrEqual(3);
    const fontSize = () =>
      section
        .locator('text.chart-label')
        .first()
        .evaluate((el) => getComputedStyle(el).fontSize);
    const body = await page.evaluate(() => getComputedStyle(document.body).fontSize);
    await expect(fontSize()).resolves.toBe(body);
    await section.scrollIntoViewIfNeeded();
    await shot('04-chart-phone');

    await page.setViewportSize({ width: 1280, height: 800 });
    const svg = section.locator('svg');
    await expect.poll(async () => (await svg.boundingBox())?.width ?? 0).toBeGreaterThan(600);
    expect((await svg.boundingBox())?.height).toBe(180);
    await expect(fontSize()).resolves.toBe(body);
    await section.screenshot({ path: `e2e/artifacts/${dialect}-forms-05-chart-desktop.png` });
    await page.setViewportSize({ width: 390, height: 844 });
  });
});
