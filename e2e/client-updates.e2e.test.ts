import { type ParsedMail, simpleParser } from 'mailparser';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from './agent-process.js';
import { launchChromium, phoneContext, screenshot, signIn } from './browser.js';
import {
  addClientSiteSystem,
  type ApiSession,
  createStorage,
  type HubStorage,
  type RunningHub,
  setUpOwner,
  startHub,
} from './hub-process.js';

const OWNER = { name: 'Ann Owner', email: 'ann@example.com', password: 'a long enough password' };

async function smtpSink() {
  const mails: ParsedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _s, callback) {
      simpleParser(stream).then((m) => {
        mails.push(m);
        callback();
      }, callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    port: (server.server.address() as AddressInfo).port,
    mails,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/**
 * On a phone: a technician tells a client "everything is ready for Monday" from the client's page, edits the
 * template's words, and sees the message reach the contact (a real SMTP server on loopback) and show "sent".
 */
describe.each(['sqlite', 'postgres'] as const)('client updates on a phone [%s]', (dialect) => {
  let storage: HubStorage;
  let hub: RunningHub;
  let browser: Browser;
  let page: Page;
  let api: ApiSession;
  let smtp: Awaited<ReturnType<typeof smtpSink>>;
  let clientId: string;
  const shot = (name: string) => screenshot(page, `${dialect}-client-updates-${name}`);

  beforeAll(async () => {
    smtp = await smtpSink();
    storage = await createStorage(dialect);
    hub = await startHub(storage);
    api = await setUpOwner(hub, OWNER);
    await api.call('PUT', '/api/settings/channels/smtp', {
      host: '127.0.0.1',
      port: smtp.port,
      security: 'none',
      from: 'Desk <desk@msp.example>',
    });
    ({ clientId } = await addClientSiteSystem(api, {
      client: 'Harbour Dental',
      site: 'Main office',
      timeZone: 'Europe/London',
      system: 'dc01',
      kind: 'server',
    }));
    await api.call('POST', `/api/clients/${clientId}/contacts`, {
      name: 'Paula Practice',
      email: 'paula@harbour.example',
    });
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

  it('sends an edited template to the client’s contact and shows it sent', async () => {
    await page.goto(`${hub.url}/clients/${clientId}`);
    await page.getByRole('button', { name: 'Send update' }).click();
    await page.getByLabel('Template').selectOption({ label: 'Everything is ready for Monday' });
    const message = page.getByLabel('Message');
    await expect.poll(() => message.inputValue()).toContain('ready for Monday');
    await message.fill(`${await message.inputValue()}\n\nSee you on Monday.`);
    await shot('1-draft');
    await page.getByRole('button', { name: 'Send to 1 person' }).click();
    const sent = page.getByRole('list', { name: 'Updates sent' });
    await sent.getByText('Harbour Dental: everything is ready for Monday').waitFor();
    await eventually('the mail to arrive', () => smtp.mails.length === 1, 15_000);
    expect(smtp.mails[0]?.subject).toBe('Harbour Dental: everything is ready for Monday');
    expect(smtp.mails[0]?.text).toContain('See you on Monday.');
    await sent.getByText('sent', { exact: true }).waitFor({ timeout: 15_000 });
    await shot('2-sent');
  });

  it('lists the firm’s templates in Settings', async () => {
    await page.goto(`${hub.url}/settings/message-templates`);
    await page.getByRole('list', { name: 'Updates from an incident' }).getByText('We are aware').waitFor();
    await page.getByRole('button', { name: 'Edit We are aware' }).click();
    await page.getByRole('list', { name: 'Placeholders' }).getByText('{incident}').waitFor();
    await shot('3-template');
  });
});
