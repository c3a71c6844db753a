import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot } from './browser.js';
import { addClientSiteSystem, type ApiSession, type RunningHub } from './hub-process.js';
import { type OwnerHub, startOwnerHub } from './owner-hub.js';

const OWNER = { name: 'Ann Owner', email: 'ann@example.com', password: 'a long enough password' };

/**
 * Escalation policies and a client's paging, made from a phone against the built hub: a policy with a person,
 * then the on-call schedule and a team, a repeat, set as the default; then a client's contract names it and
 * says what pages when, and the client screen shows both.
 */
describe.each(['sqlite', 'postgres'] as const)('escalation policies on a phone [%s]', (dialect) => {
  let env: OwnerHub;
  let hub: RunningHub;
  let page: Page;
  let api: ApiSession;
  let clientId: string;
  const shot = (name: string) => screenshot(page, `${dialect}-policies-${name}`);

  beforeAll(async () => {
    env = await startOwnerHub(dialect, OWNER);
    ({ hub, api } = env);
    const tess = await env.ok('POST', '/api/users', {
      email: 'tess@example.com',
      name: 'Tess Tech',
      role: 'technician',
      password: 'a long enough password',
    });
    await env.ok('POST', '/api/schedules', { name: 'Out of hours', timeZone: 'Europe/London' });
    await env.ok('POST', '/api/teams', { name: 'Field team', memberIds: [tess.id] });
    ({ clientId } = await addClientSiteSystem(api, {
      client: 'Harbour Dental',
      site: 'High Street office',
      timeZone: 'Europe/London',
      system: 'FS01',
      kind: 'server',
    }));
    ({ page } = await env.phone());
  });
  afterAll(async () => {
    await env?.close();
  });

  it('a policy is made with steps, a repeat and as the default, then edited', async () => {
    await page.getByRole('link', { name: 'On call' }).first().click();
    await page.getByRole('link', { name: 'Policies' }).click();
    await page.getByRole('heading', { name: 'Escalation policies' }).waitFor();
    await page.getByText('No policies yet').waitFor();
    await page.getByRole('button', { name: 'New policy' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name', { exact: true }).fill('Nights');
    await dialog.getByLabel('Step 1 who 1').selectOption({ label: 'On call in Out of hours' });
    await dialog.getByRole('button', { name: 'Add step' }).click();
    await dialog.getByLabel('Step 2 who 1').selectOption({ label: 'Tess Tech' });
    await dialog.getByRole('button', { name: 'Also page' }).nth(1).click();
    await dialog.getByLabel('Step 2 who 2').selectOption({ label: 'Everyone in Field team' });
    await dialog.getByLabel('Repeat the steps (times) while nobody acknowledges').fill('2');
    await dialog.getByLabel('Default policy').check();
    await shot('new');
    await dialog.getByRole('button', { name: 'Make policy' }).click();
    const card = page.getByRole('region', { name: 'Nights' });
    await card.getByText('1. On call in Out of hours — wait 5 min').waitFor();
    await card.getByText('2. Tess Tech, Everyone in Field team — wait 10 min').waitFor();
    await card.getByText('Then again, 2 more times').waitFor();
    await card.getByText('Default').waitFor();
    await shot('list');

    await card.getByRole('button', { name: 'Edit Nights' }).click();
    await dialog.getByLabel('Then wait (minutes) for an acknowledgement').first().fill('15');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await card.getByText('1. On call in Out of hours — wait 15 min').waitFor();
    const [policy] = (await env.ok('GET', '/api/escalation-policies')).items;
    expect(policy).toMatchObject({ name: 'Nights', isDefault: true, repeat: 2 });
    expect(policy.steps.map((s: { waitMinutes: number }) => s.waitMinutes)).toEqual([15, 10]);
  });

  it('a bad step is named: a wait of 0 minutes', async () => {
    await page.getByRole('button', { name: 'Edit Nights' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Then wait (minutes) for an acknowledgement').first().fill('0');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.locator('.field-error').first().waitFor();
    await shot('bad-wait');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  it("a client's contract names its policy and what pages when; the client screen shows them", async () => {
    await page.goto(`${hub.url}/clients/${clientId}`);
    await page.getByRole('button', { name: 'Edit client' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('Set hours').click();
    await dialog.getByLabel('Escalation policy').selectOption({ label: 'Nights' });
    await dialog.getByLabel('What pages within support hours').selectOption({ label: 'Every system' });
    await dialog.getByLabel('What pages outside support hours').selectOption({ label: 'High and critical systems' });
    await shot('contract-form');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page
      .getByText('Pages for every system within support hours; outside them, high and critical systems')
      .waitFor();
    await page.getByRole('link', { name: 'Nights' }).waitFor();
    await shot('client');
    const client = await env.ok('GET', `/api/clients/${clientId}`);
    expect(client.contract).toMatchObject({
      escalationPolicyId: expect.any(String),
      paging: { withinHours: 'low', outsideHours: 'high' },
    });
  });

  it("Settings → Hub health shows the escalation engine's heartbeat", async () => {
    await page.goto(`${hub.url}/settings`);
    const health = page.getByRole('list', { name: 'Hub health' });
    await health.getByText('Escalation engine').waitFor();
    await health.getByText('Running').waitFor();
    await health.getByText(/Last pass .* pid \d+/).waitFor();
    await shot('hub-health');
  });
});
