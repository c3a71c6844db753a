import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, phoneContext, screenshot, signIn } from './browser.js';
import { createStorage, setUpOwner, startHub, type HubStorage, type RunningHub } from './hub-process.js';

const OWNER = { name: 'Ann Owner', email: 'ann@example.com', password: 'a long enough password' };

/**
 * Adding a site agent on the phone (390×844): the install command with the hub's address, a warning
 * when that address cannot work from an office, the link to the agent guide the hub serves, and an
 * agent older than the hub's marked in the list. Screenshots in e2e/artifacts/.
 */
describe.each(['sqlite', 'postgres'] as const)('enrolling an agent on the phone [%s]', (dialect) => {
  let storage: HubStorage;
  let hub: RunningHub;
  let browser: Browser;
  let page: Page;
  let siteId: string;
  const shot = (name: string) => screenshot(page, `${dialect}-phone-agent-${name}`);

  beforeAll(async () => {
    storage = await createStorage(dialect);
    hub = await startHub(storage); // no AFTERHOURS_PUBLIC_URL, on 127.0.0.1: the screen must warn
    const api = await setUpOwner(hub, OWNER);
    const client = await api.call('POST', '/api/clients', { name: 'Harbour Dental' });
    const site = await api.call('POST', '/api/sites', {
      clientId: client.body.id,
      name: 'High Street',
      timeZone: 'Europe/London',
    });
    siteId = site.body.id;
    // An agent that enrolled with an old version: the list marks it.
    const old = await api.call('POST', '/api/agents', { siteId, name: 'Back office NAS' });
    const enrolled = await fetch(`${hub.url}/api/agent/enrol`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: old.body.enrolCode, hostname: 'nas-01', version: '0.0.9' }),
    });
    expect(enrolled.status).toBe(200);
    browser = await launchChromium();
    page = await (await phoneContext(browser)).newPage();
    await signIn(page, hub.url, OWNER);
  });
  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
    await storage?.destroy();
  });

  it('shows the install command, warns about the address, and links the guide', async () => {
    await page.goto(`${hub.url}/sites/${siteId}`);
    const list = page.getByRole('list', { name: 'Agents' });
    await expect.poll(() => list.textContent()).toContain('older than the hub’s');
    await list.scrollIntoViewIfNeeded();
    await shot('list');

    await page.getByRole('button', { name: 'Add agent' }).click();
    await page.getByLabel('Agent name').fill('Reception PC');
    await page.getByRole('button', { name: 'Create agent' }).click();
    const dialog = page.getByRole('dialog', { name: 'Install the agent' });
    await dialog.waitFor();
    await expect
      .poll(() => dialog.getByLabel('Install command', { exact: true }).textContent())
      .toMatch(
        new RegExp(`^curl -fsSL ${hub.url.replace(/\./g, '\\.')}/agent/install\\.sh \\| sudo sh -s -- --enrol ahe_`),
      );
    await expect.poll(() => dialog.textContent()).toContain('means "this machine"');
    await shot('install-command');

    await dialog.getByText('Windows, or any machine with Node.js 20').click();
    expect(await dialog.getByLabel('Node.js command', { exact: true }).textContent()).toMatch(
      /^node afterhours-agent\.cjs --hub /,
    );
    await shot('install-command-windows');

    const guide = await dialog.getByRole('link', { name: 'Agent guide' }).getAttribute('href');
    const docs = await page.context().newPage();
    await docs.goto(`${hub.url}${guide}`);
    expect(await docs.textContent('body')).toContain('# The site agent');
    await screenshot(docs, `${dialect}-phone-agent-guide`);
    await docs.close();
  });
});
