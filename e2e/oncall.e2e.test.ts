import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot } from './browser.js';
import type { RunningHub } from './hub-process.js';
import { type OwnerHub, startOwnerHub } from './owner-hub.js';

const OWNER = { name: 'Ann Owner', email: 'ann@example.com', password: 'a long enough password' };

/**
 * On call from a phone: the On call tab shows who is on call now and next in each schedule; "Cover a
 * shift" → "I'll cover" (two taps) makes an override, and the screen then shows the person covering.
 * The four-week calendar marks the gaps; the schedules screen shows the layers. Both databases;
 * screenshots in e2e/artifacts/.
 */
describe.each(['sqlite', 'postgres'] as const)('on call on a phone [%s]', (dialect) => {
  let env: OwnerHub;
  let hub: RunningHub;
  let page: Page;
  let scheduleId: string;
  const shot = (name: string) => screenshot(page, `${dialect}-oncall-${name}`);

  beforeAll(async () => {
    env = await startOwnerHub(dialect, OWNER);
    ({ hub } = env);
    const tess = await env.ok('POST', '/api/users', {
      email: 'tess@example.com',
      name: 'Tess Tech',
      role: 'technician',
      password: 'a long enough password',
    });
    const schedule = await env.ok('POST', '/api/schedules', { name: 'Out of hours', timeZone: 'Europe/London' });
    scheduleId = schedule.id;
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    // Tess all week; weekday daytime (Mon–Fri 09:00–17:00) is nobody's, so the calendar has gaps.
    await env.ok('POST', `/api/schedules/${scheduleId}/layers`, {
      name: 'Tess',
      participantIds: [tess.id],
      rotation: 'weekly',
      handoffTime: '09:00',
      startDate: yesterday,
      restrictions: [
        { days: [1, 2, 3, 4, 5], from: '17:00', to: '09:00' },
        { days: [6, 0], from: '00:00', to: '00:00' },
      ],
    });
    ({ page } = await env.phone());
  });
  afterAll(async () => {
    await env?.close();
  });

  it('shows who is on call, and covering a shift changes it', async () => {
    await page.getByRole('link', { name: 'On call' }).click();
    const card = page.getByRole('region', { name: 'Out of hours' });
    await card.getByTestId('on-call-now').waitFor();
    const before = await card.getByTestId('on-call-now').textContent();
    expect(before).toMatch(/^Now(Tess Tech|Nobody) until /);
    await shot('01-now');

    await card.getByRole('button', { name: 'Cover a shift' }).click();
    const dialog = page.getByRole('dialog', { name: 'Cover Out of hours' });
    await expect(dialog.getByRole('radio', { name: 'Next 2 hours' }).isChecked()).resolves.toBe(true);
    await shot('02-cover');
    await dialog.getByRole('button', { name: "I'll cover" }).click();
    await dialog.waitFor({ state: 'detached' });
    await card.getByText('covering').first().waitFor();
    await expect.poll(() => card.getByTestId('on-call-now').textContent()).toMatch(/^NowAnn Ownercovering until /);
    await page.getByRole('list', { name: 'My shifts' }).getByText('Out of hours · covering').waitFor();
    await shot('03-covered');

    // The hub agrees: the owner is on call now.
    const now = await env.ok('GET', '/api/oncall');
    expect(now.items[0].now.user.name).toBe('Ann Owner');
  });

  it('shows four weeks with the gaps marked, and the layers', async () => {
    await page.getByRole('region', { name: 'Out of hours' }).getByRole('link', { name: 'Four weeks' }).click();
    await page.getByRole('heading', { name: 'Out of hours', level: 1 }).waitFor();
    await expect.poll(() => page.locator('li.oncall-day').count()).toBe(28);
    await expect.poll(() => page.locator('li.oncall-day[data-gap]').count()).toBeGreaterThanOrEqual(18);
    await page.getByText(/gaps with nobody on call in these four weeks/).waitFor();
    await shot('04-calendar');

    await page.goto(`${hub.url}/oncall/schedules`);
    const layers = page.getByRole('list', { name: 'Layers of Out of hours' });
    await layers.getByText('Tess Tech').waitFor();
    await shot('05-schedules');

    // An admin lays a weekend layer over it from the phone.
    await page.getByRole('button', { name: 'Add layer to Out of hours' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a layer' });
    await dialog.getByLabel('Name').fill('Weekend');
    await dialog.getByLabel('Ann Owner').check();
    await dialog.getByLabel('Only on some days and hours').check();
    const days = dialog.getByRole('group', { name: 'Days' });
    for (const d of ['Mon', 'Tue', 'Wed', 'Thu', 'Fri']) await days.getByLabel(d).uncheck();
    for (const d of ['Sat', 'Sun']) await days.getByLabel(d).check();
    await dialog.getByLabel('From', { exact: true }).fill('00:00');
    await dialog.getByLabel('Until', { exact: true }).fill('00:00');
    await shot('06-add-layer');
    await dialog.getByRole('button', { name: 'Add layer' }).click();
    await dialog.waitFor({ state: 'detached' });
    await layers.getByText('Sun Sat all day').waitFor();
    await shot('07-layers');
    const schedule = await env.ok('GET', `/api/schedules/${scheduleId}`);
    expect(schedule.layers.map((l: { name: string; position: number }) => [l.name, l.position])).toEqual([
      ['Tess', 0],
      ['Weekend', 1],
    ]);
    expect(schedule.layers[1].restrictions).toEqual([{ days: [0, 6], from: '00:00', to: '00:00' }]);
  });

  it('makes a team', async () => {
    await page.goto(`${hub.url}/oncall/teams`);
    await page.getByRole('button', { name: 'New team' }).click();
    const dialog = page.getByRole('dialog', { name: 'New team' });
    await dialog.getByLabel('Name').fill('Field engineers');
    await dialog.getByLabel('Tess Tech').check();
    await dialog.getByLabel('Ann Owner').check();
    await dialog.getByRole('button', { name: 'Make team' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('list', { name: 'Teams' }).getByText('Tess Tech, Ann Owner').waitFor();
    await shot('08-teams');
  });
});
