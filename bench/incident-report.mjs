#!/usr/bin/env node
// The report of an incident with 5,000 timeline entries (the target: it renders in under 1 s).
// Against the built hub on a throwaway database: one client, a site, 20 systems, an incident on them, and
// 5,000 notes added through the API (what a long weekend of notes, alerts and tasks adds up to, and more).
// Then, several times each: the report's API (GET /api/incidents/:id/report, signed in), the shared link's
// API (GET /api/public/incident-reports/:token), and the shared link opened cold in Chromium at a phone
// viewport until the 5,000th line is on the page.
// Usage: node bench/incident-report.mjs [sqlite|postgres] [--screenshot file.png]   (build first: npm run build)
import { loadavg } from 'node:os';
import { machine, startBuiltHub, setUpOwner } from './lib/hub.mjs';
import { launchChromium } from './lib/browser.mjs';

const dialect = process.argv[2] ?? 'sqlite';
const shotAt = process.argv.indexOf('--screenshot');
const screenshot = shotAt > 0 ? process.argv[shotAt + 1] : null;
const ENTRIES = 5000;
const RUNS = 10;

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  return `median ${at(0.5).toFixed(0)} ms, p90 ${at(0.9).toFixed(0)} ms, max ${s[s.length - 1].toFixed(0)} ms`;
};

const hub = await startBuiltHub(dialect);
const browser = await launchChromium();
try {
  const api = await setUpOwner(hub);
  const client = await api.call('POST', '/api/clients', { name: 'Harbour Dental' });
  const site = await api.call('POST', '/api/sites', {
    clientId: client.id,
    name: 'Main office',
    timeZone: 'Europe/London',
  });
  const systemIds = [];
  for (let i = 0; i < 20; i++)
    systemIds.push((await api.call('POST', '/api/systems', { siteId: site.id, name: `srv${i}`, kind: 'server' })).id);
  const incident = await api.call('POST', '/api/incidents', {
    clientId: client.id,
    siteIds: [site.id],
    systemIds,
    summary: 'Power going on and off all afternoon; outages all weekend',
    acknowledge: true,
  });
  const seeded = performance.now();
  for (let i = 0; i < ENTRIES; i += 20)
    await Promise.all(
      Array.from({ length: Math.min(20, ENTRIES - i) }, (_, j) =>
        api.call('POST', `/api/incidents/${incident.id}/notes`, {
          text: `Note ${i + j + 1}: checked the server room, all quiet`,
          internal: false,
        }),
      ),
    );
  console.log(`${ENTRIES} notes added in ${((performance.now() - seeded) / 1000).toFixed(0)} s`);
  const link = await api.call('POST', `/api/incidents/${incident.id}/report-links`);
  const token = link.url.split('/').pop();

  const timed = async (path, headers = {}) => {
    const t0 = performance.now();
    const res = await fetch(hub.url + path, { headers });
    const body = await res.json();
    if (!res.ok) throw new Error(`${path}: ${res.status}`);
    return { ms: performance.now() - t0, lines: body.timeline.length };
  };
  const apiTimes = [];
  const publicTimes = [];
  let lines = 0;
  for (let i = 0; i < RUNS; i++) {
    const a = await timed(`/api/incidents/${incident.id}/report`, { cookie: api.cookie });
    apiTimes.push(a.ms);
    lines = a.lines;
    publicTimes.push((await timed(`/api/public/incident-reports/${token}`)).ms);
  }

  const pageTimes = [];
  for (let i = 0; i < RUNS; i++) {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 3,
      isMobile: true,
    });
    const page = await context.newPage();
    const t0 = performance.now();
    await page.goto(`${hub.url}/shared/incident-report/${token}`);
    await page.waitForFunction((n) => document.querySelectorAll('ol.report-timeline li').length >= n, lines, {
      timeout: 30_000,
      polling: 'raf',
    });
    pageTimes.push(performance.now() - t0);
    if (i === RUNS - 1 && screenshot) await page.screenshot({ path: screenshot });
    await context.close();
  }
  console.log(
    `\nIncident report with ${lines} timeline lines on ${dialect}, ${machine()}, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  console.log(`  report API (signed in):         ${stats(apiTimes)}`);
  console.log(`  shared link API:                ${stats(publicTimes)}`);
  console.log(`  shared link in Chromium, cold:  ${stats(pageTimes)} (navigation until the last line is on the page)`);
} finally {
  await browser.close();
  await hub.stop();
}
