import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from './agent-process.js';
import { phoneContext, screenshot, signIn } from './browser.js';
import { smtpSink } from './smtp-sink.js';
import { addClientSiteSystem, type ApiSession, type RunningHub } from './hub-process.js';
import { type OwnerHub, startOwnerHub } from './owner-hub.js';

const OWNER = { name: 'Ann Owner', email: 'ann@example.com', password: 'a long enough password' };

/**
 * On a phone: a technician tells a client "everything is ready for Monday" from the client's page, edits the
 * template's words, and sees the message reach the contact (a real SMTP server on loopback) and show "sent".
 */
describe.each(['sqlite', 'postgres'] as const)('client updates on a phone [%s]', (dialect) => {
  let env: OwnerHub;
  let hub: RunningHub;
  let browser: Browser;
  let page: Page;
  let api: ApiSession;
  let smtp: Awaited<ReturnType<typeof smtpSink>>;
  let clientId: string;
  const shot = (name: string) => screenshot(page, `${dialect}-client-updates-${name}`);

  beforeAll(async () => {
    smtp = await smtpSink();
    env = await startOwnerHub(dialect, OWNER);
    ({ hub, api } = env);
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
    ({ browser, page } = await env.phone());
  }, 60_000);
  afterAll(async () => {
    await env?.close();
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

  it('sends an update from an incident; the client’s user reads the report; a shared link works until revoked', async () => {
    const opened = await api.call('POST', '/api/incidents', {
      clientId,
      title: 'Power cuts at the office',
      summary: 'Power going on and off all afternoon',
      acknowledge: true,
    });
    const id = opened.body.id as string;
    await page.goto(`${hub.url}/incidents/${id}`);
    await page.getByRole('button', { name: 'Send update' }).click();
    await page.getByLabel('Template').selectOption({ label: 'We are aware' });
    await expect.poll(() => page.getByLabel('Message').inputValue()).toContain('Power cuts at the office');
    await page.getByRole('button', { name: 'Send to 1 person' }).click();
    const timeline = page.getByRole('list', { name: 'Timeline' });
    await timeline.getByText('Update to the client: “Harbour Dental: we are working on it”').waitFor();
    await timeline.getByLabel('Delivery').getByText('sent', { exact: true }).waitFor({ timeout: 15_000 });
    await eventually('the second mail', () => smtp.mails.length === 2, 15_000);
    expect(smtp.mails[1]?.text).toContain('We are aware of a problem at Main office: Power cuts at the office.');
    await shot('4-incident-update');

    // A link for someone without an account; copied from the report screen.
    await page.getByRole('link', { name: 'Report' }).click();
    await page.getByRole('article', { name: 'Incident report' }).waitFor();
    await page.getByRole('button', { name: 'New link' }).click();
    const url = (await page.getByLabel('New report link').textContent()) ?? '';
    expect(url).toContain('/shared/incident-report/');

    // The client's own user: the incident in their list, read-only, and its report.
    const password = 'client password 12345';
    const made = await api.call('POST', '/api/users', {
      email: 'paula@harbour.example',
      name: 'Paula Practice',
      role: 'client',
      clientId,
      password,
    });
    expect(made.status).toBe(201);
    const clientPage = await (await phoneContext(browser)).newPage();
    await signIn(clientPage, hub.url, { email: 'paula@harbour.example', password });
    await clientPage.goto(`${hub.url}/incidents/${id}`);
    await clientPage.getByRole('heading', { name: /Power cuts at the office/ }).waitFor();
    expect(await clientPage.getByRole('button', { name: 'Send update' }).count()).toBe(0);
    await clientPage.getByRole('link', { name: 'Report' }).click();
    const report = clientPage.getByRole('article', { name: 'Incident report' });
    await report.getByRole('heading', { name: '#1 Power cuts at the office' }).waitFor();
    await report.getByText('Update to the client: “Harbour Dental: we are working on it”').waitFor();
    expect(await clientPage.getByRole('button', { name: 'New link' }).count()).toBe(0);
    await screenshot(clientPage, `${dialect}-client-updates-5-report-as-client`);
    await clientPage.emulateMedia({ media: 'print' });
    await screenshot(clientPage, `${dialect}-client-updates-6-report-printed`);

    // The shared link, with no session at all; then revoked.
    const stranger = await (await phoneContext(browser)).newPage();
    await stranger.goto(url);
    await stranger.getByRole('heading', { name: '#1 Power cuts at the office' }).waitFor();
    await screenshot(stranger, `${dialect}-client-updates-7-shared-link`);
    await page.getByRole('button', { name: 'Revoke' }).click();
    await page.getByRole('button', { name: 'Revoke link' }).click();
    await page.getByRole('list', { name: 'Report links' }).waitFor({ state: 'detached' });
    await stranger.reload();
    await stranger.getByRole('heading', { name: 'This report link does not work' }).waitFor();
  });

  it('lists the firm’s templates in Settings', async () => {
    await page.goto(`${hub.url}/settings/message-templates`);
    await page.getByRole('list', { name: 'Updates from an incident' }).getByText('We are aware').waitFor();
    await page.getByRole('button', { name: 'Edit We are aware' }).click();
    await page.getByRole('list', { name: 'Placeholders' }).getByText('{incident}').waitFor();
    await shot('3-template');
  });
});
