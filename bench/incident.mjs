#!/usr/bin/env node
// Opening an incident with 5,000 timeline entries through the API (the target: under 300 ms).
// Against the built hub (`afterhours serve`) on a throwaway database: one client, a site, 20 systems, an
// incident on them with 40 tasks (each adds its line, some done with an outcome), 200 calls and notes for
// the rest, all through the API, until the timeline holds 5,000 entries. Then GET /api/incidents/:id,
// signed in, `--runs` times: everything the incident screen opens with (clocks, live system states, tasks,
// the newest 200 timeline lines with names, the count of all); and the whole timeline read back page by page
// (GET /api/incidents/:id/timeline?before=…), as "Show earlier lines" does.
// Usage: node bench/incident.mjs [sqlite|postgres] [--runs 30]   (build first: npm run build)
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { machine, startBuiltHub, setUpOwner } from './lib/hub.mjs';

const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: { runs: { type: 'string', default: '30' }, entries: { type: 'string', default: '5000' } },
});
const dialect = positionals[0] ?? 'sqlite';
const RUNS = Number(args.runs);
const ENTRIES = Number(args.entries);

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  return `median ${at(0.5).toFixed(0)} ms, p90 ${at(0.9).toFixed(0)} ms, max ${s[s.length - 1].toFixed(0)} ms`;
};

const hub = await startBuiltHub(dialect);
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
  const me = await api.call('GET', '/api/me');
  const incident = await api.call('POST', '/api/incidents', {
    clientId: client.id,
    siteIds: [site.id],
    systemIds,
    summary: 'Power going on and off all afternoon; outages all weekend',
    call: { callerName: 'Dana Reyes', phone: '+44 20 7946 0000' },
    acknowledge: true,
  });
  const seeded = performance.now();
  let entries = incident.timeline.length;
  for (let i = 0; i < 40; i++) {
    const task = await api.call('POST', `/api/incidents/${incident.id}/tasks`, {
      title: `Task ${i + 1}: check the servers`,
      assigneeUserId: me.user?.id ?? me.id,
      dueAt: new Date(Date.now() + (i + 1) * 3600_000).toISOString(),
    });
    entries++;
    if (i % 2 === 0) {
      await api.call('PATCH', `/api/tasks/${task.id}`, { status: 'done', outcome: 'All answer' });
      entries++;
    }
  }
  for (let i = 0; i < 200; i++, entries++)
    await api.call('POST', `/api/incidents/${incident.id}/calls`, { callerName: 'Dana Reyes', text: `Update ${i}` });
  while (entries < ENTRIES) {
    const batch = Math.min(20, ENTRIES - entries);
    await Promise.all(
      Array.from({ length: batch }, (_, j) =>
        api.call('POST', `/api/incidents/${incident.id}/notes`, { text: `Note ${entries + j}: server room quiet` }),
      ),
    );
    entries += batch;
  }
  console.log(
    `${entries} timeline entries written through the API in ${((performance.now() - seeded) / 1000).toFixed(0)} s`,
  );

  const times = [];
  let lines = 0;
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const res = await fetch(`${hub.url}/api/incidents/${incident.id}`, { headers: { cookie: api.cookie } });
    const body = await res.json();
    times.push(performance.now() - t0);
    if (!res.ok) throw new Error(`GET incident: ${res.status}`);
    lines = body.timeline.length;
    if (body.timelineTotal < ENTRIES) throw new Error(`only ${body.timelineTotal} entries`);
  }
  const whole = [];
  let total = 0;
  for (let i = 0; i < Math.min(RUNS, 10); i++) {
    const t0 = performance.now();
    const first = await (
      await fetch(`${hub.url}/api/incidents/${incident.id}`, { headers: { cookie: api.cookie } })
    ).json();
    let count = first.timeline.length;
    let oldest = first.timeline[0].id;
    for (;;) {
      const page = await (
        await fetch(`${hub.url}/api/incidents/${incident.id}/timeline?before=${oldest}`, {
          headers: { cookie: api.cookie },
        })
      ).json();
      count += page.items.length;
      if (!page.more) break;
      oldest = page.items[0].id;
    }
    whole.push(performance.now() - t0);
    total = count;
  }
  console.log(
    `\nIncident with ${lines} timeline entries on ${dialect}, ${machine()}, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  console.log(`  GET /api/incidents/:id (signed in, newest ${lines} lines): ${stats(times)}`);
  console.log(`  the whole timeline, ${total} lines, page by page:       ${stats(whole)}`);
} finally {
  await hub.stop();
}
