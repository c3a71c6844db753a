import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, phoneContext, screenshot } from './browser.js';
import { createStorage, startHub, type HubStorage, type RunningHub } from './hub-process.js';

/**
 * The newcomer's path on a phone: first-run setup, a client with its contract, a site in its time zone,
 * three systems with dependencies, a reload, and everything still there. Runs on both databases; the
 * screenshots are kept in e2e/artifacts/ to be looked at.
 */
describe.each(['sqlite', 'postgres'] as const)('first run on a phone [%s]', (dialect) => {
  let storage: HubStorage;
  let hub: RunningHub;
  let browser: Browser;
  let page: Page;
  const shot = (name: string) => screenshot(page, `${dialect}-${name}`);

  beforeAll(async () => {
    storage = await createStorage(dialect);
    hub = await startHub(storage);
    browser = await launchChromium();
    const context = await phoneContext(browser);
    page = await context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
    await storage?.destroy();
  });

  it('sets up the owner, adds a client, a site and three systems with dependencies, and finds them after a reload', async () => {
    await page.goto(hub.url);
    await page.getByRole('heading', { name: 'Set up Afterhours' }).waitFor();
    await shot('01-setup');
    await page.getByLabel('Your name').fill('Sam Tech');
    await page.getByLabel('E-mail').fill('sam@example.com');
    await page.getByLabel('Password').fill('a long enough password');
    await page.getByRole('button', { name: 'Create owner account' }).click();
    await page.getByRole('link', { name: 'Clients' }).first().waitFor();
    await shot('02-now-empty');

    await page.getByRole('link', { name: 'Clients' }).first().click();
    await page.getByRole('button', { name: 'Add client' }).click();
    const clientDialog = page.getByRole('dialog', { name: 'Add client' });
    await clientDialog.getByLabel('Client name').fill('Harbour Dental');
    await clientDialog.getByLabel('Response target (minutes)').fill('30');
    await shot('03-add-client');
    await clientDialog.getByRole('button', { name: 'Save client' }).click();
    await page.getByRole('heading', { name: 'Harbour Dental' }).waitFor();

    await page.getByRole('button', { name: 'Add site' }).click();
    const siteDialog = page.getByRole('dialog', { name: 'Add site' });
    await siteDialog.getByLabel('Site name').fill('High Street office');
    await siteDialog.getByLabel('Time zone').fill('Europe/London');
    await siteDialog.getByLabel('Address').fill('12 High Street, Bristol');
    await siteDialog.getByRole('button', { name: 'Save site' }).click();
    await page.getByRole('heading', { name: 'High Street office' }).waitFor();

    await addSystem(page, { name: 'UPS', kind: 'UPS' });
    await addSystem(page, { name: 'Hyper-V host', kind: 'Hypervisor', dependsOn: ['UPS'] });
    await addSystem(page, { name: 'Mail server', kind: 'Email', dependsOn: ['Hyper-V host'] });
    await shot('04-site-with-systems');

    // A dependency loop is refused, with the loop named.
    await page.getByRole('button', { name: 'Edit UPS' }).click();
    const edit = page.getByRole('dialog');
    await edit.getByRole('checkbox', { name: 'Mail server' }).check();
    await edit.getByRole('button', { name: 'Save system' }).click();
    await expect.poll(() => edit.textContent()).toMatch(/UPS → .*Mail server|Mail server → .*UPS/);
    await shot('05-dependency-loop');
    await edit
      .getByRole('button', { name: /Cancel|Close/ })
      .first()
      .click();

    await page.reload();
    await page.getByRole('heading', { name: 'High Street office' }).waitFor();
    // The power set-up further down has headings of its own ("UPS"): count the systems' cards only.
    const systemCards = page.getByRole('list', { name: 'Systems' });
    for (const name of ['UPS', 'Hyper-V host', 'Mail server']) {
      const heading = systemCards.getByRole('heading', { name, exact: true, level: 3 });
      await heading.first().waitFor();
      await expect(heading.count()).resolves.toBe(1);
    }
    const mailCard = systemCards
      .locator('article, li, section')
      .filter({ has: page.getByRole('heading', { name: 'Mail server', exact: true, level: 3 }) })
      .last();
    await expect.poll(() => mailCard.textContent()).toContain('Hyper-V host');
    await shot('06-after-reload');

    await page.getByRole('link', { name: 'Now' }).first().click();
    await page.getByText('Harbour Dental').first().waitFor();
    await expect.poll(() => page.getByText('High Street office').first().isVisible()).toBe(true);
    await shot('07-now');
  });

  it('is installable on a phone: manifest with icons, iPhone home-screen tags, a service worker caching the shell', async () => {
    const manifestHref = await page.getAttribute('link[rel="manifest"]', 'href');
    expect(manifestHref).toBeTruthy();
    const manifest = await (await fetch(new URL(manifestHref!, hub.url))).json();
    expect(manifest).toMatchObject({ display: 'standalone', start_url: expect.any(String) });
    const sizes = manifest.icons.map((icon: { sizes: string }) => icon.sizes);
    expect(sizes).toEqual(expect.arrayContaining(['192x192', '512x512']));
    for (const icon of manifest.icons) expect((await fetch(new URL(icon.src, hub.url))).status).toBe(200);
    expect(await page.getAttribute('link[rel="apple-touch-icon"]', 'href')).toBeTruthy();
    expect(
      await page.getAttribute(
        'meta[name="apple-mobile-web-app-capable"], meta[name="mobile-web-app-capable"]',
        'content',
      ),
    ).toBe('yes');
    const controlled = await page.evaluate(async () => {
      const registration = await navigator.serviceWorker.ready;
      const cached = (
        await Promise.all((await caches.keys()).map(async (key) => (await caches.open(key)).keys()))
      ).flat();
      return {
        active: Boolean(registration.active),
        cachedShell: cached.some(
          (request) => new URL(request.url).pathname === '/' || request.url.endsWith('index.html'),
        ),
      };
    });
    expect(controlled.active).toBe(true);
    expect(controlled.cachedShell).toBe(true);
  });

  it('looks right in the dark as well', async () => {
    const dark = await phoneContext(browser, 'dark');
    const darkPage = await dark.newPage();
    const session = await page.context().cookies();
    await dark.addCookies(session);
    await darkPage.goto(hub.url);
    await darkPage.getByText('Harbour Dental').first().waitFor();
    await screenshot(darkPage, `${dialect}-08-now-dark`);
    const background = await darkPage.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const [r, g, b] = background.match(/\d+/g)!.map(Number);
    expect(r! + g! + b!).toBeLessThan(200);
    await dark.close();
  });
});

async function addSystem(page: Page, system: { name: string; kind: string; dependsOn?: string[] }) {
  await page.getByRole('button', { name: 'Add system' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add system' });
  await dialog.getByLabel('System name').fill(system.name);
  await dialog.getByLabel('Kind').selectOption({ label: system.kind });
  for (const parent of system.dependsOn ?? []) await dialog.getByRole('checkbox', { name: parent }).check();
  await dialog.getByRole('button', { name: 'Save system' }).click();
  await dialog.waitFor({ state: 'hidden' });
  await page
    .getByRole('list', { name: 'Systems' })
    .getByRole('heading', { name: system.name, exact: true, level: 3 })
    .waitFor();
}
