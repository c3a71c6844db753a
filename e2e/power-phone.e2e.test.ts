import dgram from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSshd, type TestSshd } from '../packages/power/src/testing/sshd.js';
import { startTestSystem, type TestSystem } from '../packages/power/src/testing/system.js';
import { startUpsd, type Upsd } from '../packages/power/src/testing/upsd.js';
import { startAgent, type RunningAgent } from './agent-process.js';
import { launchChromium, phoneContext, screenshot, signIn } from './browser.js';
import { createStorage, setUpOwner, startHub, type HubStorage, type RunningHub } from './hub-process.js';

const OWNER = { name: 'Ann Owner', email: 'ann@example.com', password: 'a long enough password' };

/**
 * A site's power set up and run from a phone (390×844), against real peers: upsd with dummy-ups, an sshd
 * standing in for the ERP server (its shutdown stops the ERP's check port), a UDP listener that starts
 * it again on the Wake-on-LAN packet, and the site agent as its own process. The UPS, the system's
 * actions, the plan and an outage are entered through the screens; then the power goes: the power
 * section comes first, the plan shuts the ERP down, and "Start the site up" brings it back.
 */
describe.each(['sqlite', 'postgres'] as const)('site power from the phone [%s]', (dialect) => {
  let storage: HubStorage;
  let hub: RunningHub;
  let browser: Browser;
  let page: Page;
  let siteId: string;
  let upsd: Upsd;
  let sshd: TestSshd;
  let erp: TestSystem;
  let wol: dgram.Socket;
  let wolPort: number;
  let agent: RunningAgent | undefined;
  let temp: string;
  let enrolCode: string;
  const wakes: Buffer[] = [];
  const shot = (name: string) => screenshot(page, `${dialect}-phone-power-${name}`);

  beforeAll(async () => {
    temp = mkdtempSync(join(tmpdir(), 'afterhours-e2e-power-'));
    erp = await startTestSystem(temp, 'erp');
    [upsd, sshd] = await Promise.all([startUpsd(), startSshd({ checkPidFile: erp.pidFile })]);
    wol = dgram.createSocket('udp4');
    wol.on('message', (bytes) => {
      wakes.push(bytes);
      void erp.start();
    });
    await new Promise<void>((resolve) => wol.bind(0, '127.0.0.1', resolve));
    wolPort = wol.address().port;

    storage = await createStorage(dialect);
    hub = await startHub(storage);
    const api = await setUpOwner(hub, OWNER);
    const client = await api.call('POST', '/api/clients', { name: 'Harbour Dental' });
    const site = await api.call('POST', '/api/sites', {
      clientId: client.body.id,
      name: 'High Street',
      timeZone: 'Europe/London',
    });
    siteId = site.body.id;
    const system = await api.call('POST', '/api/systems', { siteId, name: 'ERP server', kind: 'server' });
    await api.call('POST', '/api/systems', { siteId, name: 'NAS', kind: 'server' });
    const created = await api.call('POST', '/api/agents', { siteId, name: 'office-pi' });
    enrolCode = created.body.enrolCode;
    const check = await api.call('POST', '/api/checks', {
      systemId: system.body.id,
      name: 'ERP port',
      kind: 'tcp',
      probe: 'agent',
      intervalS: 60,
      params: { host: '127.0.0.1', port: erp.port },
    });
    expect(check.status).toBe(201);
    browser = await launchChromium();
    page = await (await phoneContext(browser)).newPage();
    await signIn(page, hub.url, OWNER);
  });
  afterAll(async () => {
    await agent?.stop();
    await browser?.close();
    await hub?.stop();
    await storage?.destroy();
    wol?.close();
    erp?.kill();
    await Promise.all([upsd?.stop(), sshd?.stop()]);
    rmSync(temp, { recursive: true, force: true });
  });

  it('sets up the UPS, the ERP server’s actions, the plan and an outage on the phone', async () => {
    await page.goto(`${hub.url}/sites/${siteId}`);
    await page.getByRole('button', { name: 'Add UPS' }).click();
    const ups = page.getByRole('form', { name: 'Add UPS' });
    await ups.getByLabel('Name', { exact: true }).fill('Server-room UPS');
    await ups.getByLabel('Host', { exact: true }).fill('127.0.0.1');
    await ups.getByLabel('Port', { exact: true }).fill(String(upsd.port));
    await ups.getByLabel('UPS name in upsd', { exact: true }).fill(upsd.ups);
    await ups.getByLabel('Read every (s)', { exact: true }).fill('0');
    await ups.getByRole('button', { name: 'Save UPS' }).click();
    await expect.poll(() => ups.textContent()).toContain('Read every (s) must be 1 to 60 seconds');
    await ups.getByLabel('Read every (s)', { exact: true }).fill('1');
    await ups.getByLabel('Power back after (min)', { exact: true }).fill('0.05');
    await shot('ups-form');
    await ups.getByRole('button', { name: 'Save UPS' }).click();
    const upses = page.getByLabel('UPSes', { exact: true });
    await expect.poll(() => upses.textContent()).toContain(`NUT ${upsd.ups}@127.0.0.1:${upsd.port} · read every 1 s`);

    await page.getByRole('button', { name: 'Edit power of ERP server' }).click();
    const actions = page.getByRole('form', { name: 'Power actions' });
    await actions.getByLabel('Shut down by', { exact: true }).first().selectOption('ssh');
    await actions.getByLabel('Host', { exact: true }).first().fill('127.0.0.1');
    await actions.getByLabel('Port', { exact: true }).first().fill(String(sshd.port));
    await actions.getByLabel('User', { exact: true }).fill('root');
    await actions.getByLabel('Private key', { exact: true }).fill(sshd.privateKey);
    await actions.getByLabel('Start by', { exact: true }).selectOption('wol');
    await actions.getByLabel('MAC address', { exact: true }).fill('00:11:22:33:44:55');
    await actions.getByLabel('Broadcast address', { exact: true }).fill('127.0.0.1');
    await actions.getByLabel('UDP port', { exact: true }).fill(String(wolPort));
    await shot('actions-form');
    await actions.getByRole('button', { name: 'Save' }).click();
    const rows = page.getByLabel('Power of each system', { exact: true });
    await expect.poll(() => rows.textContent()).toContain(`Off: SSH root@127.0.0.1:${sshd.port}: sudo shutdown -h now`);
    expect(await rows.textContent()).toContain('Host key not pinned yet');
    expect(await page.content()).not.toContain('PRIVATE KEY');
    // An owner pins the server's key by hand (as after a reinstall): the fingerprint and the name typed.
    await rows.getByRole('button', { name: 'Pin key' }).click();
    const pin = page.getByRole('form', { name: 'Re-pin host key' });
    await pin.getByLabel('New key', { exact: true }).fill(sshd.hostKey);
    const trust = pin.getByRole('button', { name: 'Trust this key' });
    expect(await trust.isDisabled()).toBe(true);
    await pin.getByLabel('System name', { exact: true }).fill('ERP server');
    await shot('pin-key');
    await trust.click();
    await expect.poll(() => rows.textContent()).toContain(`Host key ${sshd.hostKey}, pinned`);
    // The stored key is write-only: the form shows "***" and keeps it.
    await page.getByRole('button', { name: 'Edit power of ERP server' }).click();
    expect(await actions.getByLabel('Private key', { exact: true }).inputValue()).toBe('***');
    await actions.getByRole('button', { name: 'Cancel' }).click();

    await page.getByRole('button', { name: 'Set up plan' }).click();
    const plan = page.getByRole('form', { name: 'Power plan' });
    await plan.getByRole('button', { name: 'Add stage' }).click();
    await plan.getByRole('textbox', { name: 'Stage 2', exact: true }).fill('Storage');
    await plan.getByRole('listitem', { name: 'Stage 2' }).getByLabel('NAS', { exact: true }).check();
    // An empty stage: saving says so beside it.
    await plan.getByRole('button', { name: 'Add stage' }).click();
    await plan.getByRole('button', { name: 'Save plan' }).click();
    await expect.poll(() => plan.textContent()).toContain('a stage needs at least one system');
    await plan.getByRole('listitem', { name: 'Stage 3' }).getByRole('button', { name: 'Remove stage' }).click();
    await plan.getByLabel('On battery for (min)', { exact: true }).fill('0.05');
    await plan.getByRole('listitem', { name: 'Stage 1' }).scrollIntoViewIfNeeded();
    await shot('plan-form');
    await plan.getByRole('button', { name: 'Save plan' }).click();
    const summary = page.getByLabel('Plan', { exact: true });
    await expect.poll(() => summary.textContent()).toContain('Starts after 0.05 min on battery, on low battery.');
    expect(await summary.textContent()).toMatch(/Stage 1: ERP server.*Storage: NAS/);

    await page.getByRole('button', { name: 'Add planned outage' }).click();
    const outage = page.getByRole('form', { name: 'Add planned outage' });
    await outage.getByLabel('Note', { exact: true }).fill('Street works, per the power company');
    await outage.getByRole('button', { name: 'Add' }).click();
    await expect
      .poll(() => page.getByLabel('Planned outages', { exact: true }).textContent())
      .toContain('Street works');
    await expect.poll(() => page.getByLabel('Power now', { exact: true }).textContent()).toContain('Power at risk');
    await page.getByLabel('Planned outages', { exact: true }).scrollIntoViewIfNeeded();
    await shot('setup');
    await page.getByLabel('Planned outages', { exact: true }).getByRole('button', { name: 'Remove' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Remove' }).click();
    await expect
      .poll(() => page.getByLabel('Planned outages', { exact: true }).textContent())
      .toContain('None planned.');
  });

  it('in a power cut the power comes first; the plan shuts the ERP down; "Start the site up" brings it back', async () => {
    const agentDir = mkdtempSync(join(temp, 'agent-'));
    agent = startAgent(['--hub', hub.url, '--enrol', enrolCode, '--data-dir', agentDir]);
    await page.goto(`${hub.url}/sites/${siteId}`);
    const now = page.getByLabel('Power now', { exact: true });
    await expect.poll(() => now.textContent(), { timeout: 30_000 }).toContain('On line');

    upsd.setStatus({ status: 'OB DISCHRG', charge: 91, runtime: 1380 });
    await expect.poll(() => now.textContent(), { timeout: 30_000 }).toContain('On battery');
    const headings = await page.getByRole('heading', { level: 2 }).allTextContents();
    expect(headings.indexOf('Power')).toBeLessThan(headings.indexOf('Systems'));
    await shot('power-cut');

    await expect.poll(() => now.textContent(), { timeout: 30_000 }).toContain('ERP server: shut down by plan at');
    await expect
      .poll(() => sshd.recorded().map((r) => r.command), { timeout: 15_000 })
      .toEqual(['sudo shutdown -h now']);
    await expect.poll(() => erp.up()).toBe(false);
    const rows = page.getByLabel('Power of each system', { exact: true });
    await expect.poll(() => rows.textContent(), { timeout: 15_000 }).toContain(`Host key ${sshd.hostKey}, pinned`);
    await shot('shut-down');

    upsd.setStatus({ status: 'OL CHRG', charge: 91, runtime: 1380 });
    await expect.poll(() => now.textContent(), { timeout: 30_000 }).toContain('On line');
    await page.getByRole('button', { name: 'Start the site up' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Start up' }).click();
    await expect.poll(() => wakes.length, { timeout: 30_000 }).toBe(1);
    expect(wakes[0]!.subarray(0, 6).toString('hex')).toBe('ffffffffffff');
    await expect.poll(() => erp.up(), { timeout: 15_000 }).toBe(true);
    await expect.poll(() => now.textContent(), { timeout: 30_000 }).not.toContain('shut down by plan');
    await page.getByText('What the plan did').click();
    await expect.poll(() => page.getByLabel('Power log', { exact: true }).textContent()).toContain('run is finished');
    await page.getByLabel('Power log', { exact: true }).scrollIntoViewIfNeeded();
    await shot('started-up');
  });
});
