#!/usr/bin/env node
// Power (issue 12): from the UPS's status change to the agent's first shutdown command, and the agent's
// memory while it watches the power.
//
// The BUILT agent runs as a real process (build first: npm run build) against a stand-in hub speaking the
// agent protocol with the "power" feature (welcome, power-config, power-command, power-ack). The UPS is
// NUT's real upsd with the dummy-ups driver (pollinterval 1 s) on loopback; the server to shut down is a
// small Redfish service (the first POST of ComputerSystem.Reset is "the first shutdown command"). Each trial
// rewrites the dummy file OL → OB LB (the plan's low-battery trigger fires at once), times the Reset, then
// orders a startup so the next trial starts from a finished run. NUT's own upsmon takes a poll plus
// FINALDELAY (5 s + 5 s by default).
//
// Usage: node bench/power.mjs [--trials 5] [--poll-ms 2000] [--watch-s 60]
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { WebSocketServer } from 'ws';

const { values } = parseArgs({
  options: {
    trials: { type: 'string', default: '5' },
    'poll-ms': { type: 'string', default: '2000' },
    'watch-s': { type: 'string', default: '60' },
  },
});
const TRIALS = Number(values.trials);
const POLL_MS = Number(values['poll-ms']);
const WATCH_S = Number(values['watch-s']);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const dir = mkdtempSync(join(tmpdir(), 'afterhours-power-bench-'));

async function freePort() {
  const server = createServer();
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  await new Promise((r) => server.close(r));
  return port;
}

// ---- upsd + dummy-ups ---------------------------------------------------------------------------------
const upsPort = await freePort();
const state = join(dir, 'state');
mkdirSync(state, { mode: 0o700 });
const dev = join(dir, 'office.dev');
const write = (file, lines, mode = 0o600) => writeFileSync(file, `${lines.join('\n')}\n`, { mode });
write(join(dir, 'nut.conf'), ['MODE=standalone']);
write(join(dir, 'ups.conf'), ['[office]', '  driver = dummy-ups', `  port = ${dev}`, '  pollinterval = 1']);
write(join(dir, 'upsd.conf'), [`LISTEN 127.0.0.1 ${upsPort}`]);
write(join(dir, 'upsd.users'), ['[watcher]', '  password = x', '  upsmon secondary']);
let version = 0;
function setStatus(status) {
  write(dev, [`ups.status: ${status}`, 'battery.charge: 50', 'battery.runtime: 600'], 0o644);
  version += 1;
  const t = new Date(Date.now() + version * 1000); // dummy-ups re-reads on a changed mtime
  utimesSync(dev, t, t);
  return performance.now();
}
setStatus('OL');
const env = { ...process.env, NUT_CONFPATH: dir, NUT_STATEPATH: state, NUT_ALTPIDPATH: state };
const driver = spawn('/lib/nut/dummy-ups', ['-a', 'office', '-u', 'root', '-F'], { env, stdio: 'ignore' });
await sleep(1500);
const upsd = spawn('/lib/nut/upsd', ['-u', 'root', '-F'], { env, stdio: 'ignore' });
await sleep(1500);

// ---- the Redfish server to shut down --------------------------------------------------------------------
let powerState = 'On';
let onReset = () => {};
const bmc = createHttpServer((req, res) => {
  let body = '';
  req.on('data', (d) => (body += d));
  req.on('end', () => {
    const json = (status, value) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
    if (req.method === 'GET' && req.url === '/redfish/v1/Systems')
      return json(200, { Members: [{ '@odata.id': '/redfish/v1/Systems/1' }] });
    if (req.method === 'GET' && req.url === '/redfish/v1/Systems/1')
      return json(200, {
        PowerState: powerState,
        Actions: { '#ComputerSystem.Reset': { target: '/redfish/v1/Systems/1/Actions/ComputerSystem.Reset' } },
      });
    if (req.method === 'POST') {
      const type = JSON.parse(body).ResetType;
      onReset(type, performance.now());
      powerState = type === 'On' ? 'On' : 'Off';
      return res.writeHead(204).end();
    }
    json(404, {});
  });
});
await new Promise((r) => bmc.listen(0, '127.0.0.1', r));
const bmcUrl = `http://127.0.0.1:${bmc.address().port}`;

// ---- the stand-in hub -------------------------------------------------------------------------------------
const config = {
  type: 'power-config',
  pollMs: POLL_MS,
  ups: [{ id: 'ups', name: 'Office UPS', kind: 'nut', settings: { host: '127.0.0.1', port: upsPort, ups: 'office' } }],
  plan: { stages: [{ name: 'servers', systemIds: ['srv'], timeoutSeconds: 60 }], triggers: { onLowBattery: true } },
  systems: [
    {
      id: 'srv',
      name: 'Server',
      shutdown: { kind: 'redfish', settings: { url: bmcUrl, username: 'admin', password: 'x' } },
      startup: { kind: 'redfish', settings: { url: bmcUrl, username: 'admin', password: 'x' } },
      checks: [],
    },
  ],
  windows: [],
};
let hubSocket;
const phases = [];
const http = createHttpServer((_req, res) => res.writeHead(404).end());
const wss = new WebSocketServer({ server: http, path: '/api/agent/connect' });
wss.on('connection', (socket) => {
  hubSocket = socket;
  socket.on('message', (data) => {
    const message = JSON.parse(String(data));
    if (message.type === 'hello') {
      socket.send(JSON.stringify({ type: 'welcome', agentId: 'a', siteId: 's', ackedSeq: 0, features: ['power'] }));
      socket.send(JSON.stringify({ type: 'assign', checks: [] }));
      socket.send(JSON.stringify(config));
    } else if (message.type === 'results') {
      socket.send(JSON.stringify({ type: 'ack', seq: message.seq }));
    } else if (message.type === 'power-log') {
      for (const e of message.entries) if (e.phase) phases.push(e.phase);
      socket.send(JSON.stringify({ type: 'power-ack', seq: message.seq }));
    }
  });
});
await new Promise((r) => http.listen(0, '127.0.0.1', r));

// ---- the agent ----------------------------------------------------------------------------------------------
const dataDir = join(dir, 'agent');
mkdirSync(dataDir);
writeFileSync(
  join(dataDir, 'agent.json'),
  JSON.stringify({ hub: `http://127.0.0.1:${http.address().port}`, agentId: 'a', siteId: 's', token: 'aha_bench' }),
  { mode: 0o600 },
);
const agent = spawn(
  process.execPath,
  ['apps/agent/bin/afterhours-agent.js', '--data-dir', dataDir, '--log-level', 'warn'],
  {
    stdio: ['ignore', 'inherit', 'inherit'],
  },
);
const rssMb = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${agent.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

try {
  await sleep(4000);
  const latencies = [];
  for (let trial = 0; trial < TRIALS; trial++) {
    const reset = new Promise((resolve) => (onReset = (type, at) => type !== 'On' && resolve(at)));
    const changedAt = setStatus('OB LB');
    const commandAt = await Promise.race([reset, sleep(30_000).then(() => null)]);
    if (commandAt === null) throw new Error(`trial ${trial + 1}: no shutdown command within 30 s`);
    latencies.push(commandAt - changedAt);
    // Back on line, and a person starts the site up: the next trial starts from a finished run.
    setStatus('OL');
    while (phases.at(-1) !== 'down') await sleep(100);
    hubSocket.send(JSON.stringify({ type: 'power-command', command: 'startup', by: 'bench' }));
    while (phases.at(-1) !== 'finished') await sleep(100);
    await sleep(1500 + Math.random() * POLL_MS); // a random phase against the agent's poll
  }
  const peak = { rss: rssMb() };
  for (let t = 0; t < WATCH_S; t += 5) {
    await sleep(5000);
    peak.rss = Math.max(peak.rss, rssMb());
  }
  const sorted = [...latencies].sort((a, b) => a - b);
  console.log(
    JSON.stringify(
      {
        trials: TRIALS,
        agentPollMs: POLL_MS,
        dummyUpsPollMs: 1000,
        statusChangeToFirstShutdownCommandMs: latencies.map((l) => Math.round(l)),
        medianMs: Math.round(sorted[Math.floor(sorted.length / 2)]),
        maxMs: Math.round(sorted.at(-1)),
        targetMs: 2000 + POLL_MS,
        agentRssMbAtEnd: Number(rssMb().toFixed(1)),
        agentRssMbPeak: Number(peak.rss.toFixed(1)),
        loadAverage: loadavg().map((l) => Number(l.toFixed(2))),
      },
      null,
      2,
    ),
  );
} finally {
  agent.kill('SIGTERM');
  await new Promise((r) => agent.once('exit', r));
  upsd.kill('SIGTERM');
  driver.kill('SIGTERM');
  wss.close();
  http.close();
  bmc.close();
  await sleep(500);
  rmSync(dir, { recursive: true, force: true });
}
