import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot } from './browser.js';
import { addClientSiteSystem, type ApiSession, type RunningHub } from './hub-process.js';
import { type OwnerHub, startOwnerHub } from './owner-hub.js';

const OWNER = { name: 'Ann Owner', email: 'ann@example.com', password: 'a long enough password' };
const SITE_ZONE = 'Asia/Tokyo';
const PHONE_ZONE = 'America/New_York';

/** HH:MM in Tokyo (UTC+9 all year, no daylight saving), worked out without Intl. */
const tokyoClock = (iso: string) => {
  const d = new Date(Date.parse(iso) + 9 * 3_600_000);
  return `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
};
const phoneClock = (iso: string) =>
  new Intl.DateTimeFormat('en-GB', {
    timeZone: PHONE_ZONE,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(iso));

/**
 * The on-call technician in New York opens a Tokyo office's backup job: its times (state, last success,
 * deadlines, every ping in the history) read as the office's clock, and the screen says so; on a phone
 * in Tokyo the same times show without the note. Both databases; screenshots in e2e/artifacts/.
 */
describe.each(['sqlite', 'postgres'] as const)('heartbeat times in the site’s zone [%s]', (dialect) => {
  let env: OwnerHub;
  let hub: RunningHub;
  let api: ApiSession;
  let heartbeatId: string;

  const openHeartbeat = async (timezoneId: string): Promise<Page> => {
    const { page } = await env.phone({ timezoneId, locale: 'en-GB' });
    await page.goto(`${hub.url}/heartbeats/${heartbeatId}`);
    await page.getByRole('heading', { name: 'Nightly offsite backup', level: 1 }).waitFor();
    await page.getByRole('list', { name: 'Pings and e-mails, newest first' }).waitFor();
    return page;
  };

  beforeAll(async () => {
    env = await startOwnerHub(dialect, OWNER);
    hub = env.hub;
    api = env.api;
    const { systemId } = await addClientSiteSystem(api, {
      client: 'Harbour Dental',
      site: 'Shibuya office',
      timeZone: SITE_ZONE,
      system: 'Offsite backup',
    });
    const heartbeat = await api.call('POST', '/api/heartbeats', {
      systemId,
      name: 'Nightly offsite backup',
      schedule: { kind: 'period', periodS: 86_400, graceS: 3_600 },
    });
    expect([heartbeat.status, heartbeat.body.timeZone]).toEqual([201, SITE_ZONE]);
    heartbeatId = heartbeat.body.id;
    for (const suffix of ['/start', '']) {
      expect(
        (await fetch(`${hub.url}/ping/${heartbeatId}${suffix}`, { signal: AbortSignal.timeout(5000) })).status,
      ).toBe(200);
    }
  });
  afterAll(async () => {
    await env?.close();
  });

  it('on a phone in New York: the Tokyo office’s clock, and the screen names the zone', async () => {
    const h = (await api.call('GET', `/api/heartbeats/${heartbeatId}`)).body;
    const history = (await api.call('GET', `/api/heartbeats/${heartbeatId}/history`)).body.items as { at: string }[];
    // Nine or more hours apart at any time of year, so every time below tells the zones apart.
    expect(tokyoClock(h.statusSince)).not.toBe(phoneClock(h.statusSince));

    const page = await openHeartbeat(PHONE_ZONE);
    await page.getByText(`times at the site (${SITE_ZONE})`).waitFor();
    const state = await page.getByRole('region', { name: 'Current state' }).textContent();
    expect(state).toContain(`since ${tokyoClock(h.statusSince)}`);
    expect(state).not.toContain(phoneClock(h.statusSince));
    const facts = await page.locator('dl.facts').first().textContent();
    expect(facts).toContain(tokyoClock(h.lastSuccessAt));
    expect(facts).toContain(tokyoClock(h.expectedAt));
    expect(facts).toContain(tokyoClock(h.downAt));
    const rows = page.getByRole('list', { name: 'Pings and e-mails, newest first' }).getByRole('listitem');
    await expect(rows.locator('time').allTextContents()).resolves.toEqual(history.map((e) => tokyoClock(e.at)));
    await screenshot(page, `${dialect}-heartbeat-times-01-new-york`);
    await page.context().close();
  });

  it('on a phone in Tokyo: the same times, without the note', async () => {
    const h = (await api.call('GET', `/api/heartbeats/${heartbeatId}`)).body;
    const page = await openHeartbeat(SITE_ZONE);
    await expect
      .poll(() => page.getByRole('region', { name: 'Current state' }).textContent())
      .toContain(`since ${tokyoClock(h.statusSince)}`);
    await expect(page.getByText('times at the site').count()).resolves.toBe(0);
    await screenshot(page, `${dialect}-heartbeat-times-02-tokyo`);
    await page.context().close();
  });
});
