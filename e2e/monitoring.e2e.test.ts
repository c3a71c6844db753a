import { createServer, type Server } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, phoneContext, screenshot, signIn } from './browser.js';
import { ApiSession, createStorage, freePort, startHub, type HubStorage, type RunningHub } from './hub-process.js';

const OWNER = { name: 'Ann Owner', email: 'ann@example.com', password: 'a long enough password' };

/** A TCP port on 127.0.0.1 that accepts connections, for the check that must come out green. */
async function listening(): Promise<{ server: Server; port: number }> {
  const server = createServer((socket) => socket.end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return { server, port: typeof address === 'object' && address ? address.port : 0 };
}

/**
 * The technician on call, on a phone: adds a TCP check of a listening port and one of a closed port
 * through the check form, runs the red one now and sees its answer in place, finds one green and one
 * red on Now, and opens the red one to read why. Runs on both databases against the built hub.
 */
describe.each(['sqlite', 'postgres'] as const)('monitoring on a phone [%s]', (dialect) => {
  let storage: HubStorage;
  let hub: RunningHub;
  let browser: Browser;
  let page: Page;
  let open: { server: Server; port: number };
  let closedPort: number;
  let siteId: string;
  let api: ApiSession;
  const shot = (name: string) => screenshot(page, `${dialect}-monitoring-${name}`);

  beforeAll(async () => {
    open = await listening();
    closedPort = await freePort(); // bound and released at once: nothing listens there
    storage = await createStorage(dialect);
    hub = await startHub(storage);
    api = new ApiSession(hub.url);
    expect((await api.call('POST', '/api/setup', OWNER)).status).toBe(200);
    const client = await api.call('POST', '/api/clients', { name: 'Harbour Dental' });
    const site = await api.call('POST', '/api/sites', {
      clientId: client.body.id,
      name: 'High Street office',
      timeZone: 'Europe/London',
    });
    siteId = site.body.id;
    expect(
      (await api.call('POST', '/api/systems', { siteId, name: 'Door server', kind: 'server', host: '127.0.0.1' }))
        .status,
    ).toBe(201);
    browser = await launchChromium();
    page = await (await phoneContext(browser)).newPage();
    await signIn(page, hub.url, OWNER);
  });
  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
    await storage?.destroy();
    await new Promise((resolve) => open?.server.close(resolve));
  });

  it('adds two TCP checks, shows one green and one red on Now, and says why the red one is down', async () => {
    await page.goto(`${hub.url}/sites/${siteId}`);
    await page.getByRole('heading', { name: 'High Street office' }).waitFor();

    await addTcpCheck(page, 'Door port', open.port);
    await shot('01-add-check-filled');
    await page.getByRole('dialog').getByRole('button', { name: 'Save check' }).click();
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    await addTcpCheck(page, 'Closed port', closedPort);
    await page.getByRole('dialog').getByRole('button', { name: 'Save check' }).click();
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    const checks = page.getByRole('list', { name: 'Checks of Door server' });
    await checks.getByRole('link', { name: /Closed port/ }).waitFor();
    await checks.getByRole('link', { name: /Door port/ }).waitFor();
    await shot('02-site-with-checks');

    // Run the red one now: its answer appears in place.
    await checks.getByRole('link', { name: /Closed port/ }).click();
    await page.getByRole('heading', { name: 'Closed port', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Run now' }).click();
    const ran = page.getByRole('status', { name: 'Run now result' });
    await ran.waitFor();
    await expect
      .poll(() => ran.textContent())
      .toMatch(new RegExp(`Down.*connection refused on 127\\.0\\.0\\.1:${closedPort}`));
    await shot('03-run-now-red');

    // Now: one up and one down within the interval (10 s, first run spread over it), live.
    await page.getByRole('link', { name: 'Now' }).first().click();
    await page.getByRole('heading', { name: 'Now', level: 1 }).waitFor();
    const totals = page.getByLabel('Checks and jobs by state');
    await expect.poll(() => totals.textContent(), { timeout: 30_000 }).toMatch(/Down\s*1.*Up\s*1/);
    const problems = page.getByRole('list', { name: 'Clients with problems' });
    await expect.poll(() => problems.textContent()).toContain('1 down · 1 up');
    const red = problems.getByRole('link', { name: /Door server · Closed port/ });
    await expect.poll(() => red.textContent()).toContain(`connection refused on 127.0.0.1:${closedPort}`);
    await shot('04-now-one-red-one-green');

    await red.click();
    await page.getByRole('heading', { name: 'Closed port', level: 1 }).waitFor();
    const state = page.getByRole('region', { name: 'Current state' });
    await expect.poll(() => state.textContent()).toMatch(/Down/);
    await expect.poll(() => state.textContent()).toContain(`connection refused on 127.0.0.1:${closedPort}`);
    await page.getByRole('heading', { name: 'Uptime' }).waitFor();
    await shot('05-red-check');

    // A longer range reads the roll-ups (GET /api/checks/:id/history): by 15 minutes over 7 days.
    await page.getByRole('radiogroup', { name: 'Chart range' }).getByText('7 d').click();
    await page.getByRole('heading', { name: 'Latency, last 7 days' }).waitFor();
    await page.getByText(/failed of \d+.* · by 15 min/).waitFor();
    await shot('06-red-check-7-days');
  });

  it('shows checks unknown because the same system is down as one line on Now, counted and named', async () => {
    const systems = (await api.call('GET', `/api/systems?siteId=${siteId}`)).body.items as {
      id: string;
      name: string;
    }[];
    const door = systems.find((s) => s.name === 'Door server')!;
    for (const name of ['VM1', 'VM2', 'VM3', 'VM4', 'VM5']) {
      const vm = await api.call('POST', '/api/systems', { siteId, name, kind: 'server', dependsOn: [door.id] });
      expect(vm.status).toBe(201);
      const check = await api.call('POST', '/api/checks', {
        systemId: vm.body.id,
        name: 'rdp',
        kind: 'tcp',
        probe: 'hub',
        intervalS: 10,
        // Failing too: shown unknown because of the server they depend on, not down.
        params: { host: '127.0.0.1', port: closedPort },
      });
      expect(check.status).toBe(201);
    }
    // From "no result yet" to "because Door server is down" is no change of state, which is all the hub
    // announces live: wait for the hub to say it, then open Now.
    await expect
      .poll(async () => (await api.call('GET', '/api/status/summary')).body.clients[0].sites[0].groups, {
        timeout: 40_000,
      })
      .toMatchObject([{ reason: 'because Door server is down', count: 5 }]);
    await page.goto(hub.url);
    const problems = page.getByRole('list', { name: 'Clients with problems' });
    const line = problems.getByText(/5 checks because Door server is down/);
    await line.waitFor();
    await expect(line.textContent()).resolves.toContain('VM1 rdp, VM2 rdp, VM3 rdp and 2 more');
    await shot('07-now-unknown-as-one-line');
  });

  it('opens Now with the reads index.html started, not a second round of them', async () => {
    const fresh = await page.context().newPage();
    const asked: string[] = [];
    fresh.on('request', (request) => {
      const path = new URL(request.url()).pathname;
      if (path.startsWith('/api/')) asked.push(path);
    });
    await fresh.goto(hub.url);
    await fresh
      .getByRole('list', { name: 'Clients with problems' })
      .getByRole('link', { name: /Door server · Closed port/ })
      .waitFor();
    const count = (path: string) => asked.filter((p) => p === path).length;
    expect({
      setup: count('/api/setup'),
      session: count('/api/auth/session'),
      summary: count('/api/status/summary'),
      overview: count('/api/overview'),
    }).toEqual({
      setup: 1,
      session: 1,
      summary: 1,
      overview: 1,
    });
    await fresh.close();
  });
});

async function addTcpCheck(page: Page, name: string, port: number) {
  await page.getByRole('button', { name: 'Add check to Door server' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add check' });
  await dialog.getByLabel('Check kind').selectOption({ label: 'TCP port' });
  await expect(dialog.getByLabel('Host').inputValue()).resolves.toBe('127.0.0.1'); // from the system's host
  await dialog.getByLabel('Port').fill(String(port));
  await dialog.getByLabel('Check name').fill(name);
  await dialog.getByLabel('Interval (seconds)').fill('10');
  await dialog.getByLabel('Timeout (seconds)').fill('5');
  await dialog.getByLabel('Failures before down').fill('1');
}
