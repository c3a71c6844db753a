import { Secret, TOTP } from 'otpauth';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, phoneContext, screenshot, signIn } from './browser.js';
import { createStorage, setUpOwner, startHub, type HubStorage, type RunningHub } from './hub-process.js';

const OWNER = { name: 'Ann Owner', email: 'ann@example.com', password: 'a long enough password' };

const totpNow = (secret: string) =>
  new TOTP({ algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secret) }).generate();

/**
 * A technician turns two-factor on from the phone, is shown ten recovery codes once, and later signs
 * in with one of them instead of the authenticator code; the profile then says nine are left.
 */
describe('two-factor recovery codes on the phone', () => {
  let storage: HubStorage;
  let hub: RunningHub;
  let browser: Browser;
  let page: Page;
  const shot = (name: string) => screenshot(page, `recovery-codes-${name}`);

  beforeAll(async () => {
    storage = await createStorage('sqlite');
    hub = await startHub(storage);
    await setUpOwner(hub, OWNER);
    browser = await launchChromium();
    page = await (await phoneContext(browser, 'light', { timezoneId: 'UTC', locale: 'en-GB' })).newPage();
    await signIn(page, hub.url, OWNER);
  });
  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
    await storage?.destroy();
  });

  it('shows the codes once after turning two-factor on, and signs in with one', async () => {
    await page.goto(`${hub.url}/settings/profile`);
    await page.getByRole('button', { name: 'Set up two-factor' }).click();
    const secret = ((await page.getByLabel('Two-factor secret').textContent()) ?? '').replace(/\s/g, '');
    await page.getByLabel('6-digit code').fill(totpNow(secret));
    await page.getByRole('button', { name: 'Turn on two-factor' }).click();

    const list = page.getByRole('region', { name: 'Your recovery codes' });
    await list.waitFor();
    const codes = (await list.locator('code').allInnerTexts()).map((c) => c.trim());
    expect(codes).toHaveLength(10);
    for (const code of codes) expect(code).toMatch(/^[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}$/);
    const done = page.getByRole('button', { name: 'Done' });
    expect(await done.isDisabled()).toBe(true);
    await shot('1-shown');
    await page.getByLabel('I have saved them').check();
    await done.click();
    await page.getByText('10 recovery codes left.').waitFor();
    expect(await page.locator('.recovery-code-list').count()).toBe(0);
    await shot('2-left');

    await page.goto(`${hub.url}/settings`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('E-mail').fill(OWNER.email);
    await page.getByLabel('Password').fill(OWNER.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByLabel('Authentication code').waitFor();
    await shot('3-two-factor-step');
    await page.getByRole('button', { name: 'Use a recovery code' }).click();
    await page.getByLabel('Recovery code').fill('zzzz-zzzz-zzzz');
    await page.getByRole('button', { name: 'Verify and sign in' }).click();
    await page.getByText('Recovery code is not right or was used already', { exact: true }).waitFor();
    await shot('4-wrong-code');
    await page.getByLabel('Recovery code').fill(codes[0]!.toUpperCase());
    await page.getByRole('button', { name: 'Verify and sign in' }).click();
    await page.getByText('You have 9 recovery codes left.').waitFor();
    await shot('5-signed-in-with-code');
    await page.getByRole('button', { name: 'Continue' }).click();
    // Signed in: back on the screen the sign-out left from.
    await page.getByRole('button', { name: 'Sign out' }).waitFor();

    await page.goto(`${hub.url}/settings/profile`);
    await page.getByText('9 recovery codes left.').waitFor();
    await page.getByRole('button', { name: 'New recovery codes' }).click();
    await page.getByLabel('Your password').fill(OWNER.password);
    await shot('6-regenerate');
    await page.getByRole('button', { name: 'Make new codes' }).click();
    await list.waitFor();
    const fresh = (await list.locator('code').allInnerTexts()).map((c) => c.trim());
    expect(fresh).toHaveLength(10);
    expect(fresh).not.toContain(codes[1]);
    await shot('7-new-codes');
    await page.getByLabel('I have saved them').check();
    await page.getByRole('button', { name: 'Done' }).click();

    // The phone is lost: turn two-factor off with one of the new codes.
    await page.getByRole('button', { name: 'Lost your phone? Use a recovery code' }).click();
    await page.getByLabel('Recovery code to turn it off').fill(fresh[0]!);
    await shot('8-turn-off');
    await page.getByRole('button', { name: 'Turn off two-factor' }).click();
    await page.getByRole('button', { name: 'Set up two-factor' }).waitFor();
  });
});
