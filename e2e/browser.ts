import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterEach } from 'vitest';

export const ARTIFACTS = new URL('./artifacts/', import.meta.url).pathname;

/** Content-Security-Policy violations Chromium reported on any page since the last test ended. */
const cspViolations: string[] = [];

/** Every e2e test fails if the browser refused anything under the hub's Content-Security-Policy. */
afterEach(() => {
  const seen = cspViolations.splice(0);
  if (seen.length > 0) throw new Error(`Content-Security-Policy violations in the browser:\n${seen.join('\n')}`);
});

export function watchForCspViolations(page: Page): void {
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(`${page.url()}: ${message.text()}`);
  });
}

/** Debian's Chromium, with the flags that keep it from reaching for the (closed) network. Every page it opens is watched for CSP violations. */
export async function launchChromium(): Promise<Browser> {
  const browser = await launch();
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (...args: Parameters<Browser['newContext']>) => {
    const context = await newContext(...args);
    context.on('page', watchForCspViolations);
    return context;
  };
  return browser;
}

const CHROMIUM = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-gpu',
    '--no-first-run',
  ],
};

function launch(): Promise<Browser> {
  return chromium.launch(CHROMIUM);
}

/**
 * A phone-sized Chromium with a real (not incognito) profile in `userDataDir`: what push needs, since
 * Chromium refuses push subscriptions in incognito contexts ("Registration failed - permission denied").
 */
export async function launchPhoneProfile(userDataDir: string): Promise<BrowserContext> {
  const context = await chromium.launchPersistentContext(userDataDir, {
    ...CHROMIUM,
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 3,
    isMobile: true,
    hasTouch: true,
  });
  context.on('page', watchForCspViolations);
  return context;
}

/** An iPhone 14-sized phone: 390×844 CSS pixels at 3×, touch, mobile user agent; optionally in a time zone and locale of its own. */
export function phoneContext(
  browser: Browser,
  colorScheme: 'light' | 'dark' = 'light',
  where: { timezoneId?: string; locale?: string } = {},
): Promise<BrowserContext> {
  return browser.newContext({
    ...where,
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 3,
    isMobile: true,
    hasTouch: true,
    colorScheme,
    userAgent:
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1',
  });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Signs in on the hub's sign-in screen and waits for Now. */
export async function signIn(page: Page, hubUrl: string, user: { email: string; password: string }): Promise<void> {
  await page.goto(hubUrl);
  await page.getByLabel('E-mail').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Now' }).waitFor();
}
