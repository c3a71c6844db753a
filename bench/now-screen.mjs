#!/usr/bin/env node
// The Now screen with 200 clients and 5,000 checks, loaded in Chromium at a phone viewport against the
// built hub (the target: under one second). Seeds through the API — 200 clients, 400 sites,
// 5,000 systems with one TCP check each at 60 s, ~2 % of them against a closed port — plus one site
// whose real agent process is stopped so that the site is unreachable; waits until every check has
// run (no check still "no result yet"), then loads Now cold (fresh context, no cache) several times.
// Usage: node bench/now-screen.mjs [sqlite|postgres] [--screenshot file.png]
//        (build first: npm run build)
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { machine, seedRegister, startBuiltHub, setUpOwner } from './lib/hub.mjs';
import { launchChromium } from './lib/browser.mjs';

const dialect = process.argv[2] ?? 'sqlite';
const shotAt = process.argv.indexOf('--screenshot');
const screenshot = shotAt > 0 ? process.argv[shotAt + 1] : null;
const LOADS = 10;
// ~2 % of the checks point at the closed port, spread over the sites by a multiplicative hash.
const closed = (index) => (Math.imul(index + 1, 2654435761) >>> 0) % 50 === 0;
const AGENT_BIN = new URL('../apps/agent/bin/afterhours-agent.js', import.meta.url).pathname;
// What Now reads on a cold load (early.js starts the first four).
const NOW_READS = [
  '/api/setup',
  '/api/auth/session',
  '/api/status/summary',
  '/api/overview',
  '/api/heartbeats/summary',
  '/api/maintenance?active=true',
  '/api/incidents?state=open&limit=20',
  '/api/tasks/overdue',
  '/api/alerts?state=unresolved&limit=20',
];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const open = createServer((socket) => socket.destroy()).listen(0, '127.0.0.1');
await new Promise((r) => open.once('listening', r));
const openPort = open.address().port;
// A port that refuses: bind one, note it, close it.
const closedPort = await new Promise((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const { port } = s.address();
    s.close(() => resolve(port));
  });
});

const hub = await startBuiltHub(dialect, { AFTERHOURS_AGENT_TIMEOUT_S: '5' });
const browser = await launchChromium();
const agentDir = mkdtempSync(join(tmpdir(), 'afterhours-bench-agent-'));
let agentProc;
try {
  const api = await setUpOwner(hub);
  const seedStarted = performance.now();
  const { siteIds, systemIds } = await seedRegister(api);
  for (let i = 0; i < systemIds.length; i += 25) {
    await Promise.all(
      systemIds.slice(i, i + 25).map((systemId, j) =>
        api.call('POST', '/api/checks', {
          systemId,
          name: 'port',
          kind: 'tcp',
          probe: 'hub',
          intervalS: 60,
          params: { host: '127.0.0.1', port: closed(i + j) ? closedPort : openPort },
        }),
      ),
    );
  }

  // One office whose agent falls silent: a real agent process, enrolled, running 10 checks, then stopped.
  const agentSite = siteIds[41];
  const created = await api.call('POST', '/api/agents', { siteId: agentSite, name: 'office-pi' });
  agentProc = spawn(
    process.execPath,
    [AGENT_BIN, '--hub', hub.url, '--enrol', created.enrolCode, '--data-dir', agentDir],
    { stdio: 'ignore', env: { ...process.env, LOG_LEVEL: 'warn' } },
  );
  const agentSystems = (await api.call('GET', `/api/systems?siteId=${agentSite}&limit=10`)).items;
  for (const system of agentSystems) {
    await api.call('POST', '/api/checks', {
      systemId: system.id,
      name: 'rdp (inside)',
      kind: 'tcp',
      probe: 'agent',
      agentId: created.agent.id,
      intervalS: 10,
      params: { host: '127.0.0.1', port: openPort },
    });
  }
  console.log(
    `seeded in ${((performance.now() - seedStarted) / 1000).toFixed(0)} s; waiting for every check to have run…`,
  );

  // Wait until every check has a result (unknown then only means "because a system it depends on is
  // down"), then stop the agent and wait for its site to become unreachable.
  const expected = systemIds.length + agentSystems.length;
  const total = (c) => c.up + c.degraded + c.down + c.unknown + c.paused;
  let status;
  for (let waited = 0; ; waited += 5) {
    status = await api.call('GET', '/api/status/summary');
    // Not run yet, or failed once of the two failures in a row that make a check down.
    const sites = status.clients.flatMap((c) => c.sites);
    const notRun =
      sites.flatMap((s) => s.problems).filter((p) => !p.lastResult || (p.state === 'unknown' && !p.cause)).length +
      sites.flatMap((s) => s.groups).filter((g) => !g.cause).length;
    if (total(status.counts) === expected && notRun === 0) break;
    if (waited > 600) throw new Error(`checks still unknown after 10 minutes: ${JSON.stringify(status.counts)}`);
    await sleep(5000);
  }
  agentProc.kill('SIGKILL');
  for (let waited = 0; ; waited += 2) {
    status = await api.call('GET', '/api/status/summary');
    if (status.clients.some((c) => c.sites.some((s) => !s.reachable))) break;
    if (waited > 120) throw new Error('the agent’s site never became unreachable');
    await sleep(2000);
  }
  const full = await api.call('GET', '/api/status');
  // The hub's side alone: the summary as the browser asks for it (brotli), 20 times in a row.
  const served = [];
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    const res = await fetch(`${hub.url}/api/status/summary`, {
      headers: { cookie: api.cookie, 'accept-encoding': 'br' },
    });
    await res.arrayBuffer();
    served.push(performance.now() - t0);
  }

  // Each of Now's reads alone, as the browser asks for them (brotli), 10 times each.
  const reads = {};
  for (const path of NOW_READS) {
    reads[path] = [];
    for (let i = 0; i < 10; i++) {
      const t0 = performance.now();
      const res = await fetch(`${hub.url}${path}`, { headers: { cookie: api.cookie, 'accept-encoding': 'br' } });
      const body = await res.arrayBuffer();
      reads[path].push(performance.now() - t0);
      reads[path].bytes = body.byteLength;
    }
  }

  const times = { firstClient: [], problems: [], everyClient: [] };
  let transferred = 0;
  let summaryBytes = 0;
  for (let i = 0; i < LOADS; i++) {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 3,
      isMobile: true,
      hasTouch: true,
    });
    await context.addCookies([
      { name: api.cookie.split('=')[0], value: api.cookie.split('=').slice(1).join('='), url: hub.url },
    ]);
    const page = await context.newPage();
    const responses = [];
    page.on('requestfinished', (request) => responses.push(request));
    const cdp = i === 0 && process.env.BENCH_PROFILE ? await context.newCDPSession(page) : null;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
      await cdp.send('Profiler.start');
    }
    const started = performance.now();
    await page.goto(hub.url);
    // CSS selectors: a role query walks the accessibility tree of the whole page and adds its own time.
    await page.waitForSelector('li.overview-client', { timeout: 30_000 });
    times.firstClient.push(performance.now() - started);
    await page.waitForSelector('ul[aria-label="Clients with problems"] ul[aria-label="Problems"] li', {
      timeout: 30_000,
    });
    times.problems.push(performance.now() - started);
    await page.waitForFunction(
      (n) => document.querySelectorAll('li.overview-client').length >= n,
      status.clients.length,
      {
        timeout: 30_000,
        polling: 'raf',
      },
    );
    times.everyClient.push(performance.now() - started);
    if (cdp) {
      const { profile } = await cdp.send('Profiler.stop');
      const self = new Map();
      const dt = profile.timeDeltas;
      const byId = new Map(profile.nodes.map((n) => [n.id, n]));
      profile.samples.forEach((id, k) => {
        const f = byId.get(id).callFrame;
        const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber}`;
        self.set(key, (self.get(key) ?? 0) + (dt[k] ?? 0) / 1000);
      });
      console.log(
        'profile, self time (ms):',
        [...self]
          .sort((a, b) => b[1] - a[1])
          .slice(0, 25)
          .map(([k, v]) => `${v.toFixed(0)} ${k}`)
          .join('\n  '),
      );
      const timings = await page.evaluate(() =>
        performance
          .getEntriesByType('resource')
          .map((e) => `${e.name.replace(location.origin, '')} ${e.startTime.toFixed(0)}→${e.responseEnd.toFixed(0)}`),
      );
      console.log('resources (ms since navigation):\n  ' + timings.join('\n  '));
    }
    if (i === 0) {
      for (const request of responses) {
        const { responseBodySize } = await request.sizes();
        transferred += responseBodySize;
        if (request.url().includes('/api/status/summary')) summaryBytes = responseBodySize;
      }
      if (screenshot) await page.screenshot({ path: screenshot, fullPage: false });
    }
    await context.close();
  }
  const fmt = (list) => {
    const t = [...list].sort((a, b) => a - b);
    return `min ${t[0].toFixed(0)} ms, median ${t[Math.floor(t.length / 2)].toFixed(0)} ms, max ${t.at(-1).toFixed(0)} ms`;
  };
  const kib = (n) => `${(n / 1024).toFixed(0)} KiB`;
  console.log(
    `\nNow screen on ${dialect}, ${machine()}, load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  console.log(
    `${status.clients.length} clients, ${systemIds.length + agentSystems.length} checks: ${JSON.stringify(status.counts)}`,
  );
  console.log(
    `GET /api/status/summary ${kib(JSON.stringify(status).length)} of JSON (${kib(summaryBytes)} on the wire); the full GET /api/status would be ${kib(JSON.stringify(full).length)}`,
  );
  console.log(`GET /api/status/summary answered by the hub (brotli, 20 in a row): ${fmt(served)}`);
  console.log(`Now's reads, each alone (brotli, 10 in a row):`);
  for (const [path, list] of Object.entries(reads))
    console.log(`  ${path.padEnd(40)} ${fmt(list)}, ${list.bytes} B on the wire`);
  console.log(
    `Cold loads (fresh context, no cache), ${LOADS}: first client painted ${fmt(times.firstClient)}; problems listed ${fmt(times.problems)}; every client listed ${fmt(times.everyClient)}; ${kib(transferred)} transferred on the first load`,
  );
} finally {
  agentProc?.kill('SIGKILL');
  await browser.close();
  await hub.stop();
  open.close();
  rmSync(agentDir, { recursive: true, force: true });
}
