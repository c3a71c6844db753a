import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot } from './browser.js';
import { addClientSiteSystem, type RunningHub } from './hub-process.js';
import { type OwnerHub, startOwnerHub } from './owner-hub.js';

const OWNER = { name: 'Ann Owner', email: 'ann@example.com', password: 'a long enough password' };

/**
 * Setting a backup job up from a phone: on the site, "Add heartbeat" opens the form (loaded on first
 * use); a cron schedule the hub refuses shows its message under "Cron expression" and the notice points
 * there; once saved, the heartbeat's screen pauses and resumes it. The check form beside it offers "Site
 * agent" only when the site has one. Both databases; screenshots in e2e/artifacts/.
 */
describe.each(['sqlite', 'postgres'] as const)('heartbeat form on a phone [%s]', (dialect) => {
  let env: OwnerHub;
  let hub: RunningHub;
  let page: Page;
  let siteId: string;
  const shot = (name: string) => screenshot(page, `${dialect}-heartbeat-form-${name}`);
  /** The site's screen once its status line is in (it arrives on its own and moves the buttons below it down). */
  const openSite = async () => {
    await page.goto(`${hub.url}/sites/${siteId}`);
    await page.getByLabel('Checks and jobs by state').waitFor();
  };

  beforeAll(async () => {
    env = await startOwnerHub(dialect, OWNER);
    hub = env.hub;
    const { api } = env;
    ({ siteId } = await addClientSiteSystem(api, {
      client: 'Harbour Dental',
      site: 'High Street office',
      timeZone: 'Europe/London',
      system: 'Offsite backup',
    }));
    ({ page } = await env.phone());
  });
  afterAll(async () => {
    await env?.close();
  });

  it('adds a heartbeat on a cron schedule, with the hub’s refusal under the field first', async () => {
    await openSite();
    await page.getByRole('button', { name: 'Add heartbeat to Offsite backup' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add heartbeat to Offsite backup' });
    await dialog.getByLabel('Heartbeat name').fill('Nightly offsite backup');
    const kind = dialog.getByRole('radiogroup', { name: 'Schedule kind' });
    await expect(kind.getByRole('radio', { name: 'Every…' }).isChecked()).resolves.toBe(true);
    await kind.getByRole('radio', { name: 'Cron' }).check();
    await dialog.getByLabel('Cron expression').fill('61 2 * * *');
    await dialog.getByRole('button', { name: 'Save heartbeat' }).click();
    await dialog.getByText('Cron expression is not a valid cron expression: minute: 61 is outside 0-59').waitFor();
    await dialog.getByText('Some settings need fixing: see the fields marked below.').waitFor();
    await shot('01-refused');

    await dialog.getByLabel('Cron expression').fill('30 1 * * *');
    await dialog.getByRole('button', { name: 'Save heartbeat' }).click();
    await page.getByRole('heading', { name: 'Nightly offsite backup', level: 1 }).waitFor();
    await expect.poll(() => page.getByText('cron 30 1 * * * (Europe/London), grace 1 h').count()).toBe(1);
  });

  it('pauses and resumes it from its screen', async () => {
    await page.getByRole('button', { name: 'Pause heartbeat' }).click();
    await page.getByRole('button', { name: 'Resume heartbeat' }).waitFor();
    await expect.poll(() => page.getByRole('region', { name: 'Current state' }).textContent()).toContain('Paused');
    await shot('02-paused');
    await page.getByRole('button', { name: 'Resume heartbeat' }).click();
    await page.getByRole('button', { name: 'Pause heartbeat' }).waitFor();
    await expect.poll(() => page.getByRole('region', { name: 'Current state' }).textContent()).toContain('New');
  });

  it('offers the site agent in the check form only when the site has one', async () => {
    await openSite();
    await page.getByRole('list', { name: 'Heartbeats of Offsite backup' }).waitFor();
    await page.getByRole('button', { name: 'Add check to Offsite backup' }).click();
    const probe = page
      .getByRole('dialog', { name: 'Add check to Offsite backup' })
      .getByRole('radiogroup', { name: 'Probe' });
    await expect(probe.getByRole('radio', { name: 'The hub' }).isChecked()).resolves.toBe(true);
    await expect(probe.getByRole('radio', { name: 'Site agent' }).isDisabled()).resolves.toBe(true);
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
  });
});
