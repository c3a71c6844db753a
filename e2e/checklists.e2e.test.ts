import { createServer, type AddressInfo, type Server } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from './agent-process.js';
import { phoneContext, screenshot } from './browser.js';
import { smtpSink } from './smtp-sink.js';
import { addClientSiteSystem, type ApiSession, type RunningHub } from './hub-process.js';
import { type OwnerHub, startOwnerHub } from './owner-hub.js';

const OWNER = { name: 'Ann Owner', email: 'ann@example.com', password: 'a long enough password' };
/** A one-pixel PNG: what the phone's camera sends, as far as the hub looks. */
const png = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

async function listening(): Promise<{ port: number; close(): Promise<void> }> {
  const server: Server = createServer((s) => s.end());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** The firm's 15-step systems checklist: 11 things to look at, 4 checks the hub runs itself. */
function fifteenSteps() {
  const manual = (key: string, title: string) => ({ key, title, kind: 'manual' });
  return {
    name: 'Systems checklist',
    body: {
      sections: [
        {
          title: 'In the office',
          steps: [
            manual('power', 'Power on in the server room'),
            manual('ups-panel', 'UPS panel shows no fault'),
            manual('switch', 'Network switch lights normal'),
            manual('firewall', 'Firewall up, internet light on'),
            manual('phones', 'Desk phone has a dial tone'),
            manual('printer', 'Printer online'),
          ],
        },
        {
          title: 'Systems',
          steps: [
            { key: 'smtp', title: 'Mail server answers', kind: 'check', target: { check: 'SMTP' } },
            { key: 'rdp', title: 'Remote desktop answers', kind: 'check', target: { check: 'RDP' } },
            { key: 'files', title: 'File server answers', kind: 'check', target: { check: 'SMB' } },
            { key: 'web', title: 'Booking website answers', kind: 'check', target: { check: 'Web' } },
            manual('login', 'Log in on the front-desk PC'),
            manual('mail-test', 'Send and receive a test e-mail'),
            manual('shares', 'Open the shared folder'),
            manual('app', 'Open the practice software'),
            manual('backup-drive', 'Backup drive connected'),
          ],
        },
      ],
    },
  };
}

describe.each(['sqlite', 'postgres'] as const)('checklists on a phone [%s]', (dialect) => {
  let env: OwnerHub;
  let hub: RunningHub;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let api: ApiSession;
  let siteId: string;
  let templateId: string;
  const peers: Array<{ close(): Promise<void> }> = [];
  let smtp: Awaited<ReturnType<typeof smtpSink>>;
  let finishedRunUrl = '';
  const shot = (name: string) => screenshot(page, `${dialect}-checklists-${name}`);

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
    const made = await addClientSiteSystem(api, {
      client: 'Harbour Dental',
      site: 'Main office',
      timeZone: 'Europe/London',
      system: 'dc01',
      kind: 'server',
    });
    siteId = made.siteId;
    await api.call('POST', `/api/clients/${made.clientId}/contacts`, {
      name: 'Paula Practice',
      email: 'paula@harbour.example',
    });
    const closed = await listening();
    await closed.close();
    for (const [name, port] of [
      ['SMTP', (await listening()).port],
      ['RDP', (await listening()).port],
      ['SMB', (await listening()).port],
      ['Web', closed.port],
    ] as const) {
      const res = await api.call('POST', '/api/checks', {
        systemId: made.systemId,
        name,
        kind: 'tcp',
        probe: 'hub',
        intervalS: 86_400,
        timeoutMs: 2000,
        params: { host: '127.0.0.1', port },
      });
      expect(res.status).toBe(201);
    }
    const template = await api.call('POST', '/api/checklists', fifteenSteps());
    expect(template.status).toBe(201);
    templateId = template.body.id;
    ({ browser, page } = await env.phone());
    context = page.context();
  }, 60_000);
  afterAll(async () => {
    await env?.close();
    for (const p of peers) await p.close();
    await smtp?.close();
  });

  it('runs the 15-step checklist from the site in 13 taps: automatic steps fill in, manual ones ticked', async () => {
    let taps = 0;
    const tap = async (locator: ReturnType<Page['getByRole']>) => {
      await locator.click();
      taps += 1;
    };
    await page.goto(`${hub.url}/sites/${siteId}`);
    await tap(page.getByRole('button', { name: 'Run Systems checklist' }));
    await page.getByRole('heading', { name: 'Systems checklist' }).waitFor();
    await shot('1-started');
    // The four automatic steps fill in by themselves: three up, the booking website down.
    await page.getByText('Checking now…').first().waitFor({ state: 'detached', timeout: 20_000 });
    const step = (title: string) => page.locator('li.cl-step', { has: page.getByRole('heading', { name: title }) });
    expect(await step('Mail server answers').getAttribute('data-status')).toBe('passed');
    expect(await step('Booking website answers').getAttribute('data-status')).toBe('failed');
    for (const title of [
      'Power on in the server room',
      'UPS panel shows no fault',
      'Network switch lights normal',
      'Firewall up, internet light on',
      'Desk phone has a dial tone',
      'Printer online',
      'Log in on the front-desk PC',
      'Send and receive a test e-mail',
      'Open the shared folder',
      'Open the practice software',
      'Backup drive connected',
    ]) {
      await tap(page.getByRole('button', { name: `Done: ${title}` }));
      await eventually(`"${title}" ticked`, async () => (await step(title).getAttribute('data-status')) === 'passed');
    }
    await shot('2-ticked');
    await page.getByText('Every step is done.').waitFor();
    await tap(page.getByRole('button', { name: 'Finish checklist' }));
    await page.getByRole('status').getByText('Failed', { exact: true }).waitFor();
    await page.getByText(/Finished .* by Ann Owner · took/).waitFor();
    expect(taps).toBe(13);
    finishedRunUrl = page.url();
    await shot('3-report');
    console.log(`[${dialect}] taps for a 15-step run (11 manual, 4 automatic): ${taps}`);
  });

  it('opens an incident from the failed step, sends the report to the client, and shares it by a link', async () => {
    await page.goto(finishedRunUrl);
    await page.getByRole('button', { name: 'Incident: open or join: Booking website answers' }).click();
    await page.getByRole('link', { name: /^Incident #\d+$/ }).waitFor();
    await page.getByRole('button', { name: /^Add to incident #\d+: Booking website answers$/ }).waitFor();
    await page.getByRole('button', { name: 'Send the report to the client' }).click();
    const message = page.getByLabel('Message');
    await expect.poll(() => message.inputValue(), { timeout: 10_000 }).toContain('Booking website answers: down');
    await shot('6-send-report');
    await page.getByRole('button', { name: 'Send to 1 person' }).click();
    await page.getByText('Report sent to the client.').waitFor();
    await eventually('the report mail to arrive', () => smtp.mails.length === 1, 15_000);
    expect(smtp.mails[0]?.subject).toBe('Harbour Dental: systems checked at Main office');
    expect(smtp.mails[0]?.text).toContain('Systems checklist: some steps need attention (14 of 15 steps passed)');

    await page.getByRole('button', { name: 'New link' }).click();
    const url = await page.getByLabel('New report link').textContent();
    expect(url).toMatch(/\/shared\/checklist-report\/[A-Za-z0-9_-]{20,}$/);
    const outsider = await (await phoneContext(browser)).newPage();
    await outsider.goto(url!);
    await outsider.getByRole('heading', { name: 'Systems checklist' }).waitFor();
    await outsider.getByText('Booking website answers').waitFor();
    await screenshot(outsider, `${dialect}-checklists-7-shared`);
    await page.getByRole('button', { name: 'Revoke' }).click();
    await page.getByRole('button', { name: 'Revoke link' }).click();
    await page.getByRole('list', { name: 'Report links' }).waitFor({ state: 'detached' });
    await outsider.reload();
    await outsider.getByRole('heading', { name: 'This report link does not work' }).waitFor();
    await outsider.context().close();
  });

  it('keeps ticks made offline on the phone and sends them once when the signal is back', async () => {
    const run = await api.call('POST', '/api/checklist-runs', { templateId, siteId });
    expect(run.status).toBe(201);
    await page.goto(`${hub.url}/checklist-runs/${run.body.id}`);
    await page.getByRole('button', { name: 'Done: Printer online' }).waitFor();
    await context.setOffline(true);
    await page.getByRole('button', { name: 'Done: Power on in the server room' }).click();
    await page.getByRole('button', { name: 'Done: Printer online' }).click();
    await page.getByText('2 ticks kept on this phone').waitFor();
    await shot('4-offline');
    const onHub = async () => (await api.call('GET', `/api/checklist-runs/${run.body.id}`)).body.steps;
    expect(
      (await onHub()).filter((s: { status: string; kind: string }) => s.status === 'passed' && s.kind === 'manual'),
    ).toEqual([]);
    await context.setOffline(false);
    await page.getByText(/kept on this phone/).waitFor({ state: 'detached', timeout: 20_000 });
    const steps = await onHub();
    const byTitle = (t: string) => steps.find((s: { title: string }) => s.title === t);
    expect(byTitle('Power on in the server room')).toMatchObject({ status: 'passed', doneBy: 'Ann Owner' });
    expect(byTitle('Printer online')).toMatchObject({ status: 'passed' });
  });

  it('sends a tick again when its answer was lost, and the hub applies it once; a colleague’s tick shows live', async () => {
    const run = await api.call('POST', '/api/checklist-runs', { templateId, siteId });
    const runId = run.body.id as string;
    await page.goto(`${hub.url}/checklist-runs/${runId}`);
    const stepId = (run.body.steps as Array<{ id: string; title: string }>).find(
      (s) => s.title === 'Printer online',
    )!.id;
    // The first send reaches the hub, but its answer is lost on the way back (signal gone mid-request).
    let lost = 0;
    await page.route('**/tick', async (route) => {
      if (lost++ === 0) {
        await route.fetch();
        await route.abort('internetdisconnected');
      } else await route.continue();
    });
    await page.getByRole('button', { name: 'Done: Printer online' }).click();
    await page.getByText('1 tick kept on this phone').waitFor();
    // Meanwhile a colleague finds the printer is not online after all.
    const tick = await api.call('POST', `/api/checklist-runs/${runId}/steps/${stepId}/tick`, {
      tickKey: 'colleague-printer-1',
      status: 'failed',
      note: 'Paper jam',
    });
    expect(tick.body.applied).toBe(true);
    // The phone resends its tick (same key): the hub has it already and changes nothing.
    await page.getByText(/kept on this phone/).waitFor({ state: 'detached', timeout: 30_000 });
    expect(lost).toBe(2);
    const printer = (await api.call('GET', `/api/checklist-runs/${runId}`)).body.steps.find(
      (s: { id: string }) => s.id === stepId,
    );
    expect(printer).toMatchObject({ status: 'failed', note: 'Paper jam' });
    // And the colleague's tick is on the phone without a reload.
    await page.getByText('Note: Paper jam').waitFor({ timeout: 10_000 });
    await page.unroute('**/tick');
    await shot('5-colleague');
  });

  it('runs a checklist from an incident, and the run is on its timeline', async () => {
    const site = await api.call('GET', `/api/sites/${siteId}`);
    const incident = await api.call('POST', '/api/incidents', {
      clientId: site.body.clientId,
      siteIds: [siteId],
      summary: 'Power back after the weekend outage',
      acknowledge: true,
    });
    expect(incident.status).toBe(201);
    await page.goto(`${hub.url}/incidents/${incident.body.id}`);
    await page.getByRole('button', { name: 'Run Systems checklist at Main office' }).click();
    await page.getByRole('heading', { name: 'Systems checklist' }).waitFor();
    await page.getByRole('link', { name: `Incident #${incident.body.number}` }).click();
    await page.getByText('"Systems checklist" started at Main office').waitFor();
    await page.getByRole('link', { name: 'Open the checklist' }).first().waitFor();
    await shot('8-incident');
  });

  it('attaches a photo from the camera to a step', async () => {
    const run = await api.call('POST', '/api/checklist-runs', { templateId, siteId });
    await page.goto(`${hub.url}/checklist-runs/${run.body.id}`);
    await page
      .getByLabel('Photo of UPS panel shows no fault')
      .setInputFiles({ name: 'ups.png', mimeType: 'image/png', buffer: png });
    await page.getByRole('img', { name: 'Photo: UPS panel shows no fault' }).waitFor({ timeout: 15_000 });
    await page.getByRole('button', { name: 'Done: UPS panel shows no fault' }).click();
    await shot('9-photo');
  });

  it('keeps a step photo taken without signal on the phone and sends it once the signal is back', async () => {
    const run = await api.call('POST', '/api/checklist-runs', { templateId, siteId });
    await page.goto(`${hub.url}/checklist-runs/${run.body.id}`);
    await page.getByLabel('Photo of Printer online').waitFor({ state: 'attached' });
    await context.setOffline(true);
    await page
      .getByLabel('Photo of Printer online')
      .setInputFiles({ name: 'printer.png', mimeType: 'image/png', buffer: png });
    await page.getByText('Photo kept on this phone').waitFor();
    await shot('10-photo-offline');
    const step = async () =>
      (await api.call('GET', `/api/checklist-runs/${run.body.id}`)).body.steps.find(
        (s: { title: string }) => s.title === 'Printer online',
      );
    expect((await step()).hasPhoto).toBe(false);
    await context.setOffline(false);
    await page.getByRole('img', { name: 'Photo: Printer online' }).waitFor({ timeout: 20_000 });
    await page.getByText('Photo kept on this phone').waitFor({ state: 'detached' });
    expect((await step()).hasPhoto).toBe(true);
  });

  it('refuses a photo too large to keep and one more than the phone keeps without signal, saying why', async () => {
    const run = await api.call('POST', '/api/checklist-runs', { templateId, siteId });
    await page.goto(`${hub.url}/checklist-runs/${run.body.id}`);
    const input = page.getByLabel('Photo of Printer online');
    await input.waitFor({ state: 'attached' });
    const kept = () =>
      page.evaluate(
        () =>
          new Promise<number>((resolve, reject) => {
            const open = indexedDB.open('afterhours-step-photos', 1);
            open.onerror = () => reject(open.error);
            open.onsuccess = () => {
              const count = open.result.transaction('photos').objectStore('photos').count();
              count.onsuccess = () => {
                open.result.close();
                resolve(count.result);
              };
            };
          }),
      );
    const alert = page.getByRole('alert');
    await context.setOffline(true);
    // A file the browser cannot shrink (not a picture it can read), larger than the hub takes.
    await input.setInputFiles({ name: 'raw.png', mimeType: 'image/png', buffer: Buffer.alloc(6 * 1024 * 1024, 1) });
    await expect.poll(() => alert.textContent(), { timeout: 15_000 }).toContain('This photo is 6.0 MB');
    expect(await kept()).toBe(0);
    for (let i = 1; i <= 20; i++) {
      await input.setInputFiles({ name: `printer-${i}.png`, mimeType: 'image/png', buffer: png });
      await expect.poll(kept).toBe(i);
    }
    await input.setInputFiles({ name: 'printer-21.png', mimeType: 'image/png', buffer: png });
    await expect
      .poll(() => alert.textContent())
      .toContain('20 photos are already waiting on this phone for the signal; this one was not kept.');
    await shot('11-photo-queue-full');
    expect(await kept()).toBe(20);

    await context.setOffline(false);
    await page.getByRole('img', { name: 'Photo: Printer online' }).waitFor({ timeout: 30_000 });
    await expect.poll(kept, { timeout: 30_000 }).toBe(0);
    await page.getByText('Photo kept on this phone').waitFor({ state: 'detached' });
  });
});
