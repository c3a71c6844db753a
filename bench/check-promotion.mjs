#!/usr/bin/env node
// How much of the check path's garbage V8 promotes to the old generation (what makes full collections, ~9 % of the
// probe's CPU in session 9): 165 HTTP connections a second, on 200 ms ticks like the probe's, against
// bench/probe-target.mjs, no database. Runs itself as a child with --trace-gc-nvp and sums the young collections'
// `promoted=` after a warm-up.
// Modes: raw — a bare node:net connection per request; raw-abort — the same with an AbortController listened to;
// check — the http check as the probe runs it (prepareCheck from the built packages/checks), a long-lived signal.
// Usage: node bench/check-promotion.mjs [--mode raw|raw-abort|check] [--seconds 70] [--warmup 20]
// Build first: npx tsc -b packages/checks
import { spawn } from 'node:child_process';
import { setMaxListeners } from 'node:events';
import net from 'node:net';
import { parseArgs } from 'node:util';
import { startTarget } from './lib/probe-hub.mjs';

const { values: args } = parseArgs({
  options: {
    mode: { type: 'string', default: 'check' },
    seconds: { type: 'string', default: '70' },
    warmup: { type: 'string', default: '20' },
    child: { type: 'boolean', default: false },
  },
});
const seconds = Number(args.seconds);
const warmup = Number(args.warmup);
const TICK_MS = 200;
const PER_TICK = 33;
const PER_SECOND = (PER_TICK * 1000) / TICK_MS;

if (!args.child) {
  const child = spawn(
    process.execPath,
    ['--trace-gc-nvp', new URL(import.meta.url).pathname, '--child', '--mode', args.mode, '--seconds', args.seconds],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  await new Promise((resolve) => child.once('exit', resolve));
  let promoted = 0;
  let young = 0;
  let full = 0;
  for (const line of out.split('\n')) {
    const at = /^\[\d+:0x[0-9a-f]+\]\s+(\d+) ms: /.exec(line);
    if (!at || Number(at[1]) < warmup * 1000) continue;
    const kind = / gc=(\w+)/.exec(line)?.[1];
    if (kind === 's') {
      young++;
      promoted += Number(/ promoted=(\d+)/.exec(line)?.[1] ?? 0);
    } else if (kind) full++;
  }
  const span = seconds - warmup;
  console.log(
    `${args.mode}: ${(promoted / 1024 / span).toFixed(0)} KB/s promoted (${((promoted / span / PER_SECOND) | 0).toLocaleString('en')} B a connection), ` +
      `${young} young and ${full} full collections in ${span} s`,
  );
} else {
  const target = await startTarget();
  const url = `http://127.0.0.1:${target.ports.http}/`;
  const request = 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n';
  const raw = (withAbort) =>
    new Promise((resolve) => {
      const socket = net.connect({ host: '127.0.0.1', port: target.ports.http });
      if (withAbort) new AbortController().signal.addEventListener('abort', () => socket.destroy(), { once: true });
      socket.once('connect', () => socket.write(request));
      socket.on('data', () => {
        socket.destroy();
        resolve();
      });
      socket.once('error', resolve);
    });
  let one;
  if (args.mode === 'check') {
    const { prepareCheck } = await import('../packages/checks/dist/index.js');
    const run = prepareCheck('http', { url });
    const probe = new AbortController();
    setMaxListeners(0, probe.signal); // every running check listens to it, as in the probe
    one = () => run({ timeoutMs: 10_000, signal: probe.signal });
  } else one = () => raw(args.mode === 'raw-abort');
  const tick = setInterval(() => {
    for (let i = 0; i < PER_TICK; i++) void one();
  }, TICK_MS);
  setTimeout(() => {
    clearInterval(tick);
    target.stop();
    process.exit(0);
  }, seconds * 1000);
}
