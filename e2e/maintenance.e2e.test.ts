import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot } from './browser.js';
import { addClientSiteSystem, type ApiSession, type RunningHub } from './hub-process.js';
import { type OwnerHub, startOwnerHub } from './owner-hub.js';

const OWNER = { name: 'Ann Owner', email: 'ann@example.com', password: 'a long enough password' };
const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);
/**
 * "until 14:05", or "until Mon 00:05" when the window ends after midnight (UTC, the site's and the phone's zone).
 * The weekday is optional in the pattern: a run that starts a second before midnight renders after it.
 */
const untilPattern = (endMs: number) => {
  const weekday = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', weekday: 'short' }).format(endMs);
  return `until (?:${weekday} )?${hhmm(endMs)}`;
};

/**
 * Weekly maintenance from a phone: the form next to the one-off one (days, from–to in the site's time zone,
 * reason); while it is in force the site's systems, the check's screen and Now say "in maintenance" with
 * until when and why.
 */
describe.each(['sqlite', 'postgres'] as const)('maintenance on a phone [%s]', (dialect) => {
  let env: OwnerHub;
  let hub: RunningHub;
  let page: Page;
  let api: ApiSession;
  let ids: { siteId: string; checkId: string };
  let to = '';
  let until = '';
  const shot = (name: string) => screenshot(page, `${dialect}-maintenance-${name}`);

  beforeAll(async () => {
    env = await startOwnerHub(dialect, OWNER);
    hub = env.hub;
    api = env.api;
    const scene = await addClientSiteSystem(api, {
      client: 'Harbour Dental',
      site: 'High Street office',
      timeZone: 'UTC',
      system: 'FS01',
      kind: 'server',
    });
    const check = await api.call('POST', '/api/checks', {
      systemId: scene.systemId,
      name: 'Remote desktop',
      kind: 'tcp',
      params: { host: '127.0.0.1', port: 9 },
      intervalS: 300,
      timeoutMs: 2000,
    });
    expect(check.status).toBe(201);
    ids = { siteId: scene.siteId, checkId: check.body.id };
    ({ page } = await env.phone({ timezoneId: 'UTC', locale: 'en-GB' }));
  });
  afterAll(async () => {
    await env?.close();
  });

  it('weekly maintenance is set from the site screen; the systems list says so, until when and why', async () => {
    // Every day, from an hour ago to an hour ahead (UTC, the site's zone): in force now whatever the time.
    const nowMs = Date.now();
    const from = hhmm(nowMs - 3600_000);
    to = hhmm(nowMs + 3600_000);
    until = untilPattern(nowMs + 3600_000);
    await page.goto(`${hub.url}/sites/${ids.siteId}`);
    await page.getByRole('button', { name: 'Start maintenance' }).click();
    const form = page.getByRole('form', { name: 'Start maintenance' });
    await form.getByText('Every week').click();
    await form.getByLabel('Reason').fill('Patch night');
    for (const day of ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']) await form.getByLabel(day, { exact: true }).check();
    await form.getByLabel('From').fill(from);
    await form.getByLabel('To').fill(to);
    await form.getByText('In the site’s time zone (UTC)').waitFor();
    await shot('weekly-form');
    await form.getByRole('button', { name: 'Add weekly maintenance' }).click();
    const windows = page.getByRole('list', { name: 'Maintenance windows' });
    await windows.getByText('In maintenance now').waitFor();
    const every = `Every Mon, Tue, Wed, Thu, Fri, Sat, Sun ${from}–${to} · now, `;
    await windows.getByText(new RegExp(`${every}${until} ·`)).waitFor();
    const systems = page.getByRole('list', { name: 'Systems' });
    await systems.getByText(new RegExp(`${until} · Patch night`)).waitFor();
    await shot('site');
    const [w] = (await api.call('GET', `/api/maintenance?siteId=${ids.siteId}&active=true`)).body.items;
    expect(w).toMatchObject({ kind: 'weekly', startTime: from, endTime: to, timeZone: 'UTC', reason: 'Patch night' });
  });

  it("the check's screen and Now show it", async () => {
    await page.goto(`${hub.url}/checks/${ids.checkId}`);
    await page.getByText(new RegExp(`${until} · Patch night`)).waitFor();
    await shot('check');
    await page.goto(`${hub.url}/`);
    await page.getByText(new RegExp(`${until} · Patch night`)).waitFor();
    await shot('now');
  });

  it('a weekly window with no day is refused, naming the field', async () => {
    await page.goto(`${hub.url}/sites/${ids.siteId}`);
    await page.getByRole('button', { name: 'Start maintenance' }).click();
    const form = page.getByRole('form', { name: 'Start maintenance' });
    await form.getByText('Every week').click();
    await form.getByLabel('Reason').fill('Nothing');
    await form.getByLabel('Sun', { exact: true }).uncheck();
    await form.getByRole('button', { name: 'Add weekly maintenance' }).click();
    await form.getByText('Days needs at least one day').waitFor();
  });

  it('maintenance for some systems only: the ticked ones, named on the window', async () => {
    const mail = await api.call('POST', '/api/systems', { siteId: ids.siteId, name: 'MAIL', kind: 'server' });
    expect(mail.status).toBe(201);
    await page.goto(`${hub.url}/sites/${ids.siteId}`);
    await page.getByRole('button', { name: 'Start maintenance' }).click();
    const form = page.getByRole('form', { name: 'Start maintenance' });
    await form.getByText('None ticked: the whole site is in maintenance.').waitFor();
    await form.getByLabel('Reason').fill('Mail server upgrade');
    await form.getByLabel('MAIL', { exact: true }).check();
    await form.getByText('Only the ticked systems are in maintenance; the rest page as usual.').waitFor();
    await shot('some-systems-form');
    await form.getByRole('button', { name: 'Start' }).click();
    const windows = page.getByRole('list', { name: 'Maintenance windows' });
    await windows.getByText('Mail server upgrade').waitFor();
    await windows.getByText(/by Ann Owner · MAIL$/).waitFor();
    await shot('some-systems');
    const active = (await api.call('GET', `/api/maintenance?siteId=${ids.siteId}&active=true`)).body.items;
    expect(active.find((w: { reason: string }) => w.reason === 'Mail server upgrade')).toMatchObject({
      kind: 'once',
      systemIds: [mail.body.id],
    });
  });
});
