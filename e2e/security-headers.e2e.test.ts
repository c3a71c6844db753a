import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchChromium, phoneContext } from './browser.js';
import { createStorage, startHub, type HubStorage, type RunningHub } from './hub-process.js';

/**
 * The API docs (Swagger UI) run under a policy of their own; the shared guard in browser.ts fails
 * this test, like every e2e test, on any Content-Security-Policy violation.
 */
let storage: HubStorage;
let hub: RunningHub;
let browser: Browser;
beforeAll(async () => {
  storage = await createStorage('sqlite');
  hub = await startHub(storage);
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await hub?.stop();
  await storage?.destroy();
});

it('shows the API docs with no policy violation', async () => {
  const page = await (await phoneContext(browser)).newPage();
  const res = await page.goto(`${hub.url}/api/docs`);
  expect(res?.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
  await page.getByText('Afterhours hub API').first().waitFor();
  await page.getByText('/api/clients').first().waitFor();
});

it('refuses to be framed by another page', async () => {
  const page = await (await phoneContext(browser)).newPage();
  const res = await page.goto(hub.url);
  expect(res?.headers()['x-frame-options']).toBe('DENY');
  expect(res?.headers()['content-security-policy']).toContain("script-src 'self'");
});
