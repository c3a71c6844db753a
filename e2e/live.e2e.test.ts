import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, phoneContext, screenshot, signIn } from './browser.js';
import { ApiSession, createStorage, startHub, type HubStorage, type RunningHub } from './hub-process.js';

const OWNER = { name: 'Ann Owner', email: 'ann@example.com', password: 'a long enough password' };

async function signedInPhone(browser: Browser, hubUrl: string): Promise<Page> {
  const page = await (await phoneContext(browser)).newPage();
  await signIn(page, hubUrl, OWNER);
  return page;
}

/**
 * A change made by one technician shows on another's phone without reloading: on SQLite through one
 * hub; on PostgreSQL with the two phones on two different hub processes sharing the database.
 */
describe.each(['sqlite', 'postgres'] as const)('live updates between two phones [%s]', (dialect) => {
  let storage: HubStorage;
  const hubs: RunningHub[] = [];
  let browser: Browser;

  beforeAll(async () => {
    storage = await createStorage(dialect);
    hubs.push(await startHub(storage));
    if (dialect === 'postgres') hubs.push(await startHub(storage));
    expect((await new ApiSession(hubs[0]!.url).call('POST', '/api/setup', OWNER)).status).toBe(200);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    for (const hub of hubs) await hub.stop();
    await storage?.destroy();
  });

  it('shows a client added on one phone on the other phone without a reload', async () => {
    const first = await signedInPhone(browser, hubs[0]!.url);
    const second = await signedInPhone(browser, hubs.at(-1)!.url);
    await expect(second.getByText('Riverside Vets').count()).resolves.toBe(0);
    let reloaded = false;
    second.on('framenavigated', () => (reloaded = true));

    await first.getByRole('link', { name: 'Clients' }).first().click();
    await first.getByRole('button', { name: 'Add client' }).click();
    const dialog = first.getByRole('dialog', { name: 'Add client' });
    await dialog.getByLabel('Client name').fill('Riverside Vets');
    await dialog.getByRole('button', { name: 'Save client' }).click();
    await first.getByRole('heading', { name: 'Riverside Vets' }).waitFor();

    await second.getByText('Riverside Vets').first().waitFor({ timeout: 10_000 });
    expect(reloaded).toBe(false);
    await screenshot(second, `${dialect}-live-second-phone`);
  });
});
