import { createECDH, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decryptAes128gcm, startHttpSink } from '../apps/server/src/test/notify.js';
import { eventually } from './agent-process.js';
import { launchPhoneProfile, screenshot, signIn } from './browser.js';
import {
  createStorage,
  setUpOwner,
  startHub,
  type ApiSession,
  type HubStorage,
  type RunningHub,
} from './hub-process.js';

const OWNER = { name: 'Ann Owner', email: 'ann@example.com', password: 'a long enough password' };

interface Shown {
  title: string;
  body: string;
  actions: string[];
  data: { open?: string; ack?: string };
}

/**
 * Web push through the app's own flow in Chromium, as far as it is real offline. Chromium gets a push
 * subscription only from Google's push service (its GCM check-in hangs with no network), so the one
 * browser call that needs it, `pushManager.subscribe`, answers a subscription whose endpoint is a push
 * service on loopback and whose keys this test holds (it records what the app asked for: the hub's VAPID
 * key). Everything else is real: Chromium's permission prompt and service worker, the app's subscribe flow
 * and form, the hub encrypting (RFC 8291) and signing (VAPID) each message to that endpoint, the test
 * decrypting it with the subscription's keys, and Chromium's service worker receiving the decrypted message
 * as a push event (DevTools' deliverPushMessage, what Chromium's push service would hand it) and showing
 * the notification with its Acknowledge action, whose signed link then acknowledges.
 */
describe.each(['sqlite', 'postgres'] as const)('web push in Chromium [%s]', (dialect) => {
  let storage: HubStorage;
  let hub: RunningHub;
  let api: ApiSession;
  let profile: string;
  let context: BrowserContext;
  let page: Page;
  let cdp: CDPSession;
  let registrationId: string;
  let pushService: Awaited<ReturnType<typeof startHttpSink>>;
  const ua = createECDH('prime256v1');
  ua.generateKeys();
  const auth = randomBytes(16);
  const shot = (name: string) => screenshot(page, `${dialect}-push-${name}`);

  /** What the service worker has on display now. */
  function notificationsShown(): Promise<Shown[]> {
    return page.evaluate(async () => {
      const registration = await navigator.serviceWorker.ready;
      return (await registration.getNotifications()).map((n) => ({
        title: n.title,
        body: n.body,
        actions: ((n as unknown as { actions?: { action: string }[] }).actions ?? []).map((a) => a.action),
        data: n.data,
      }));
    });
  }

  /**
   * The next message the hub sent to the push service, decrypted, delivered to the service worker, shown.
   *
   * Chromium's getNotifications() also deletes the record of any notification its platform has not put
   * on display yet, so a look in the moment between the worker's showNotification and the display loses
   * the notification for good (seen on a loaded machine). So the first look waits a second, and if the
   * notification is still not there the message is delivered again, as a push service redelivers a
   * message the browser did not take.
   */
  async function receive(after: number, title: RegExp): Promise<Shown> {
    const request = await eventually('a push message', async () => pushService.requests[after]);
    expect(request.headers['content-encoding']).toBe('aes128gcm');
    expect(String(request.headers.authorization)).toMatch(/^vapid t=[\w-]+\.[\w-]+\.[\w-]+, k=[\w-]+$/);
    const payload = decryptAes128gcm(request.body, ua, auth).toString('utf8');
    const deliveries = 3;
    for (let delivery = 1; ; delivery++) {
      await cdp.send('ServiceWorker.deliverPushMessage', { origin: hub.url, registrationId, data: payload });
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      try {
        return await eventually(
          'the notification',
          async () => (await notificationsShown()).find((n) => title.test(n.title)),
          10_000,
        );
      } catch (error) {
        if (delivery === deliveries) throw error;
      }
    }
  }

  beforeAll(async () => {
    pushService = await startHttpSink(() => ({ status: 201 }));
    storage = await createStorage(dialect);
    hub = await startHub(storage);
    api = await setUpOwner(hub, OWNER);
    profile = mkdtempSync(join(tmpdir(), 'afterhours-push-'));
    context = await launchPhoneProfile(profile);
    await context.grantPermissions(['notifications'], { origin: hub.url });
    const subscription = {
      endpoint: `${pushService.url}/push/this-phone`,
      p256dh: ua.getPublicKey().toString('base64url'),
      auth: auth.toString('base64url'),
    };
    await context.addInitScript((s) => {
      PushManager.prototype.subscribe = async function (options?: PushSubscriptionOptionsInit) {
        const key = new Uint8Array(options?.applicationServerKey as ArrayBuffer);
        (window as unknown as { asked: unknown }).asked = {
          userVisibleOnly: options?.userVisibleOnly,
          key: btoa(String.fromCharCode(...key))
            .replace(/\+/g, '-')
            .replace(/\//g, '_')
            .replace(/=+$/, ''),
        };
        return {
          endpoint: s.endpoint,
          toJSON: () => ({ endpoint: s.endpoint, keys: { p256dh: s.p256dh, auth: s.auth } }),
        } as unknown as PushSubscription;
      };
    }, subscription);
    page = context.pages()[0] ?? (await context.newPage());
    await signIn(page, hub.url, OWNER);
    cdp = await context.newCDPSession(page);
    const found = new Promise<string>((resolve) =>
      cdp.on('ServiceWorker.workerRegistrationUpdated', (event) => {
        const mine = event.registrations.find((r) => r.scopeURL === `${hub.url}/` && !r.isDeleted);
        if (mine) resolve(mine.registrationId);
      }),
    );
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
    await cdp.send('ServiceWorker.enable');
    registrationId = await found;
  }, 60_000);
  afterAll(async () => {
    await context?.close();
    await hub?.stop();
    await storage?.destroy();
    await pushService?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('the app subscribes this phone with the hub’s key; the code arrives as a notification and verifies it', async () => {
    await page.goto(`${hub.url}/settings/notifications`);
    await page.getByRole('button', { name: 'Add' }).click();
    await page.getByLabel('Kind').selectOption('push');
    await page.getByText('This phone will ask to allow notifications.').waitFor();
    await page.getByRole('button', { name: 'Add and send code' }).click();
    const code = await receive(0, /code is \d{6}/);
    const asked = await page.evaluate(
      () => (window as unknown as { asked: { userVisibleOnly: boolean; key: string } }).asked,
    );
    const hubKey = (await api.call('GET', '/api/notify/push-key')).body.publicKey;
    expect(asked).toEqual({ userVisibleOnly: true, key: hubKey });
    await page.getByLabel('Code').fill(/(\d{6})/.exec(code.title)![1]!);
    await shot('enter-code');
    await page.getByRole('button', { name: 'Verify' }).click();
    const methods = page.getByRole('list', { name: 'Contact methods' });
    await methods.getByText(/^Push to this phone · 127\.0\.0\.1:\d+$/).waitFor();
    await methods.getByText('Not verified').waitFor({ state: 'detached' });
    const [method] = (await api.call('GET', '/api/me/notifications')).body.methods;
    expect(method).toMatchObject({ kind: 'push', verified: true });
  });

  it('a test page shows with an Acknowledge action whose signed link acknowledges it', async () => {
    const before = pushService.requests.length;
    await page.getByRole('button', { name: 'Send a test to This phone' }).click();
    const shown = await receive(before, /Test message/);
    expect(shown.actions).toEqual(['ack']);
    expect(shown.data.ack).toMatch(new RegExp(`^${hub.url}/l/ack\\?t=`));
    // Tapping the Acknowledge action runs the service worker's acknowledge (sw.js, notificationclick); a
    // headless browser shows no notification to tap, so the test runs that function in the worker.
    const [worker] = context.serviceWorkers();
    const answer = await worker!.evaluate(async (ack) => {
      const response = await (self as unknown as { acknowledge(a: string): Promise<Response> }).acknowledge(ack);
      return { status: response.status, text: await response.text() };
    }, shown.data.ack!);
    expect(answer.status).toBe(200);
    expect(answer.text).toContain('Acknowledged');
    await shot('acknowledged');
  });
});
