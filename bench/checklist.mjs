#!/usr/bin/env node
// Checklists (issue 13): how long the automatic part of a 30-step checklist with 20 automatic steps takes,
// against the slowest step's timeout; and how late a scheduled run starts after its time.
//
// The BUILT hub runs as a real process (build first: npm run build) on SQLite or PostgreSQL. The 20
// automatic steps are hub http checks against a server on loopback: most answer at once, some after 0.5–2 s,
// and one never answers, so its step ends at its check's timeout (3 s) — the slowest step's timeout. The
// clock starts before POST /api/checklist-runs and stops when a poll of the run finds no step still running.
// The scheduled part makes a schedule firing every minute ("* * * * *") and reads each run's start time
// against the minute it was due.
//
// Usage: node bench/checklist.mjs [--db sqlite|postgres] [--trials 5] [--scheduled 2]
import { createServer } from 'node:http';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { machine, setUpOwner, startBuiltHub } from './lib/hub.mjs';

const { values } = parseArgs({
  options: {
    db: { type: 'string', default: 'sqlite' },
    trials: { type: 'string', default: '5' },
    scheduled: { type: 'string', default: '2' },
  },
});
const TRIALS = Number(values.trials);
const SCHEDULED = Number(values.scheduled);
const TIMEOUT_MS = 3000;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---- the systems the checks look at ------------------------------------------------------------------------
const target = createServer((req, res) => {
  const delay = Number(new URL(req.url, 'http://x').searchParams.get('delay') ?? 0);
  if (delay < 0) return; // never answers: the check runs into its timeout
  setTimeout(() => res.end('ok'), delay);
});
await new Promise((r) => target.listen(0, '127.0.0.1', r));
const targetUrl = `http://127.0.0.1:${target.address().port}`;

const hub = await startBuiltHub(values.db);
let api;
try {
  api = await setUpOwner(hub);
  const client = await api.call('POST', '/api/clients', { name: 'Harbour Dental' });
  const site = await api.call('POST', '/api/sites', {
    clientId: client.id,
    name: 'Main office',
    timeZone: 'Europe/London',
  });
  const system = await api.call('POST', '/api/systems', { siteId: site.id, name: 'dc01', kind: 'server' });
  const delays = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 500, 500, 1000, 1000, 1500, 2000, 2000, -1];
  for (const [i, delay] of delays.entries())
    await api.call('POST', '/api/checks', {
      systemId: system.id,
      name: `Service ${i + 1}`,
      kind: 'http',
      probe: 'hub',
      intervalS: 86_400,
      timeoutMs: TIMEOUT_MS,
      params: { url: `${targetUrl}/?delay=${delay}` },
    });
  const steps = [
    ...delays.map((_, i) => ({
      key: `svc-${i + 1}`,
      title: `Service ${i + 1} answers`,
      kind: 'check',
      target: { check: `Service ${i + 1}` },
    })),
    ...Array.from({ length: 10 }, (_, i) => ({
      key: `look-${i + 1}`,
      title: `Look at thing ${i + 1}`,
      kind: 'manual',
    })),
  ];
  const template = await api.call('POST', '/api/checklists', {
    name: 'Thirty steps',
    body: {
      sections: [
        { title: 'Systems', steps: steps.slice(0, 20) },
        { title: 'Office', steps: steps.slice(20) },
      ],
    },
  });

  // ---- the automatic part of a run -------------------------------------------------------------------------
  const load = loadavg()[0].toFixed(1);
  const times = [];
  for (let t = 0; t < TRIALS; t++) {
    const started = performance.now();
    const run = await api.call('POST', '/api/checklist-runs', { templateId: template.id, siteId: site.id });
    for (;;) {
      const now = await api.call('GET', `/api/checklist-runs/${run.id}`);
      if (!now.steps.some((s) => s.status === 'running')) {
        const failed = now.steps.filter((s) => s.kind !== 'manual' && s.status !== 'passed').length;
        if (failed !== 1) throw new Error(`expected exactly the silent service to fail, got ${failed}`);
        break;
      }
      await sleep(25);
    }
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const budget = TIMEOUT_MS + 1000;
  console.log(
    `automatic part of a 30-step run (20 automatic, slowest timeout ${TIMEOUT_MS} ms), ${values.db}, load ${load}:`,
  );
  console.log(
    `  trials ${TRIALS}: median ${times[Math.floor(times.length / 2)].toFixed(0)} ms, max ${times.at(-1).toFixed(0)} ms (budget ${budget} ms) ${times.at(-1) <= budget ? 'OK' : 'OVER'}`,
  );

  // ---- scheduled runs --------------------------------------------------------------------------------------
  if (SCHEDULED > 0) {
    const me = await api.call('GET', '/api/auth/session');
    await api.call('POST', '/api/checklist-schedules', {
      templateId: template.id,
      siteId: site.id,
      cron: '* * * * *',
      notifyUserIds: [me.user.id],
    });
    const lateness = [];
    const seen = new Set();
    while (lateness.length < SCHEDULED) {
      await sleep(1000);
      const { items } = await api.call('GET', `/api/checklist-runs?siteId=${site.id}&limit=20`);
      for (const r of items.filter((r) => r.scheduled && !seen.has(r.id))) {
        seen.add(r.id);
        const started = Date.parse(r.startedAt);
        const due = Math.floor(started / 60_000) * 60_000;
        lateness.push(started - due);
      }
    }
    const worst = Math.max(...lateness);
    console.log(`scheduled runs (every minute), ${values.db}, load ${loadavg()[0].toFixed(1)}:`);
    console.log(
      `  ${lateness.length} runs started ${lateness.map((ms) => `${ms} ms`).join(', ')} after their minute (budget 5000 ms) ${worst <= 5000 ? 'OK' : 'OVER'}`,
    );
  }
  console.log(`machine: ${machine()}`);
} finally {
  await hub.stop();
  target.close();
}
