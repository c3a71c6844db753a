import { createServer, type Server } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, phoneContext, screenshot, signIn } from './browser.js';
import { freePort, setUpOwner, startHub, createStorage, type HubStorage, type RunningHub } from './hub-process.js';

const OWNER = { name: 'Ann Owner', email: 'ann@example.com', password: 'a long enough password' };
/** A Saturday night in London: outside Mon–Fri 08:00–18:00. */
const SATURDAY_NIGHT = new Date('2026-12-05T21:30:00Z');

async function listening(): Promise<{ server: Server; port: number }> {
  const server = createServer((socket) => socket.end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return { server, port: typeof address === 'object' && address ? address.port : 0 };
}

/**
 * What a technician met on the phone, fixed: state on the Clients list and the client's site rows,
 * problems first; the site's systems problems first under Now's tiles; "Critical" not in the red of
 * down; what the contract says applies now; failed jobs counted on Now's tiles; a failed backup's
 * output at the top of its screen. Both databases; screenshots in e2e/artifacts/.
 */
describe.each(['sqlite', 'postgres'] as const)('states on the phone [%s]', (dialect) => {
  let storage: HubStorage;
  let hub: RunningHub;
  let browser: Browser;
  let page: Page;
  let open: { server: Server; port: number };
  let ids: { harbour: string; highStreet: string; heartbeat: string };
  const shot = (name: string) => screenshot(page, `${dialect}-phone-${name}`);

  beforeAll(async () => {
    open = await listening();
    const closedPort = await freePort();
    storage = await createStorage(dialect);
    hub = await startHub(storage);
    const api = await setUpOwner(hub, OWNER);
    const made = async (path: string, body: Record<string, unknown>): Promise<string> => {
      const res = await api.call('POST', path, body);
      expect(res.status, `${path} ${JSON.stringify(res.body)}`).toBe(201);
      return res.body.id as string;
    };
    const office = {
      kind: 'weekly',
      timeZone: 'Europe/London',
      windows: ['mon', 'tue', 'wed', 'thu', 'fri'].map((day) => ({ day, start: '08:00', end: '18:00' })),
    };
    // Alphabetically first and calm, so "problems first" has something to overtake.
    const alpha = await made('/api/clients', { name: 'Alpha Accountants' });
    await made('/api/sites', { clientId: alpha, name: 'Main office', timeZone: 'Europe/London' });
    const harbour = await made('/api/clients', {
      name: 'Harbour Dental',
      contract: { supportHours: office, responseTargetMinutes: 30 },
    });
    const annex = await made('/api/sites', { clientId: harbour, name: 'Annex', timeZone: 'Europe/London' });
    const highStreet = await made('/api/sites', {
      clientId: harbour,
      name: 'High Street office',
      timeZone: 'Europe/London',
    });
    const annexRouter = await made('/api/systems', { siteId: annex, name: 'Router', kind: 'firewall' });
    const ups = await made('/api/systems', { siteId: highStreet, name: 'UPS', kind: 'ups' });
    const fileServer = await made('/api/systems', {
      siteId: highStreet,
      name: 'File server',
      kind: 'server',
      criticality: 'critical',
      dependsOn: [ups],
    });
    const mail = await made('/api/systems', {
      siteId: highStreet,
      name: 'Mail server',
      kind: 'email',
      dependsOn: [fileServer],
    });
    const nas = await made('/api/systems', { siteId: highStreet, name: 'Backup NAS', kind: 'backup_job' });
    const tcp = (systemId: string, name: string, port: number) =>
      made('/api/checks', {
        systemId,
        name,
        kind: 'tcp',
        params: { host: '127.0.0.1', port },
        intervalS: 10,
        timeoutMs: 2000,
        failuresBeforeDown: 1,
      });
    const checks = [
      await tcp(ups, 'UPS web page', open.port),
      await tcp(fileServer, 'SMB port', open.port),
      await tcp(mail, 'SMTP port', closedPort),
      await tcp(annexRouter, 'Router admin', open.port),
    ];
    for (const id of checks) expect((await api.call('POST', `/api/checks/${id}/run`)).status).toBe(200);
    const heartbeat = await made('/api/heartbeats', {
      systemId: nas,
      name: 'Nightly offsite backup',
      schedule: { kind: 'period', periodS: 86_400, graceS: 3_600 },
    });
    const ping = (suffix: string, body?: string) =>
      fetch(`${hub.url}/ping/${heartbeat}${suffix}`, {
        method: body ? 'POST' : 'GET',
        ...(body ? { body } : {}),
        signal: AbortSignal.timeout(5000),
      });
    expect((await ping('/start')).status).toBe(200);
    const output = 'rsync: connection unexpectedly closed (0 bytes received so far)\nrsync error: exit 12';
    expect((await ping('/12', output)).status).toBe(200);
    ids = { harbour, highStreet, heartbeat };

    browser = await launchChromium();
    const context = await phoneContext(browser, 'light', { timezoneId: 'Europe/London', locale: 'en-GB' });
    page = await context.newPage();
    await page.clock.setFixedTime(SATURDAY_NIGHT);
    await signIn(page, hub.url, OWNER);
  });
  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
    await storage?.destroy();
    await new Promise((resolve) => open?.server.close(resolve));
  });

  it('counts the failed backup on Now’s tiles and says what the contract asks for now', async () => {
    const totals = page.getByLabel('Checks and jobs by state');
    // 1 check down + 1 failed job.
    await expect.poll(() => totals.textContent(), { timeout: 30_000 }).toMatch(/Down\s*2\s*1 job failed/);
    const harbour = page.getByRole('list', { name: 'Clients with problems' }).getByRole('listitem').first();
    await expect.poll(() => harbour.textContent()).toContain('Outside support hours — next Mon 08:00');
    await expect
      .poll(() => harbour.textContent())
      .toContain('No response target until support hours begin (then 30 min)');
    await expect(harbour.textContent()).resolves.not.toContain('Respond within 30 min');
    await shot('01-now');
  });

  it('shows each client’s state on Clients and each site’s on the client, problems first', async () => {
    await page.getByRole('link', { name: 'Clients' }).first().click();
    const clients = page.getByRole('list', { name: 'Clients' });
    await expect
      .poll(async () => (await clients.getByRole('listitem').allTextContents()).map((t) => t.slice(0, 40)), {
        timeout: 15_000,
      })
      .toEqual([expect.stringMatching(/^Harbour Dental\s*1 down · 3 up/), expect.stringMatching(/^Alpha Accountants/)]);
    await expect.poll(() => clients.getByRole('listitem').nth(1).textContent()).toContain('Not monitored yet');
    await shot('02-clients');

    await clients.getByRole('link', { name: /Harbour Dental/ }).click();
    const sites = page.getByRole('list', { name: 'Sites' });
    await expect
      .poll(async () => (await sites.getByRole('listitem').allTextContents()).map((t) => t.slice(0, 40)), {
        timeout: 15_000,
      })
      .toEqual([expect.stringMatching(/^High Street office\s*1 down · 2 up/), expect.stringMatching(/^Annex\s*1 up/)]);
    await expect(sites.getByRole('listitem').first().getAttribute('class')).resolves.toContain('is-down');
    await expect.poll(() => page.getByText('Outside support hours — next Mon 08:00').isVisible()).toBe(true);
    await shot('03-client');
  });

  it('lists the site’s systems problems first under Now’s tiles, with criticality not in red', async () => {
    await page.goto(`${hub.url}/sites/${ids.highStreet}`);
    await page.getByRole('heading', { name: 'High Street office', level: 1 }).waitFor();
    const totals = page.getByLabel('Checks and jobs by state');
    await expect.poll(() => totals.textContent(), { timeout: 15_000 }).toMatch(/Down\s*2\s*1 job failed.*Up\s*2/);
    const systems = page.getByRole('list', { name: 'Systems' });
    const names = () => systems.getByRole('heading', { level: 3 }).allTextContents();
    await expect.poll(names, { timeout: 15_000 }).toEqual(['Backup NAS', 'Mail server', 'UPS', 'File server']);
    await shot('04-site');

    // Critical is its own colour: not the red of a down system's dot.
    const critical = systems.locator('.badge.crit-critical');
    const downDot = systems.locator('.dot-down').first();
    const colour = (l: typeof critical, property: string) =>
      l.evaluate((el, p) => getComputedStyle(el).getPropertyValue(p), property);
    const red = await colour(downDot, 'background-color');
    await expect(colour(critical, 'color')).resolves.not.toBe(red);
    await expect(colour(critical, 'background-color')).resolves.not.toBe(red);
    const fileServer = systems
      .locator('li.system')
      .filter({ has: page.getByRole('heading', { name: 'File server', exact: true }) });
    await fileServer.screenshot({
      path: `e2e/artifacts/${dialect}-phone-05-critical-up.png`,
    });
  });

  it('puts a failed backup’s output at the top of its screen', async () => {
    await page.goto(`${hub.url}/heartbeats/${ids.heartbeat}`);
    const state = page.getByRole('region', { name: 'Current state' });
    const last = state.getByRole('region', { name: 'Last failure' });
    await last.waitFor();
    await expect
      .poll(() => last.textContent())
      .toMatch(/Last failure.*exit 12.*rsync: connection unexpectedly closed/s);
    await expect(last.isVisible()).resolves.toBe(true);
    const box = await last.boundingBox();
    expect(box && box.y + box.height).toBeLessThan(844);
    await page.screenshot({ path: `e2e/artifacts/${dialect}-phone-06-failed-backup.png` });
  });
});
