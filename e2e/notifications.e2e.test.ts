import type { Browser, Page } from 'playwright-core';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eventually } from './agent-process.js';
import { smtpSink } from './smtp-sink.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, phoneContext, screenshot, signIn } from './browser.js';
import {
  createStorage,
  setUpOwner,
  startHub,
  type ApiSession,
  type HubStorage,
  type RunningHub,
} from './hub-process.js';

const OWNER = { name: 'Ann Owner', email: 'ann@example.com', password: 'a long enough password' };

/**
 * On a phone: an owner points the hub at its mail server, adds an e-mail contact method, types the code the
 * real SMTP server received, sends a test, adds a rule, and sees the delivery log. Both databases;
 * screenshots in e2e/artifacts/.
 */
describe.each(['sqlite', 'postgres'] as const)('notification settings on a phone [%s]', (dialect) => {
  let storage: HubStorage;
  let hub: RunningHub;
  let browser: Browser;
  let page: Page;
  let smtp: Awaited<ReturnType<typeof smtpSink>>;
  const shot = (name: string) => screenshot(page, `${dialect}-notifications-${name}`);

  beforeAll(async () => {
    smtp = await smtpSink();
    storage = await createStorage(dialect);
    hub = await startHub(storage);
    await setUpOwner(hub, OWNER);
    browser = await launchChromium();
    page = await (await phoneContext(browser)).newPage();
    await signIn(page, hub.url, OWNER);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
    await storage?.destroy();
    await smtp?.close();
  });

  it('sets the outgoing mail server, adds and verifies an e-mail method, sends a test and shows the log', async () => {
    await page.goto(`${hub.url}/settings/channels`);
    await page.getByLabel('SMTP server').fill('127.0.0.1');
    await page.getByLabel('Port').fill(String(smtp.port));
    await page.getByLabel('Security').selectOption('none');
    await page.getByLabel('Send as').fill('Afterhours <alerts@desk.example>');
    await page.getByRole('button', { name: 'Save mail server' }).click();
    await page.getByText('Saved.').first().waitFor();
    await shot('1-hub-channels');

    await page.goto(`${hub.url}/settings/notifications`);
    await page.getByRole('button', { name: 'Add' }).click();
    await page.getByLabel('E-mail address').fill('not an address');
    await page.getByRole('button', { name: 'Add and send code' }).click();
    await page.locator('.field-error', { hasText: 'must be an e-mail address' }).waitFor();
    await page.getByLabel('E-mail address').fill('ann.phone@example.com');
    await page.getByLabel('Name').fill('Work mail');
    await page.getByRole('button', { name: 'Add and send code' }).click();
    const mail = await eventually('the code by e-mail', () =>
      smtp.mails.find((m) => /code is \d{6}/.test(m.subject ?? '')),
    );
    const code = /code is (\d{6})/.exec(mail.subject ?? '')?.[1] ?? '';
    await page.getByLabel('Code').fill(code);
    await shot('2-enter-code');
    await page.getByRole('button', { name: 'Verify' }).click();
    const methods = page.getByRole('list', { name: 'Contact methods' });
    await methods.getByText('Work mail').waitFor();
    await methods.getByText('Not verified').waitFor({ state: 'detached' });

    await page.getByRole('button', { name: 'Send a test to Work mail' }).click();
    await page.getByText('Test sent to Work mail.').waitFor();
    const test = await eventually('the test mail', () => smtp.mails.find((m) => m.subject === 'Test message'));
    expect(test.text).toContain('If you can read it, alerts will reach you here.');

    await page.getByLabel('After (minutes)').fill('0');
    await page.getByRole('button', { name: 'Add rule' }).click();
    await page.getByRole('list', { name: 'Page rules' }).getByText('Work mail at once').waitFor();
    await page.getByRole('list', { name: 'Messages sent to me' }).getByText('Test message').waitFor();
    await eventually('the test marked sent', async () =>
      (await page.getByRole('list', { name: 'Messages sent to me' }).getByText('Sent').count()) >= 1
        ? true
        : (await page.reload(), undefined),
    );
    await shot('3-settings');
    await page.getByRole('heading', { name: 'Messages sent to me' }).scrollIntoViewIfNeeded();
    await shot('4-log');
  }, 90_000);

  it('removes the mail server after a confirmation; its password is gone and the form is empty again', async () => {
    await page.goto(`${hub.url}/settings/channels`);
    await page.getByRole('button', { name: 'Remove mail server' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('Its password is deleted.', { exact: false }).waitFor();
    await shot('4-remove-mail-server');
    await dialog.getByRole('button', { name: 'Remove mail server' }).click();
    // The dialog's button has the page's button's name: once the dialog is gone only the page's is left.
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Remove mail server' }).waitFor({ state: 'detached' });
    expect(await page.getByLabel('SMTP server').inputValue()).toBe('');
    await shot('5-mail-server-removed');
  });
});

/**
 * kill -9 of the hub while a message is being handed over: after the restart the log says "may have been
 * sent" and that message is never sent again; messages queued after it go once.
 */
describe.each(['sqlite', 'postgres'] as const)('outbox across kill -9 [%s]', (dialect) => {
  let storage: HubStorage;
  let hub: RunningHub;
  const received: Array<{ id: string }> = [];
  let holdNext = false;
  const held: ServerResponse[] = [];
  const sink = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    req.on('end', () => {
      received.push({ id: String(req.headers['idempotency-key']) });
      if (holdNext) {
        held.push(res);
        return;
      }
      res.writeHead(200).end('ok');
    });
  });
  // The send timeout bounds the lease after which PostgreSQL calls a claim abandoned (2 × 3 s + 5 s).
  const env = { AFTERHOURS_NOTIFY_TIMEOUT_S: '3' };

  beforeAll(async () => {
    await new Promise<void>((r) => sink.listen(0, '127.0.0.1', () => r()));
    storage = await createStorage(dialect);
    hub = await startHub(storage, undefined, env);
  }, 60_000);
  afterAll(async () => {
    for (const res of held) res.destroy();
    sink.closeAllConnections();
    await new Promise<void>((r) => sink.close(() => r()));
    await hub?.stop();
    await storage?.destroy();
  });

  it('marks the message in hand "may have been sent" and sends nothing twice', async () => {
    const api: ApiSession = await setUpOwner(hub, OWNER);
    const url = `http://127.0.0.1:${(sink.address() as AddressInfo).port}/hook`;
    const added = await api.call('POST', '/api/me/contact-methods', {
      kind: 'webhook',
      label: 'Ops hook',
      settings: { url, secret: 'a-long-enough-secret' },
    });
    expect(added.status).toBe(201);
    await eventually('the verification message', () => (received.length === 1 ? true : undefined));
    holdNext = true;
    const test = await api.call('POST', `/api/me/contact-methods/${added.body.id}/test`);
    const heldId = test.body.outboxId as string;
    await eventually('the test in hand', () => (received.some((r) => r.id === heldId) ? true : undefined));
    await hub.crash();

    holdNext = false;
    hub = await startHub(storage, hub.port, env);
    const session = new (api.constructor as typeof ApiSession)(hub.url);
    await session.call('POST', '/api/auth/sign-in', { email: OWNER.email, password: OWNER.password });
    const entry = await eventually(
      '"may have been sent"',
      async () => {
        const log = await session.call('GET', '/api/me/deliveries');
        const found = log.body.items?.find((i: { id: string }) => i.id === heldId);
        return found?.status === 'may_have_been_sent' ? found : undefined;
      },
      30_000,
    );
    expect(entry.events.map((e: { event: string }) => e.event)).toEqual(['queued', 'may_have_been_sent']);

    const next = await session.call('POST', `/api/me/contact-methods/${added.body.id}/test`);
    await eventually('the next test', () => (received.some((r) => r.id === next.body.outboxId) ? true : undefined));
    await new Promise((r) => setTimeout(r, 1000));
    expect(received.filter((r) => r.id === heldId)).toHaveLength(1);
    expect(received.filter((r) => r.id === next.body.outboxId)).toHaveLength(1);
  }, 90_000);
});
