import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, phoneContext, screenshot, signIn } from './browser.js';
import {
  addClientSiteSystem,
  createStorage,
  setUpOwner,
  startHub,
  type HubStorage,
  type RunningHub,
} from './hub-process.js';

const OWNER = { name: 'Ann Owner', email: 'ann@example.com', password: 'a long enough password' };
const OUTPUT =
  'ERROR: offsite target unreachable (connection refused)\nrsync error: some files could not be transferred (code 23)';

/**
 * "Did last night's backup succeed?" from a phone: a backup job's heartbeat is set up through the API,
 * a script reports a failure to its ping URL, and the technician finds it under Backups with what went
 * wrong, shares the line for the client, and opens the job to read its output. Both databases; the
 * screenshots are kept in e2e/artifacts/.
 */
describe.each(['sqlite', 'postgres'] as const)('backups on a phone [%s]', (dialect) => {
  let storage: HubStorage;
  let hub: RunningHub;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let clientId: string;
  let heartbeatId: string;
  const shot = (name: string, p = page) => screenshot(p, `${dialect}-backups-${name}`);

  beforeAll(async () => {
    storage = await createStorage(dialect);
    hub = await startHub(storage);
    const api = await setUpOwner(hub, OWNER);
    const scene = await addClientSiteSystem(api, {
      client: 'Harbour Dental',
      site: 'High Street office',
      timeZone: 'Europe/London',
      system: 'Offsite backup',
    });
    clientId = scene.clientId;
    const heartbeat = await api.call('POST', '/api/heartbeats', {
      systemId: scene.systemId,
      name: 'Nightly offsite backup',
      schedule: { kind: 'period', periodS: 86_400, graceS: 3_600 },
    });
    expect(heartbeat.status).toBe(201);
    heartbeatId = heartbeat.body.id;

    // The backup script: start, then the failure with its output, the way curl sends it.
    const rid = '6f1c0e8a-2f5a-4d7e-9a52-5d6f1c0e8a11';
    expect(
      (await fetch(`${hub.url}/ping/${heartbeatId}/start?rid=${rid}`, { signal: AbortSignal.timeout(5000) })).status,
    ).toBe(200);
    const failed = await fetch(`${hub.url}/ping/${heartbeatId}/fail?rid=${rid}`, {
      method: 'POST',
      body: OUTPUT,
      headers: { 'user-agent': 'curl/8.5.0' },
      signal: AbortSignal.timeout(5000),
    });
    expect([failed.status, await failed.text()]).toEqual([200, 'OK']);

    browser = await launchChromium();
    context = await phoneContext(browser);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: hub.url });
    page = await context.newPage();
    await signIn(page, hub.url, OWNER);
  });
  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
    await storage?.destroy();
  });

  it('finds the failed job under Backups, in one tap, with what went wrong, and shares the line for the client', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Backups' }).click();
    await page.getByRole('heading', { name: 'Did last night’s backups succeed?' }).waitFor();
    const failed = page
      .getByRole('list', { name: 'Backups that did not succeed last night' })
      .getByRole('listitem')
      .filter({ hasText: 'Nightly offsite backup' });
    await expect.poll(() => failed.textContent()).toContain('ERROR: offsite target unreachable (connection refused)');
    const text = await failed.textContent();
    expect(text).toContain('Harbour Dental');
    expect(text).toContain('High Street office');
    expect(text).toMatch(/Last success\s*never/);
    await expect.poll(() => page.getByRole('status').filter({ hasText: '1 backup did not succeed' }).count()).toBe(1);
    await shot('01-last-night');

    await failed.getByRole('button', { name: 'Share Nightly offsite backup with Harbour Dental' }).click();
    await failed.getByText(/Copied|Shared/).waitFor();
    const shared = await page.evaluate(() => navigator.clipboard.readText());
    expect(shared).toMatch(
      /^Harbour Dental, High Street office: the backup "Nightly offsite backup" (failed|is down) last night; last success never \(Europe\/London\)\.$/,
    );
  });

  it('shows the client’s jobs with the last result and a labelled 30-day strip', async () => {
    await page
      .getByRole('list', { name: 'Clients with backup jobs' })
      .getByRole('link', { name: /Harbour Dental/ })
      .click();
    await page.getByRole('heading', { name: 'Harbour Dental backups' }).waitFor();
    const job = page
      .getByRole('list', { name: 'Backup jobs at High Street office' })
      .getByRole('listitem')
      .filter({ hasText: 'Nightly offsite backup' })
      .first();
    await expect.poll(() => job.textContent()).toMatch(/Last result\s*Failed/);
    const days = page.getByRole('list', { name: 'Last 30 days of Nightly offsite backup' }).getByRole('listitem');
    await expect.poll(() => days.count()).toBe(30);
    await expect.poll(() => days.last().textContent()).toMatch(/: failed$/);
    await shot('02-client');
  });

  it('opens the job: ping URL to copy, the script, and the failure with its output in the history', async () => {
    await page.getByRole('link', { name: 'Nightly offsite backup' }).click();
    await page.getByRole('heading', { name: 'Nightly offsite backup', level: 1 }).waitFor();
    await expect.poll(() => page.getByRole('region', { name: 'Current state' }).textContent()).toContain('Down');
    await expect
      .poll(() => page.getByLabel('Ping URL', { exact: true }).textContent())
      .toBe(`${hub.url}/ping/${heartbeatId}`);
    await page.getByRole('button', { name: 'Copy ping URL' }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(`${hub.url}/ping/${heartbeatId}`);
    const history = page.getByRole('list', { name: 'Pings and e-mails, newest first' }).getByRole('listitem');
    await expect.poll(() => history.count()).toBe(2);
    await expect.poll(() => history.first().textContent()).toMatch(/^Failure/);
    await history
      .first()
      .getByText(/Output \(\d+ bytes\)/)
      .click();
    await expect.poll(() => history.first().locator('pre').textContent()).toBe(OUTPUT);
    await shot('03-heartbeat');
  });

  it('looks right in the dark as well', async () => {
    const dark = await phoneContext(browser, 'dark');
    await dark.addCookies(await context.cookies());
    const darkPage = await dark.newPage();
    await darkPage.goto(`${hub.url}/backups`);
    await darkPage.getByRole('list', { name: 'Backups that did not succeed last night' }).waitFor();
    await shot('04-last-night-dark', darkPage);
    await darkPage.goto(`${hub.url}/backups/clients/${clientId}`);
    await darkPage.getByRole('list', { name: 'Last 30 days of Nightly offsite backup' }).waitFor();
    await shot('05-client-dark', darkPage);
    await dark.close();
  });
});
