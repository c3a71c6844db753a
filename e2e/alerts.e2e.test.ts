import type { Browser, BrowserContext, Page } from 'playwright-core';
import { eventually } from './agent-process.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpSink } from '../apps/server/src/test/notify.js';
import { phoneContext, screenshot } from './browser.js';
import { addClientSiteSystem, type ApiSession, type RunningHub } from './hub-process.js';
import { type OwnerHub, startOwnerHub } from './owner-hub.js';

const OWNER = { name: 'Ann Owner', email: 'ann@example.com', password: 'a long enough password' };

/**
 * Alerts from a phone, against the built hub as a real process: a backup job reports a failure, its alert
 * shows on Now and under Alerts, and is acknowledged and resolved there in one tap each; a test page sent
 * through a real SMTP server is acknowledged from the link in the mail, in a browser with no session.
 */
describe.each(['sqlite', 'postgres'] as const)('alerts on a phone [%s]', (dialect) => {
  let env: OwnerHub;
  let hub: RunningHub;
  let api: ApiSession;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const shot = (name: string, p = page) => screenshot(p, `${dialect}-alerts-${name}`);

  beforeAll(async () => {
    smtp = await startSmtpSink();
    env = await startOwnerHub(dialect, OWNER);
    hub = env.hub;
    api = env.api;
    const smtpSet = await api.call('PUT', '/api/settings/channels/smtp', {
      host: '127.0.0.1',
      port: smtp.port,
      security: 'none',
      from: 'Afterhours <alerts@desk.example>',
    });
    expect(smtpSet.status).toBe(200);
    const scene = await addClientSiteSystem(api, {
      client: 'Harbour Dental',
      site: 'High Street office',
      timeZone: 'Europe/London',
      system: 'Offsite backup',
    });
    const heartbeat = await api.call('POST', '/api/heartbeats', {
      systemId: scene.systemId,
      name: 'Nightly offsite backup',
      schedule: { kind: 'period', periodS: 86_400, graceS: 3_600 },
    });
    expect(heartbeat.status).toBe(201);
    const failed = await fetch(`${hub.url}/ping/${heartbeat.body.id}/fail`, {
      method: 'POST',
      body: 'rsync error: some files could not be transferred (code 23)',
      signal: AbortSignal.timeout(5000),
    });
    expect(failed.status).toBe(200);
    await eventually('the alert', async () => {
      const list = await api.call('GET', '/api/alerts');
      return list.body.items?.length === 1;
    });

    ({ browser, page } = await env.phone());
    context = page.context();
  });

  afterAll(async () => {
    await context?.close();
    await env?.close();
    await smtp?.close();
  });

  it('Now lists the open alert and who has it', async () => {
    const section = page.getByRole('list', { name: 'Open alerts' });
    await section.getByText('Nightly offsite backup down').waitFor();
    await shot('now');
  });

  it('an alert is acknowledged and resolved from the alerts screen, one tap each', async () => {
    await page.getByRole('link', { name: 'Alerts' }).first().click();
    await page.getByRole('heading', { name: 'Alerts' }).waitFor();
    const card = page.getByRole('list', { name: 'Alerts' }).getByRole('listitem').first();
    await card.getByText('Harbour Dental · High Street office').waitFor();
    await shot('list-open');
    await card.getByRole('button', { name: /^Acknowledge/ }).click();
    await card.getByText(/Ann Owner has it/).waitFor();
    await shot('list-acknowledged');
    await card.getByRole('link').first().click();
    await page
      .getByRole('list', { name: 'Timeline' })
      .getByText(/Acknowledged by Ann Owner/)
      .waitFor();
    await shot('detail-acknowledged');
    await page.getByRole('button', { name: /^Resolve/ }).click();
    await page
      .getByText(/Resolved by Ann Owner/)
      .first()
      .waitFor();
    await shot('detail-resolved');
    const [alert] = (await api.call('GET', '/api/alerts?state=resolved')).body.items;
    expect(alert).toMatchObject({ state: 'resolved', resolution: 'person', acknowledgedBy: { name: 'Ann Owner' } });
  });

  it('a test page is acknowledged from the link in its mail, without signing in', async () => {
    const created = await api.call('POST', '/api/me/contact-methods', {
      kind: 'email',
      label: 'Work mail',
      settings: { address: 'ann.phone@desk.example' },
    });
    expect(created.status).toBe(201);
    const before = smtp.mails.length;
    const codeMail = await eventually('the verification code', async () =>
      smtp.mails.slice(before).find((m) => /code is \d{6}/.test(m.subject ?? '')),
    );
    const code = /(\d{6})/.exec(codeMail.subject!)![1]!;
    expect((await api.call('POST', `/api/me/contact-methods/${created.body.id}/verify`, { code })).status).toBe(200);
    const sentAt = smtp.mails.length;
    expect((await api.call('POST', `/api/me/contact-methods/${created.body.id}/test`)).status).toBe(202);
    const testMail = await eventually('the test page', async () =>
      smtp.mails.slice(sentAt).find((m) => m.subject?.includes('Test message')),
    );
    const link = /(http:\/\/127\.0\.0\.1:\d+\/l\/ack\?t=[\w.-]+)/.exec(testMail.text ?? '')?.[1];
    expect(link, 'the test page carries an acknowledge link').toBeTruthy();

    const fresh = await phoneContext(browser);
    try {
      const phone = await fresh.newPage();
      await phone.goto(link!);
      await phone.getByRole('button', { name: 'Acknowledge' }).waitFor();
      await shot('link-confirm', phone);
      await phone.getByRole('button', { name: 'Acknowledge' }).click();
      await phone.getByRole('heading', { name: 'Acknowledged' }).waitFor();
      await shot('link-acknowledged', phone);
    } finally {
      await fresh.close();
    }
  });
});
