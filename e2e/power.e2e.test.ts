import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot } from './browser.js';
import type { RunningHub } from './hub-process.js';
import { type OwnerHub, startOwnerHub } from './owner-hub.js';

const OWNER = { name: 'Ann Owner', email: 'ann@example.com', password: 'a long enough password' };

/**
 * The site's power on the phone (390×844): power at a glance, the plan's dry-run, and "shut down this site
 * now" confirmed by typing the site's name and the password. Screenshots in e2e/artifacts/.
 */
describe.each(['sqlite', 'postgres'] as const)('site power on the phone [%s]', (dialect) => {
  let env: OwnerHub;
  let hub: RunningHub;
  let page: Page;
  let siteId: string;
  const shot = (name: string) => screenshot(page, `${dialect}-phone-power-${name}`);

  beforeAll(async () => {
    env = await startOwnerHub(dialect, OWNER);
    hub = env.hub;
    const { api } = env;
    const client = await api.call('POST', '/api/clients', { name: 'Harbour Dental' });
    const site = await api.call('POST', '/api/sites', {
      clientId: client.body.id,
      name: 'High Street',
      timeZone: 'Europe/London',
    });
    siteId = site.body.id;
    const erp = await api.call('POST', '/api/systems', { siteId, name: 'ERP server', kind: 'server' });
    const nas = await api.call('POST', '/api/systems', { siteId, name: 'NAS', kind: 'server' });
    expect(erp.status).toBe(201);
    await api.call('PUT', `/api/systems/${erp.body.id}/power`, {
      shutdown: { kind: 'ssh', settings: { host: '10.0.0.5', username: 'admin', password: 'never-shown' } },
      startup: { kind: 'wol', settings: { mac: '00:11:22:33:44:55' } },
    });
    await api.call('PUT', `/api/systems/${nas.body.id}/power`, {
      shutdown: { kind: 'ipmi', settings: { host: '10.0.0.9', username: 'ADMIN', password: 'also-secret' } },
      startup: null,
    });
    const plan = await api.call('PUT', `/api/sites/${siteId}/power/plan`, {
      plan: {
        stages: [
          { name: 'Applications', systemIds: [erp.body.id], timeoutSeconds: 240 },
          { name: 'Storage', systemIds: [nas.body.id], timeoutSeconds: 300 },
        ],
      },
    });
    expect(plan.status).toBe(200);
    ({ page } = await env.phone());
  });
  afterAll(async () => {
    await env?.close();
  });

  it('shows power at a glance, dry-runs the plan and shuts the site down after confirmation', async () => {
    await page.goto(`${hub.url}/sites/${siteId}`);
    const now = page.getByLabel('Power now');
    await expect.poll(() => now.textContent()).toContain('No UPS set up for this site.');
    await page.getByRole('button', { name: 'Dry-run the plan' }).click();
    const dry = page.getByLabel('Dry-run');
    await expect.poll(() => dry.textContent()).toContain('needs at most 9 min');
    expect(await dry.textContent()).toContain('ERP server — ssh admin@10.0.0.5:22: sudo shutdown -h now');
    expect(await page.content()).not.toContain('never-shown');
    await dry.scrollIntoViewIfNeeded();
    await shot('dry-run');

    await page.getByRole('button', { name: 'Shut down this site now' }).click();
    const form = page.getByRole('form', { name: 'Shut down this site now' });
    const confirm = form.getByRole('button', { name: 'Shut down High Street' });
    expect(await confirm.isDisabled()).toBe(true);
    await form.getByLabel('Site name').fill('High Street');
    await form.getByLabel('Your password').fill('wrong password');
    await confirm.click();
    await expect.poll(() => form.textContent()).toContain('is not your current password');
    await form.scrollIntoViewIfNeeded();
    await shot('confirm-wrong-password');
    await form.getByLabel('Your password').fill(OWNER.password);
    await confirm.click();
    await expect.poll(() => page.textContent('body')).toContain("Shutdown ordered: the site's agent runs the plan.");
    await shot('ordered');
  });
});
