import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { screenshot } from './browser.js';
import { addClientSiteSystem, type ApiSession, type RunningHub } from './hub-process.js';
import { type OwnerHub, startOwnerHub } from './owner-hub.js';

const OWNER = { name: 'Tom Owner', email: 'tom@example.com', password: 'a long enough password' };

/**
 * On a phone at 390×844: the client rings, the technician opens an incident from the call (tapping the caller
 * from the register), plans two tasks, and completes one with its outcome; every step shows on the timeline.
 */
describe.each(['sqlite', 'postgres'] as const)('incidents on a phone [%s]', (dialect) => {
  let env: OwnerHub;
  let hub: RunningHub;
  let page: Page;
  let api: ApiSession;
  const shot = (name: string) => screenshot(page, `${dialect}-incidents-${name}`);

  beforeAll(async () => {
    env = await startOwnerHub(dialect, OWNER);
    ({ hub, api } = env);
    const { clientId } = await addClientSiteSystem(api, {
      client: 'Harbour Dental',
      site: 'Main office',
      timeZone: 'Europe/London',
      system: 'dc01',
      kind: 'server',
    });
    await api.call('POST', `/api/clients/${clientId}/contacts`, {
      name: 'Dana Reyes',
      phone: '+44 20 7946 0000',
      email: 'dana@harbour.example',
    });
    ({ page } = await env.phone());
  }, 60_000);
  afterAll(async () => {
    await env?.close();
  });

  it('opens an incident from a call, adds two tasks and completes one', async () => {
    // The firm's template, made once in Settings.
    await page.goto(`${hub.url}/settings/task-templates`);
    await page.getByLabel('Task').fill('Remote check of every system');
    await page.getByRole('button', { name: 'Add template' }).click();
    await page.getByRole('list', { name: 'Task templates' }).getByText('Remote check of every system').waitFor();

    await page.getByRole('link', { name: 'Incidents' }).first().click();
    await page.getByRole('link', { name: 'New incident' }).click();
    await page.getByLabel('Client').selectOption({ label: 'Harbour Dental' });
    await page.getByRole('button', { name: /Dana Reyes/ }).click();
    await page.getByLabel('What they said').fill('Power going on and off all afternoon; outages warned all weekend');
    await page.getByRole('radio', { name: 'Critical' }).check();
    await page.getByLabel('I am handling it').check();
    await shot('1-new-from-call');
    await page.getByRole('button', { name: 'Open incident' }).click();

    await page.getByRole('heading', { name: /#1 Power going on and off/ }).waitFor();
    const timeline = page.getByRole('list', { name: 'Timeline' });
    await timeline.getByText(/Call from Dana Reyes \(\+44 20 7946 0000\)/).waitFor();
    await page.getByText('Tom Owner has it').waitFor();

    // Two tasks: one from the firm's template, one typed.
    await page.getByRole('button', { name: 'Add task' }).click();
    await page.getByLabel('From a template').selectOption({ label: 'Remote check of every system' });
    await page.getByLabel('Who').selectOption({ label: 'Tom Owner' });
    await page.getByLabel('Due').fill('2030-06-01T07:00');
    await page.getByRole('button', { name: 'Add task', exact: true }).last().click();
    await page.getByRole('list', { name: 'Tasks' }).getByText('Remote check of every system').waitFor();
    await page.getByRole('button', { name: 'Add task' }).click();
    await page.getByLabel('Task', { exact: true }).fill('Be at the office when it opens');
    await page.getByRole('button', { name: 'Add task', exact: true }).last().click();
    await page.getByRole('list', { name: 'Tasks' }).getByText('Be at the office when it opens').waitFor();
    await shot('2-two-tasks');

    await page.getByRole('button', { name: 'Done: Remote check of every system' }).click();
    await page.getByLabel('What was done or found').fill('Everything answers; UPS on line');
    await page.getByRole('button', { name: 'Mark done' }).click();
    const tasks = page.getByRole('list', { name: 'Tasks' });
    await tasks.locator('.task-card.is-done').getByText('Everything answers; UPS on line').waitFor();
    await page.getByRole('heading', { name: 'Tasks (1 open)' }).waitFor();

    await page.getByRole('button', { name: 'Change' }).click();
    await page.getByLabel('dc01').check();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('list', { name: 'Affected systems' }).getByText('dc01').waitFor();

    await page.getByLabel('Note').fill('Power company: cable works until Sunday');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await timeline.getByText('Power company: cable works until Sunday').waitFor();
    await timeline.getByText(/Task Remote check of every system: done; outcome: Everything answers/).waitFor();
    await shot('3-one-done');

    // Now shows the open incident.
    await page.getByRole('link', { name: 'Now' }).first().click();
    await page
      .getByRole('list', { name: 'Open incidents' })
      .getByText(/#1 Power going on and off/)
      .waitFor();
    await shot('4-now');
  }, 60_000);
});
