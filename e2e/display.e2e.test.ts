import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, phoneContext, screenshot } from './browser.js';
import { ApiSession, createStorage, startHub, type HubStorage, type RunningHub } from './hub-process.js';

const OWNER = { name: 'Ann Owner', email: 'ann@example.com', password: 'a long enough password' };
const AT = new Date('2026-12-05T21:30:00Z');

/**
 * Dates and times follow the firm, not each browser: the owner sets up from an American phone (so the
 * firm starts en-US, 12-hour), changes it in settings to British 24-hour and every screen follows; a
 * technician picks their own 12-hour clock on their profile, and only they see it. Both databases.
 */
describe.each(['sqlite', 'postgres'] as const)('dates and times on the phone [%s]', (dialect) => {
  let storage: HubStorage;
  let hub: RunningHub;
  let browser: Browser;
  let page: Page;
  const shot = (p: Page, name: string) => screenshot(p, `${dialect}-display-${name}`);
  const subtitle = (p: Page) => p.locator('.screen-subtitle').first().textContent();

  beforeAll(async () => {
    storage = await createStorage(dialect);
    hub = await startHub(storage);
    browser = await launchChromium();
    const context = await phoneContext(browser, 'light', { timezoneId: 'Europe/London', locale: 'en-US' });
    page = await context.newPage();
    await page.clock.setFixedTime(AT);
  });
  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
    await storage?.destroy();
  });

  it('starts from the owner’s browser at setup', async () => {
    await page.goto(hub.url);
    await page.getByLabel('Your name').fill(OWNER.name);
    await page.getByLabel('E-mail').fill(OWNER.email);
    await page.getByLabel('Password').fill(OWNER.password);
    await page.getByRole('button', { name: 'Create owner account' }).click();
    await page.getByRole('heading', { name: 'Now', level: 1 }).waitFor();
    await expect(subtitle(page)).resolves.toBe('Saturday, December 5 at 9:30 PM');
    const api = new ApiSession(hub.url);
    await api.call('POST', '/api/auth/sign-in', { email: OWNER.email, password: OWNER.password });
    expect((await api.call('GET', '/api/settings/display')).body).toEqual({ locale: 'en-US', clock: '12h' });
  });

  it('changes the firm’s to British 24-hour in settings, and Now follows', async () => {
    await page.getByRole('link', { name: 'Settings' }).first().click();
    await page.getByRole('link', { name: /Dates and times/ }).click();
    const form = page.getByRole('form', { name: 'Dates and times' });
    await form.getByLabel('Language for dates').selectOption('en-GB');
    await form.getByRole('radio', { name: /24-hour/ }).check();
    await expect.poll(() => form.textContent()).toContain('Example: Fri 4 Dec, 21:04');
    await form.getByRole('button', { name: 'Save dates and times' }).click();
    await form.getByText('Saved.').waitFor();
    await shot(page, '01-firm');
    await page.getByRole('link', { name: 'Now' }).first().click();
    await expect.poll(() => subtitle(page)).toBe('Saturday 5 December at 21:30');
    // A reload starts from the hub's setting, not the browser's.
    await page.reload();
    await page.getByRole('heading', { name: 'Now', level: 1 }).waitFor();
    await expect(subtitle(page)).resolves.toBe('Saturday 5 December at 21:30');
    await shot(page, '02-now-24h');
  });

  it('lets a technician keep a 12-hour clock of their own', async () => {
    const api = new ApiSession(hub.url);
    await api.call('POST', '/api/auth/sign-in', { email: OWNER.email, password: OWNER.password });
    const tech = { name: 'Tom Tech', email: 'tom@example.com', password: 'another long password', role: 'technician' };
    expect((await api.call('POST', '/api/users', { ...tech, clientId: null })).status).toBe(201);
    const techPage = await (
      await phoneContext(browser, 'light', { timezoneId: 'Europe/London', locale: 'en-GB' })
    ).newPage();
    await techPage.clock.setFixedTime(AT);
    await techPage.goto(hub.url);
    await techPage.getByLabel('E-mail').fill(tech.email);
    await techPage.getByLabel('Password').fill(tech.password);
    await techPage.getByRole('button', { name: 'Sign in' }).click();
    await techPage.getByRole('heading', { name: 'Now', level: 1 }).waitFor();
    await expect(subtitle(techPage)).resolves.toBe('Saturday 5 December at 21:30');

    await techPage.goto(`${hub.url}/settings/profile`);
    const form = techPage.getByRole('form', { name: 'Dates and times' });
    await form.getByRole('radio', { name: /12-hour/ }).check();
    await form.getByRole('button', { name: 'Save dates and times' }).click();
    await form.getByText('Saved.').waitFor();
    await shot(techPage, '03-profile-own-clock');
    await techPage.getByRole('link', { name: 'Now' }).first().click();
    await expect.poll(() => subtitle(techPage)).toBe('Saturday 5 December at 9:30 pm');
    // The owner still sees the firm's.
    await page.reload();
    await page.getByRole('heading', { name: 'Now', level: 1 }).waitFor();
    await expect(subtitle(page)).resolves.toBe('Saturday 5 December at 21:30');
  });
});
