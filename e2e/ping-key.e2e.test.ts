import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot } from './browser.js';
import { addClientSiteSystem, type ApiSession, type RunningHub } from './hub-process.js';
import { type OwnerHub, startOwnerHub } from './owner-hub.js';

const OWNER = { name: 'Ann Owner', email: 'ann@example.com', password: 'a long enough password' };

/**
 * A backup product that makes its own jobs: on a phone, the technician makes the client's ping key and
 * chooses the system that `?create=1` adds heartbeats to (only the client's own systems are offered; a
 * choice the hub refuses shows its message under the select); a ping with `?create=1` then makes the
 * heartbeat there, and turning it off makes the same ping answer 404. Both databases; screenshots in
 * e2e/artifacts/.
 */
describe.each(['sqlite', 'postgres'] as const)('ping key auto-create on a phone [%s]', (dialect) => {
  let env: OwnerHub;
  let hub: RunningHub;
  let page: Page;
  let api: ApiSession;
  let clientId: string;
  let backupSystemId: string;
  let spareSystemId: string;
  const shot = (name: string) => screenshot(page, `${dialect}-ping-key-${name}`);
  const pingKey = () => page.getByRole('group', { name: 'Ping key' });
  const ping = (path: string) => fetch(`${hub.url}${path}`, { signal: AbortSignal.timeout(5000) });

  beforeAll(async () => {
    env = await startOwnerHub(dialect, OWNER);
    hub = env.hub;
    api = env.api;
    const scene = await addClientSiteSystem(api, {
      client: 'Harbour Dental',
      site: 'High Street office',
      timeZone: 'Europe/London',
      system: 'Offsite backup',
    });
    ({ clientId, systemId: backupSystemId } = scene);
    spareSystemId = (
      await api.call('POST', '/api/systems', { siteId: scene.siteId, name: 'Spare NAS', kind: 'backup_job' })
    ).body.id;
    // Another firm's system, which must not be offered.
    await addClientSiteSystem(api, {
      client: 'Quayside Law',
      site: 'Quay office',
      timeZone: 'Europe/London',
      system: 'Law firm backup',
    });

    ({ page } = await env.phone());
  });
  afterAll(async () => {
    await env?.close();
  });

  it('makes the ping key, offers only the client’s systems, and shows the hub’s refusal under the select', async () => {
    await page.goto(`${hub.url}/clients/${clientId}`);
    await page.getByRole('heading', { name: 'Harbour Dental', level: 1 }).waitFor();
    // The sections above arrive on their own and move the ping key down: wait for them before tapping.
    await page.getByRole('list', { name: 'Sites' }).waitFor();
    await page.getByText('No contacts yet').waitFor();
    await pingKey().getByRole('button', { name: 'Create ping key' }).click();
    await pingKey().getByLabel('Slug URL prefix').waitFor();
    await expect.poll(() => pingKey().textContent()).toContain('Off: ?create=1 on an unknown slug answers 404');

    await pingKey().getByRole('button', { name: 'Set auto-create system' }).click();
    const dialog = page.getByRole('dialog', { name: 'Auto-create heartbeats' });
    const select = dialog.getByLabel('System for new heartbeats');
    await select.waitFor();
    const offered = await select.locator('option').allTextContents();
    expect(offered).toEqual([
      'Off: ?create=1 answers 404',
      'Offsite backup (High Street office)',
      'Spare NAS (High Street office)',
    ]);

    // The NAS is deleted (by a colleague) while the dialog is open: the hub refuses, naming the field.
    await select.selectOption({ label: 'Spare NAS (High Street office)' });
    expect((await api.call('DELETE', `/api/systems/${spareSystemId}`)).status).toBe(200);
    await dialog.getByRole('button', { name: 'Save auto-create' }).click();
    await dialog.getByText('System for new heartbeats names no system of this client').waitFor();
    await expect(select.getAttribute('aria-invalid')).resolves.toBe('true');
    await shot('01-refused');

    await select.selectOption({ label: 'Offsite backup (High Street office)' });
    await dialog.getByRole('button', { name: 'Save auto-create' }).click();
    await dialog.waitFor({ state: 'detached' });
    await pingKey().getByText('?create=1 adds new slugs to').waitFor();
    await expect
      .poll(() => pingKey().textContent())
      .toContain('?create=1 adds new slugs to Offsite backup (High Street office)');
    await shot('02-set');
  });

  it('a ping with ?create=1 then makes the heartbeat in that system; set to off, the same ping answers 404', async () => {
    const key = await api.call('GET', `/api/clients/${clientId}/ping-key`);
    expect(key.body.autoCreateSystemId).toBe(backupSystemId);
    const created = await ping(`${key.body.slugPathPrefix}veeam-nightly?create=1`);
    expect([created.status, await created.text()]).toEqual([201, 'Created']);
    const made = await api.call('GET', `/api/heartbeats?systemId=${backupSystemId}`);
    expect(made.body.items.map((h: { slug: string; status: string }) => [h.slug, h.status])).toEqual([
      ['veeam-nightly', 'up'],
    ]);

    await pingKey().getByRole('button', { name: 'Set auto-create system' }).click();
    const dialog = page.getByRole('dialog', { name: 'Auto-create heartbeats' });
    await expect.poll(() => dialog.getByLabel('System for new heartbeats').inputValue()).toBe(backupSystemId);
    await dialog.getByLabel('System for new heartbeats').selectOption({ label: 'Off: ?create=1 answers 404' });
    await dialog.getByRole('button', { name: 'Save auto-create' }).click();
    await dialog.waitFor({ state: 'detached' });
    await pingKey().getByText('Off: ?create=1 on an unknown slug answers 404').waitFor();
    const refused = await ping(`${key.body.slugPathPrefix}another-job?create=1`);
    expect([refused.status, await refused.text()]).toEqual([404, 'not found']);
    // The heartbeat it made keeps answering by its slug.
    expect((await ping(`${key.body.slugPathPrefix}veeam-nightly`)).status).toBe(200);
  });
});
