#!/usr/bin/env node
// One site agent running 1,000 TCP checks at a 30-second interval against a loopback target: the
// agent's RSS and CPU, and its CPU per check run (to compare with Uptime Kuma's figures in issue 4).
//
// The agent is the BUILT agent as a real process (build first: npm run build). The hub here is a small
// stand-in speaking the agent protocol (welcome, assign, ack) so that only the agent is measured; the
// target is a TCP listener on 127.0.0.1 that accepts and closes. CPU and RSS come from /proc/<pid>.
//
// Usage: node bench/agent.mjs [--checks 1000] [--interval 30] [--warmup 30] [--duration 180]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { WebSocketServer } from 'ws';

const { values } = parseArgs({
  options: {
    checks: { type: 'string', default: '1000' },
    interval: { type: 'string', default: '30' },
    warmup: { type: 'string', default: '30' },
    duration: { type: 'string', default: '180' },
  },
});
const CHECKS = Number(values.checks);
const INTERVAL_S = Number(values.interval);
const WARMUP_S = Number(values.warmup);
const DURATION_S = Number(values.duration);
const TICK = 100; // USER_HZ on Linux: /proc/<pid>/stat times are in 1/100 s

// ---- the target: accepts and closes, like an open port at the office -------------------------------
const target = createServer((socket) => {
  socket.on('error', () => {});
  socket.end();
});
await new Promise((resolve) => target.listen(0, '127.0.0.1', resolve));
const targetPort = target.address().port;

// ---- the stand-in hub --------------------------------------------------------------------------------
const checks = Array.from({ length: CHECKS }, (_, i) => ({
  id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  kind: 'tcp',
  params: { host: '127.0.0.1', port: targetPort },
  intervalS: INTERVAL_S,
  timeoutMs: 5000,
}));
let resultsReceived = 0;
let batchesReceived = 0;
let measuring = false;
let measuredResults = 0;
const http = createHttpServer((_req, res) => res.writeHead(404).end());
const wss = new WebSocketServer({ server: http, path: '/api/agent/connect' });
wss.on('connection', (socket) => {
  socket.on('message', (data) => {
    const message = JSON.parse(String(data));
    if (message.type === 'hello') {
      socket.send(JSON.stringify({ type: 'welcome', agentId: 'bench-agent', siteId: 'bench-site', ackedSeq: 0 }));
      socket.send(JSON.stringify({ type: 'assign', checks }));
    } else if (message.type === 'results') {
      batchesReceived += 1;
      resultsReceived += message.results.length;
      if (measuring) measuredResults += message.results.length;
      socket.send(JSON.stringify({ type: 'ack', seq: message.seq }));
    }
  });
});
await new Promise((resolve) => http.listen(0, '127.0.0.1', resolve));
const hubUrl = `http://127.0.0.1:${http.address().port}`;

// ---- the agent ---------------------------------------------------------------------------------------
const dataDir = mkdtempSync(join(tmpdir(), 'afterhours-agent-bench-'));
writeFileSync(
  join(dataDir, 'agent.json'),
  JSON.stringify({ hub: hubUrl, agentId: 'bench-agent', siteId: 'bench-site', token: 'aha_bench' }),
  { mode: 0o600 },
);
const agent = spawn(
  process.execPath,
  ['apps/agent/bin/afterhours-agent.js', '--data-dir', dataDir, '--log-level', 'warn'],
  { stdio: ['ignore', 'inherit', 'inherit'] },
);

function sample() {
  const stat = readFileSync(`/proc/${agent.pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cpuS = (Number(fields[11]) + Number(fields[12])) / TICK; // utime + stime
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${agent.pid}/status`, 'utf8'))?.[1] ?? 0);
  return { at: performance.now(), cpuS, rssMb: rssKb / 1024 };
}

const sleep = (s) => new Promise((r) => setTimeout(r, s * 1000));
try {
  console.log(
    `agent bench: ${CHECKS} tcp checks every ${INTERVAL_S} s against 127.0.0.1:${targetPort}; warm-up ${WARMUP_S} s, measured ${DURATION_S} s; ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), Node ${process.version}`,
  );
  await sleep(WARMUP_S);
  const start = sample();
  measuring = true;
  let peakRss = start.rssMb;
  const rssSeries = [];
  for (let t = 0; t < DURATION_S; t += 5) {
    await sleep(Math.min(5, DURATION_S - t));
    const s = sample();
    peakRss = Math.max(peakRss, s.rssMb);
    rssSeries.push(s.rssMb);
  }
  measuring = false;
  const end = sample();
  const wallS = (end.at - start.at) / 1000;
  const cpuS = end.cpuS - start.cpuS;
  const checksPerS = measuredResults / wallS;
  const report = {
    checks: CHECKS,
    intervalS: INTERVAL_S,
    measuredS: Math.round(wallS),
    checksPerSecond: Number(checksPerS.toFixed(1)),
    expectedChecksPerSecond: Number((CHECKS / INTERVAL_S).toFixed(1)),
    cpuPercentOfOneCore: Number(((cpuS / wallS) * 100).toFixed(2)),
    cpuMsPerCheck: Number(((cpuS * 1000) / measuredResults).toFixed(3)),
    rssMbAtEnd: Number(end.rssMb.toFixed(1)),
    rssMbPeak: Number(peakRss.toFixed(1)),
    resultsReceivedTotal: resultsReceived,
    batchesReceivedTotal: batchesReceived,
    // Uptime Kuma 2.5.3 (issue 4): 28 % of a core for 50 checks/s = 5.6 ms of CPU per check.
    uptimeKumaCpuMsPerCheck: 5.6,
  };
  console.log(JSON.stringify(report, null, 2));
} finally {
  agent.kill('SIGTERM');
  await new Promise((r) => agent.once('exit', r));
  wss.close();
  http.close();
  target.close();
  rmSync(dataDir, { recursive: true, force: true });
}
